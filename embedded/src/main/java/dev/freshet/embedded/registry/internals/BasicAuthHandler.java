package dev.freshet.embedded.registry.internals;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Objects;

/**
 * Lets a request through to the registry API only with the configured HTTP basic-auth credentials;
 * anything else gets 401 with a {@code WWW-Authenticate} challenge and a Confluent-style JSON
 * error, which is what a Confluent registry with basic auth answers. Credentials are compared in
 * constant time.
 */
public final class BasicAuthHandler implements HttpHandler {

  private static final String REALM = "freshet-schema-registry";
  private final byte[] expected;
  private final HttpHandler next;

  public BasicAuthHandler(String user, String password, HttpHandler next) {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    this.expected =
        ("Basic "
                + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
            .getBytes(StandardCharsets.UTF_8);
    this.next = Objects.requireNonNull(next, "next");
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    String given = ex.getRequestHeaders().getFirst("Authorization");
    if (given != null
        && MessageDigest.isEqual(expected, given.trim().getBytes(StandardCharsets.UTF_8))) {
      next.handle(ex);
      return;
    }
    try (ex) {
      byte[] body =
          ("{\"error_code\":401,\"message\":\""
                  + (given == null
                      ? "Unauthorized: no credentials"
                      : "Unauthorized: bad credentials")
                  + "\"}")
              .getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"" + REALM + "\"");
      ex.getResponseHeaders().set("Content-Type", "application/vnd.schemaregistry.v1+json");
      ex.sendResponseHeaders(401, body.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
