package dev.freshet.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.avro.ClickEvent;
import dev.freshet.avro.UserHistory;
import dev.freshet.registry.MockSchemaRegistry;
import dev.freshet.registry.SchemaRegistryClient;
import dev.freshet.registry.SchemaRegistryClients;
import dev.freshet.serde.WireFormatException.Reason;
import dev.freshet.testing.SampleData;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WireFormatErrorTest {

  private static final String SCOPE = "wire-errors";

  private final SchemaRegistryClient registry = MockSchemaRegistry.client(SCOPE);
  private final Deserializer<ClickEvent> clicks =
      new SpecificAvroSerde<>(ClickEvent.class, registry).deserializer();

  @AfterEach
  void dropRegistry() {
    MockSchemaRegistry.dropScope(SCOPE);
  }

  private byte[] validClick() {
    GenericRecord click = SampleData.record(ClickEvent.getClassSchema(), 11);
    return new GenericAvroSerde(registry).serializer().serialize("clicks", click);
  }

  private static void assertReason(Runnable call, Reason reason, String messagePart) {
    assertThatThrownBy(call::run)
        .isInstanceOfSatisfying(
            WireFormatException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(reason);
              assertThat(e.topic()).isEqualTo("clicks");
              assertThat(e.getMessage()).contains(reason.name()).contains(messagePart);
            });
  }

  @Test
  void shouldNameTheFieldWhenAGeneratedRecordHasANullWhereItsSchemaAllowsNone() {
    // The compiled writer fails on it; Avro's writer then says which field is wrong.
    UserHistory h =
        new UserHistory(
            null, null, null, null, List.of(), 0L, List.of(), null, null, ByteBuffer.allocate(0));
    assertThatThrownBy(
            () ->
                new SpecificAvroSerde<>(UserHistory.class, registry)
                    .serializer()
                    .serialize("histories", h))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("UserHistory.userId");
  }

  @Test
  void shouldRejectEmptyBytes() {
    assertReason(() -> clicks.deserialize("clicks", new byte[0]), Reason.EMPTY, "zero bytes");
  }

  @Test
  void shouldRejectWrongMagicByte() {
    byte[] bytes = validClick();
    bytes[0] = 0x7b; // '{': somebody wrote JSON
    assertReason(() -> clicks.deserialize("clicks", bytes), Reason.WRONG_MAGIC_BYTE, "0x7b");
  }

  @Test
  void shouldRejectTruncatedHeader() {
    byte[] bytes = Arrays.copyOf(validClick(), 3);
    assertReason(() -> clicks.deserialize("clicks", bytes), Reason.TRUNCATED, "3 bytes");
  }

  @Test
  void shouldRejectTruncatedBody() {
    byte[] full = validClick();
    byte[] bytes = Arrays.copyOf(full, full.length - 4);
    assertReason(() -> clicks.deserialize("clicks", bytes), Reason.TRUNCATED, "ended early");
  }

  @Test
  void shouldRejectUnknownSchemaIdAndReportIt() {
    byte[] bytes = validClick();
    ByteBuffer.wrap(bytes).putInt(1, 4711);
    assertThatThrownBy(() -> clicks.deserialize("clicks", bytes))
        .isInstanceOfSatisfying(
            WireFormatException.class,
            e -> {
              assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_SCHEMA_ID);
              assertThat(e.schemaId()).isEqualTo(4711);
              assertThat(e.reason().isRecordAtFault()).isTrue();
            });
  }

  @Test
  void shouldRejectTrailingBytes() {
    byte[] full = validClick();
    byte[] bytes = Arrays.copyOf(full, full.length + 2);
    assertReason(() -> clicks.deserialize("clicks", bytes), Reason.AVRO_DECODE_FAILED, "left over");
  }

  @Test
  void shouldRejectGarbageBody() {
    byte[] bytes = validClick();
    Arrays.fill(bytes, 5, bytes.length, (byte) 0xff);
    assertReason(
        () -> clicks.deserialize("clicks", bytes), Reason.AVRO_DECODE_FAILED, "ClickEvent");
  }

  @Test
  void shouldReportUnreachableRegistryAsNotTheRecordsFault() throws IOException {
    byte[] bytes = validClick();
    int deadPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadPort = socket.getLocalPort();
    }
    try (SchemaRegistryClient dead =
        SchemaRegistryClients.create(
            Map.of("schema.registry.url", "http://127.0.0.1:" + deadPort, "max.retries", 0))) {
      Deserializer<ClickEvent> unreachable =
          new SpecificAvroSerde<>(ClickEvent.class, dead).deserializer();
      assertThatThrownBy(() -> unreachable.deserialize("clicks", bytes))
          .isInstanceOfSatisfying(
              WireFormatException.class,
              e -> {
                assertThat(e.reason()).isEqualTo(Reason.REGISTRY_UNAVAILABLE);
                assertThat(e.reason().isRecordAtFault()).isFalse();
              });
    }
  }
}
