package dev.freshet.cli.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.avro.EmbeddingRow;
import dev.freshet.avro.ItemVector;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ParamFingerprintTest {

  @Test
  void shouldIgnoreWallClockFieldsButNotParameterBits() {
    ItemVector a = item(0.5f, Instant.parse("2026-03-01T00:00:00Z"));
    ItemVector laterPublish = item(0.5f, Instant.parse("2026-03-02T00:00:00Z"));
    ItemVector otherValue = item(Math.nextUp(0.5f), Instant.parse("2026-03-01T00:00:00Z"));
    assertThat(ParamFingerprint.canonical(a)).isEqualTo(ParamFingerprint.canonical(laterPublish));
    assertThat(ParamFingerprint.canonical(a)).isNotEqualTo(ParamFingerprint.canonical(otherValue));
  }

  @Test
  void shouldDescribeEmbeddingRowsByTableKeyVersionAndValues() {
    EmbeddingRow row =
        EmbeddingRow.newBuilder()
            .setTable("item")
            .setKey("m1")
            .setValues(List.of(1f, -2f))
            .setModelVersion(3)
            .build();
    assertThat(ParamFingerprint.canonical(row)).isEqualTo("row item m1 v3 3f800000,c0000000,");
    assertThatThrownBy(() -> ParamFingerprint.canonical("x"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static ItemVector item(float bias, Instant updatedAt) {
    return ItemVector.newBuilder()
        .setItemId("m1")
        .setVector(List.of(bias, 1f))
        .setModelVersion(2)
        .setUpdatedAt(updatedAt)
        .build();
  }
}
