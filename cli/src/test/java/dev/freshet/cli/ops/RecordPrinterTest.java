package dev.freshet.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.avro.ItemVector;
import dev.freshet.avro.RecommendationSource;
import dev.freshet.avro.Recommendations;
import dev.freshet.avro.ScoredItem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class RecordPrinterTest {

  @Test
  void shouldPrintDeadLetterHeadersAndAPreviewOfTheBytes() {
    RecordHeaders h = new RecordHeaders();
    h.add("freshet.dlq.reason", utf8("UNDESERIALIZABLE"));
    h.add("freshet.dlq.detail", utf8("unknown magic byte 0x7b"));
    h.add("freshet.dlq.source.topic", utf8("clicks"));
    h.add("freshet.dlq.source.partition", utf8("2"));
    h.add("freshet.dlq.source.offset", utf8("41"));
    h.add("trace", utf8("abc"));

    String text = RecordPrinter.deadLetter(h, utf8("u1"), utf8("{\"userId\":\"u1\"}"));

    assertThat(text)
        .contains("reason: UNDESERIALIZABLE")
        .contains("detail: unknown magic byte 0x7b")
        .contains("source: clicks[2]@41")
        .contains("header trace: \"abc\"")
        .contains("key (2 bytes)")
        .contains("utf8: \"{\\\"userId\\\":\\\"u1\\\"}\"")
        .contains("0000  7b 22 75 73")
        .contains("|{\"userId\":\"u1\"}|");
  }

  @Test
  void shouldNameTheSchemaIdOfWireFormatBytesAndFlagNonUtf8() {
    byte[] wire = {0, 0, 0, 0, 7, (byte) 0xff, (byte) 0xfe};
    String text = RecordPrinter.deadLetter(new RecordHeaders(), null, wire);
    assertThat(text)
        .contains("reason: null")
        .contains("source: unknown")
        .contains("key: null")
        .contains("value (7 bytes, Confluent wire format: magic 0, schema id 7)")
        .contains("<7 bytes, not UTF-8>")
        .contains("0000  00 00 00 00 07 ff fe");
  }

  @Test
  void shouldCutLongDumpsAndSayHowMuchIsLeft() {
    byte[] big = new byte[300];
    String dump = RecordPrinter.hexDump(big, RecordPrinter.BYTES_SHOWN, "");
    assertThat(dump.lines().count()).isEqualTo(RecordPrinter.BYTES_SHOWN / 16 + 1);
    assertThat(dump).endsWith("... 44 more bytes\n");
  }

  @Test
  void shouldPrintAvroFieldsOnePerLineWithReadableTimesAndShortVectors() {
    List<Float> vector = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      vector.add(i / 10f);
    }
    String item =
        RecordPrinter.avro(
            ItemVector.newBuilder()
                .setItemId("m1")
                .setVector(vector)
                .setModelVersion(3)
                .setUpdatedAt(Instant.parse("2026-03-01T00:00:00Z"))
                .build());
    assertThat(item)
        .contains("(ItemVector)")
        .contains("itemId: \"m1\"")
        .contains("vector: [0.0000, 0.1000, 0.2000")
        .contains("… (32 values)")
        .contains("modelVersion: 3")
        .contains("updatedAt: 2026-03-01T00:00:00Z");

    String recs =
        RecordPrinter.avro(
            Recommendations.newBuilder()
                .setUserId("u1")
                .setItems(
                    List.of(
                        ScoredItem.newBuilder().setVideoId("m1").setScore(2.5f).build(),
                        ScoredItem.newBuilder().setVideoId("m2").setScore(1.5f).build()))
                .setSource(RecommendationSource.MODEL)
                .setModelVersion(7)
                .setEventTime(Instant.parse("2026-03-01T00:00:01Z"))
                .setComputedAt(Instant.parse("2026-03-01T00:00:02Z"))
                .setEventId("e1")
                .build());
    assertThat(recs)
        .contains("items: 2 entries")
        .contains("0: {\"videoId\": \"m1\", \"score\": 2.5}")
        .contains("1: {\"videoId\": \"m2\", \"score\": 1.5}")
        .contains("source: \"MODEL\"")
        .contains("eventTime: 2026-03-01T00:00:01Z");
    assertThat(RecordPrinter.avro(null)).contains("tombstone");
  }

  @Test
  void shouldPrintAHeaderLineWithCoordinates() {
    assertThat(RecordPrinter.headerLine("recommendations", 3, 17, utf8("u42"), 0))
        .isEqualTo("recommendations[3]@17  key=\"u42\"  timestamp=1970-01-01T00:00:00Z");
    assertThat(RecordPrinter.headerLine("t", 0, 0, null, -1)).contains("key=null  timestamp=none");
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
