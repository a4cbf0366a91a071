package dev.freshet.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class PrometheusMetersTest {

  @Test
  void shouldExposeJvmMetersAndOwnMetersWithDescriptionUnitAndComponentTag() {
    try (PrometheusMeters meters = new PrometheusMeters("test-component")) {
      Counter.builder("freshet.test.things")
          .description("Things counted by the test")
          .baseUnit("records")
          .register(meters.registry())
          .increment(3);

      String text = meters.scrape();

      assertThat(text)
          .contains("# HELP freshet_test_things_records_total Things counted by the test")
          .contains("# TYPE freshet_test_things_records_total counter")
          .contains("freshet_test_things_records_total{component=\"test-component\"} 3.0")
          .containsPattern("jvm_memory_used_bytes\\{area=\"heap\",component=\"test-component\"")
          .contains("process_uptime_seconds")
          .contains("jvm_threads_live_threads")
          .contains("jvm_gc_");
    }
  }

  @Test
  void shouldCloseTheBindersItOwns() {
    AtomicBoolean closed = new AtomicBoolean();
    PrometheusMeters meters = new PrometheusMeters("c");
    meters.bind(new ClosingBinder(closed));
    assertThat(closed).isFalse();
    meters.close();
    assertThat(closed).isTrue();
  }

  @Test
  void shouldGiveEachKafkaBinderItsOwnDaemonScheduler() {
    var a = PrometheusMeters.kafkaScheduler("a");
    var b = PrometheusMeters.kafkaScheduler("b");
    try {
      assertThat(a).isNotSameAs(b);
      a.shutdownNow();
      assertThat(b.isShutdown()).isFalse();
    } finally {
      b.shutdownNow();
    }
  }

  private record ClosingBinder(AtomicBoolean closed) implements MeterBinder, AutoCloseable {
    @Override
    public void bindTo(MeterRegistry registry) {}

    @Override
    public void close() {
      closed.set(true);
    }
  }
}
