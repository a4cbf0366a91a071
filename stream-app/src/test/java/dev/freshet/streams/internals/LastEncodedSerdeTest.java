package dev.freshet.streams.internals;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.api.Test;

class LastEncodedSerdeTest {

  /**
   * Strings encoded by a counting serializer; lists of chars stand in for mutable-looking values.
   */
  private final AtomicInteger encodings = new AtomicInteger();

  private final Serde<List<String>> inner =
      Serdes.serdeFrom(
          (Serializer<List<String>>)
              (topic, data) -> {
                encodings.incrementAndGet();
                return String.join(",", data).getBytes(UTF_8);
              },
          (topic, bytes) -> List.of(new String(bytes, UTF_8)));

  private final LastEncodedSerde<List<String>> serde = new LastEncodedSerde<>(inner);

  @Test
  void shouldReuseTheBytesOfTheSameObjectWithoutEncodingItAgain() {
    List<String> value = new ArrayList<>(List.of("a", "b"));
    byte[] first = serde.serializer().serialize("history-changelog", value);
    byte[] second = serde.serializer().serialize("pending-changelog", value);
    assertThat(second).isSameAs(first);
    assertThat(encodings).hasValue(1);
  }

  @Test
  void shouldEncodeAnEqualButDifferentObjectAgain() {
    byte[] first = serde.serializer().serialize("t", new ArrayList<>(List.of("a")));
    byte[] second = serde.serializer().serialize("t", new ArrayList<>(List.of("a")));
    assertThat(second).isEqualTo(first).isNotSameAs(first);
    assertThat(encodings).hasValue(2);
  }

  @Test
  void shouldEncodeWhenAnotherObjectCameInBetween() {
    List<String> a = List.of("a");
    serde.serializer().serialize("t", a);
    serde.serializer().serialize("t", List.of("b"));
    byte[] again = serde.serializer().serialize("t", a);
    assertThat(new String(again, UTF_8)).isEqualTo("a");
    assertThat(encodings).hasValue(3);
  }

  @Test
  void shouldKeepOneSlotPerThread() throws Exception {
    List<String> a = List.of("a");
    serde.serializer().serialize("t", a);
    byte[][] other = new byte[1][];
    Thread t = new Thread(() -> other[0] = serde.serializer().serialize("t", a));
    t.start();
    t.join();
    assertThat(other[0])
        .as("another thread's first sight of it is encoded")
        .isEqualTo(new byte[] {'a'});
    assertThat(encodings).hasValue(2);
  }

  @Test
  void shouldGiveNullForNullAndLeaveReadingToTheInnerSerde() {
    assertThat(serde.serializer().serialize("t", null)).isNull();
    assertThat(serde.deserializer().deserialize("t", new byte[] {'x'})).containsExactly("x");
    assertThat(encodings).hasValue(0);
  }
}
