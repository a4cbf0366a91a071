package dev.freshet.embedded.registry.internals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.freshet.embedded.registry.internals.RegistryEvent.SchemaVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Confluent REST routes over {@link RegistryState}:
 *
 * <pre>
 * GET    /schemas/ids/{id}
 * GET    /subjects
 * POST   /subjects/{subject}/versions             register
 * POST   /subjects/{subject}                      lookup
 * GET    /subjects/{subject}/versions
 * GET    /subjects/{subject}/versions/{version}   number or "latest"
 * DELETE /subjects/{subject}
 * POST   /compatibility/subjects/{subject}/versions/{version}
 * GET|PUT /config
 * GET|PUT /config/{subject}                       GET takes ?defaultToGlobal=true
 * </pre>
 *
 * Errors answer {@code {"error_code": ..., "message": ...}} with Confluent's codes. Only Avro
 * schemas are accepted ({@code schemaType} absent or {@code AVRO}).
 */
public final class RegistryHttpApi implements HttpHandler {

  /** The media type of every answer. */
  public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private static final Logger log = LoggerFactory.getLogger(RegistryHttpApi.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RegistryState state;

  /** Routes requests to {@code state}. */
  public RegistryHttpApi(RegistryState state) {
    this.state = Objects.requireNonNull(state, "state");
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    int status;
    JsonNode body;
    try {
      body = route(exchange);
      status = 200;
    } catch (RegistryError e) {
      status = e.httpStatus();
      body = error(e.errorCode(), e.getMessage());
    } catch (RuntimeException e) {
      log.error(
          "Registry request {} {} failed",
          exchange.getRequestMethod(),
          exchange.getRequestURI(),
          e);
      status = 500;
      body = error(50001, "Error in the backend data store: " + e.getMessage());
    }
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private JsonNode route(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    List<String> path = segments(exchange.getRequestURI().getRawPath());
    String query = exchange.getRequestURI().getRawQuery();
    int n = path.size();
    if (n == 3 && path.get(0).equals("schemas") && path.get(1).equals("ids")) {
      requireMethod(method, "GET");
      ObjectNode answer = JSON.createObjectNode();
      answer.put("schema", state.schemaById(parseId(path.get(2))));
      return answer;
    }
    if (n >= 1 && path.get(0).equals("subjects")) {
      if (n == 1) {
        requireMethod(method, "GET");
        ArrayNode answer = JSON.createArrayNode();
        state.subjects().forEach(answer::add);
        return answer;
      }
      String subject = path.get(1);
      if (n == 2) {
        if (method.equals("POST")) {
          return metadata(state.lookup(subject, schemaOf(exchange)));
        }
        requireMethod(method, "DELETE");
        ArrayNode answer = JSON.createArrayNode();
        state.deleteSubject(subject).forEach(answer::add);
        return answer;
      }
      if (path.get(2).equals("versions")) {
        if (n == 3) {
          if (method.equals("POST")) {
            ObjectNode answer = JSON.createObjectNode();
            answer.put("id", state.register(subject, schemaOf(exchange)));
            return answer;
          }
          requireMethod(method, "GET");
          ArrayNode answer = JSON.createArrayNode();
          state.versions(subject).forEach(answer::add);
          return answer;
        }
        if (n == 4) {
          requireMethod(method, "GET");
          return metadata(state.version(subject, path.get(3)));
        }
      }
    }
    if (n == 5
        && path.get(0).equals("compatibility")
        && path.get(1).equals("subjects")
        && path.get(3).equals("versions")) {
      requireMethod(method, "POST");
      String subject = path.get(2);
      String schema = schemaOf(exchange);
      if (!state.subjects().contains(subject)) {
        if (!path.get(4).equals("latest")) {
          throw RegistryError.subjectNotFound(subject);
        }
      } else {
        state.version(subject, path.get(4));
      }
      ObjectNode answer = JSON.createObjectNode();
      answer.put("is_compatible", state.isCompatible(subject, schema));
      return answer;
    }
    if (n >= 1 && n <= 2 && path.get(0).equals("config")) {
      String subject = n == 2 ? path.get(1) : null;
      ObjectNode answer = JSON.createObjectNode();
      if (method.equals("PUT")) {
        JsonNode request = readBody(exchange);
        String level = request.path("compatibility").asText(null);
        answer.put(
            "compatibility",
            subject == null ? state.setGlobalLevel(level) : state.setSubjectLevel(subject, level));
        return answer;
      }
      requireMethod(method, "GET");
      if (subject == null) {
        answer.put("compatibilityLevel", state.globalLevel());
        return answer;
      }
      boolean defaultToGlobal = query != null && query.contains("defaultToGlobal=true");
      String level =
          state
              .subjectLevel(subject)
              .orElseGet(
                  () -> {
                    if (!defaultToGlobal) {
                      throw new RegistryError(
                          404,
                          40408,
                          "Subject '"
                              + subject
                              + "' does not have subject-level compatibility"
                              + " configured");
                    }
                    return state.globalLevel();
                  });
      answer.put("compatibilityLevel", level);
      return answer;
    }
    throw new RegistryError(
        404, 404, "HTTP 404 Not Found: " + method + " /" + String.join("/", path));
  }

  private static void requireMethod(String actual, String expected) {
    if (!actual.equals(expected)) {
      throw new RegistryError(405, 405, "HTTP 405 Method Not Allowed: " + actual);
    }
  }

  private static int parseId(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw RegistryError.schemaNotFound("Schema " + text + " not found.");
    }
  }

  private static String schemaOf(HttpExchange exchange) throws IOException {
    JsonNode request = readBody(exchange);
    String type = request.path("schemaType").asText("AVRO");
    if (!type.equals("AVRO")) {
      throw RegistryError.invalidSchema("Only AVRO schemas are supported, got " + type);
    }
    JsonNode schema = request.get("schema");
    if (schema == null || !schema.isTextual()) {
      throw RegistryError.invalidSchema("Request lacks a 'schema' string.");
    }
    return schema.textValue();
  }

  private static JsonNode readBody(HttpExchange exchange) throws IOException {
    byte[] bytes = exchange.getRequestBody().readAllBytes();
    try {
      JsonNode node = JSON.readTree(bytes);
      if (node == null || !node.isObject()) {
        throw new RegistryError(422, 422, "Request body must be a JSON object.");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new RegistryError(400, 400, "Request body is not JSON: " + e.getOriginalMessage());
    }
  }

  private static ObjectNode metadata(SchemaVersion v) {
    ObjectNode answer = JSON.createObjectNode();
    answer.put("subject", v.subject());
    answer.put("version", v.version());
    answer.put("id", v.id());
    answer.put("schema", v.schema());
    return answer;
  }

  private static ObjectNode error(int code, String message) {
    ObjectNode answer = JSON.createObjectNode();
    answer.put("error_code", code);
    answer.put("message", message);
    return answer;
  }

  private static List<String> segments(String rawPath) {
    List<String> segments = new ArrayList<>();
    for (String part : rawPath.split("/")) {
      if (!part.isEmpty()) {
        segments.add(URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8));
      }
    }
    return segments;
  }
}
