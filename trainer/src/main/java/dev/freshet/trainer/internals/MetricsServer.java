package dev.freshet.trainer.internals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.freshet.metrics.PrometheusMeters;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A minimal HTTP endpoint for operators: {@code GET /metrics} (Prometheus text format) and {@code
 * GET /healthz}. Any other path or method gets 404/405 with a JSON error.
 */
public final class MetricsServer implements AutoCloseable {

  private final HttpServer server;

  /**
   * Starts serving on {@code host:port} (port 0 picks a free one).
   *
   * @param metrics the Prometheus text to serve, read on every request ({@code
   *     PrometheusMeters::scrape})
   * @param healthy whether {@code /healthz} answers 200 (else 503)
   */
  public MetricsServer(String host, int port, Supplier<String> metrics, Supplier<Boolean> healthy)
      throws IOException {
    Objects.requireNonNull(metrics, "metrics");
    Objects.requireNonNull(healthy, "healthy");
    server = HttpServer.create(new InetSocketAddress(host, port), 0);
    server.createContext(
        "/",
        exchange -> {
          try (exchange) {
            if (!exchange.getRequestMethod().equals("GET")) {
              send(exchange, 405, "application/json", "{\"error\":\"only GET is supported\"}");
            } else if (exchange.getRequestURI().getPath().equals("/metrics")) {
              send(exchange, 200, PrometheusMeters.CONTENT_TYPE, metrics.get());
            } else if (exchange.getRequestURI().getPath().equals("/healthz")) {
              boolean ok = healthy.get();
              send(
                  exchange,
                  ok ? 200 : 503,
                  "application/json",
                  "{\"status\":\"" + (ok ? "UP" : "DOWN") + "\"}");
            } else {
              send(
                  exchange,
                  404,
                  "application/json",
                  "{\"error\":\"no such path; try /metrics or /healthz\"}");
            }
          }
        });
    server.start();
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
