package dev.freshet.trainer.internals;

import static org.assertj.core.api.Assertions.assertThat;

import dev.freshet.metrics.PrometheusMeters;
import dev.freshet.model.TrainStats;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class TrainerMetersTest {

  @Test
  void shouldServeTheTrainersFiguresAsMetersWithDescriptionsAndUnits() throws Exception {
    TrainerMetrics metrics = new TrainerMetrics();
    metrics.batch(64, new TrainStats(7.0, 60, 4), 2_000_000_000L);
    metrics.lag(12);
    try (PrometheusMeters meters = new PrometheusMeters("trainer");
        MetricsServer server = new MetricsServer("127.0.0.1", 0, meters::scrape, () -> true)) {
      new TrainerMeters(metrics).bindTo(meters.registry());

      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(
                          URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());

      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).contains(PrometheusMeters.CONTENT_TYPE);
      assertThat(r.body())
          .contains("# HELP freshet_trainer_instances_total Training instances consumed")
          .contains("# TYPE freshet_trainer_instances_total counter")
          .contains("freshet_trainer_instances_total{component=\"trainer\"} 64.0")
          .contains("freshet_trainer_trained_instances_total{component=\"trainer\"} 60.0")
          .contains("freshet_trainer_train_time_seconds_total{component=\"trainer\"} 2.0")
          .contains("freshet_trainer_consumer_lag_records{component=\"trainer\"} 12.0")
          .contains("freshet_trainer_loss{component=\"trainer\"} 7.0")
          .contains("freshet_trainer_freshness_p99_seconds{component=\"trainer\"} NaN")
          .contains("jvm_memory_used_bytes");
    }
  }
}
