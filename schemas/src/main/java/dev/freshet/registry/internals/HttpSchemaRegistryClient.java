package dev.freshet.registry.internals;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshet.registry.CompatibilityLevel;
import dev.freshet.registry.RegistryClientConfig;
import dev.freshet.registry.RegistryException;
import dev.freshet.registry.SchemaMetadata;
import dev.freshet.registry.SchemaRegistryClient;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SchemaRegistryClient} over HTTP with {@link HttpClient} and Jackson.
 *
 * <ul>
 *   <li>Caches schemas by id and ids/versions by (subject, schema); both are immutable facts in a
 *       registry, so the caches never go stale (the latest version and the configuration are never
 *       cached).
 *   <li>A request that fails with an I/O error or HTTP 5xx is retried up to {@code max.retries}
 *       times, moving to the next configured URL each time; after every full round over the URLs it
 *       backs off ({@code retries.wait.ms}, doubling, capped at {@code retries.max.wait.ms}). 4xx
 *       answers are not retried.
 *   <li>Errors become {@link RegistryException}s with the HTTP status and Confluent's {@code
 *       error_code} and {@code message} from the answer's JSON.
 * </ul>
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {

  /** The media type of Confluent's API, version 1. */
  public static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private static final String ACCEPT =
      CONTENT_TYPE + ", application/vnd.schemaregistry+json; qs=0.9, application/json; qs=0.5";
  private static final Logger log = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Endpoint> endpoints;
  private final HttpClient http;
  private final Duration requestTimeout;
  private final int maxRetries;
  private final long retryWaitMs;
  private final long retryMaxWaitMs;
  private final LruCache<Integer, Schema> schemasById;
  private final LruCache<SubjectSchema, Integer> idsBySubjectSchema;
  private final LruCache<SubjectSchema, SchemaMetadata> versionsBySubjectSchema;
  private volatile int preferred;

  private record Endpoint(URI base, Optional<String> authorization) {}

  /**
   * Cache key. It holds the schema itself, not its text: Avro caches a schema's hash and compares
   * by identity first, so a generated class's {@code SCHEMA$} costs a hash lookup per record, where
   * printing it would cost more than writing the record. The text is made only on a miss.
   */
  private record SubjectSchema(String subject, Schema schema) {}

  /** A client for the URLs and settings of {@code config} (which must not be a mock:// URL). */
  public HttpSchemaRegistryClient(RegistryClientConfig config) {
    Objects.requireNonNull(config, "config");
    if (config.mockScope().isPresent()) {
      throw new IllegalArgumentException("mock:// URLs are served by MockSchemaRegistry");
    }
    List<Endpoint> list = new ArrayList<>();
    for (String url : config.urls()) {
      URI uri = URI.create(url);
      Optional<String> authorization =
          config
              .userInfoFor(uri)
              .map(
                  info ->
                      "Basic "
                          + Base64.getEncoder()
                              .encodeToString(info.getBytes(StandardCharsets.UTF_8)));
      list.add(new Endpoint(withoutUserInfo(uri), authorization));
    }
    this.endpoints = List.copyOf(list);
    this.requestTimeout = Duration.ofMillis(config.getInt(RegistryClientConfig.REQUEST_TIMEOUT_MS));
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(requestTimeout);
    String truststore = config.getString(RegistryClientConfig.SSL_TRUSTSTORE_LOCATION);
    if (truststore != null) {
      builder.sslContext(trusting(config, Path.of(truststore)));
    }
    this.http = builder.build();
    this.maxRetries = config.getInt(RegistryClientConfig.MAX_RETRIES);
    this.retryWaitMs = config.getLong(RegistryClientConfig.RETRIES_WAIT_MS);
    this.retryMaxWaitMs = config.getLong(RegistryClientConfig.RETRIES_MAX_WAIT_MS);
    int capacity = config.getInt(RegistryClientConfig.CACHE_CAPACITY);
    this.schemasById = new LruCache<>(capacity);
    this.idsBySubjectSchema = new LruCache<>(capacity);
    this.versionsBySubjectSchema = new LruCache<>(capacity);
  }

  @Override
  public int register(String subject, Schema schema) {
    SubjectSchema key = key(subject, schema);
    return idsBySubjectSchema.get(
        key,
        k -> {
          JsonNode answer =
              call(
                  "POST",
                  "/subjects/" + encode(subject) + "/versions",
                  schemaBody(k.schema().toString()));
          int id = requiredInt(answer, "id");
          schemasById.put(id, schema);
          return id;
        });
  }

  @Override
  public Schema getSchemaById(int id) {
    return schemasById.get(
        id, k -> parse(requiredText(call("GET", "/schemas/ids/" + k, null), "schema")));
  }

  @Override
  public SchemaMetadata getLatestSchemaMetadata(String subject) {
    return metadata(call("GET", "/subjects/" + encode(subject) + "/versions/latest", null));
  }

  @Override
  public SchemaMetadata lookup(String subject, Schema schema) {
    return versionsBySubjectSchema.get(
        key(subject, schema),
        k ->
            metadata(
                call("POST", "/subjects/" + encode(subject), schemaBody(k.schema().toString()))));
  }

  @Override
  public boolean testCompatibility(String subject, Schema schema) {
    SubjectSchema key = key(subject, schema);
    try {
      JsonNode answer =
          call(
              "POST",
              "/compatibility/subjects/" + encode(subject) + "/versions/latest",
              schemaBody(key.schema().toString()));
      JsonNode verdict = answer.get("is_compatible");
      if (verdict == null || !verdict.isBoolean()) {
        throw malformed("is_compatible", answer);
      }
      return verdict.booleanValue();
    } catch (RegistryException e) {
      if (e.isSubjectNotFound() || e.errorCode() == RegistryException.VERSION_NOT_FOUND) {
        return true;
      }
      throw e;
    }
  }

  @Override
  public CompatibilityLevel getGlobalCompatibility() {
    return level(call("GET", "/config", null));
  }

  @Override
  public void setGlobalCompatibility(CompatibilityLevel level) {
    call("PUT", "/config", levelBody(level));
  }

  @Override
  public CompatibilityLevel getCompatibility(String subject) {
    try {
      return level(call("GET", "/config/" + encode(subject) + "?defaultToGlobal=true", null));
    } catch (RegistryException e) {
      if (e.errorCode() == RegistryException.SUBJECT_COMPATIBILITY_NOT_CONFIGURED
          || e.isSubjectNotFound()) {
        return getGlobalCompatibility();
      }
      throw e;
    }
  }

  @Override
  public void setCompatibility(String subject, CompatibilityLevel level) {
    call("PUT", "/config/" + encode(subject), levelBody(level));
  }

  @Override
  public List<String> listSubjects() {
    JsonNode answer = call("GET", "/subjects", null);
    if (!answer.isArray()) {
      throw malformed("subjects array", answer);
    }
    List<String> subjects = new ArrayList<>();
    answer.forEach(n -> subjects.add(n.asText()));
    return subjects;
  }

  @Override
  public List<Integer> deleteSubject(String subject) {
    JsonNode answer = call("DELETE", "/subjects/" + encode(subject), null);
    if (!answer.isArray()) {
      throw malformed("versions array", answer);
    }
    idsBySubjectSchema.removeIf(k -> k.subject().equals(subject));
    versionsBySubjectSchema.removeIf(k -> k.subject().equals(subject));
    List<Integer> versions = new ArrayList<>();
    answer.forEach(n -> versions.add(n.asInt()));
    return versions;
  }

  /**
   * Nothing to release: the JDK 17 {@link HttpClient} has no close method; its threads end once it
   * is unreachable.
   */
  @Override
  public void close() {}

  /**
   * Sends one request with retries and fail-over, returning the answer's JSON ({@code null} body
   * becomes an empty object).
   */
  private JsonNode call(String method, String path, JsonNode body) {
    int attempts = maxRetries + 1;
    int start = preferred;
    RegistryException last = null;
    for (int attempt = 0; attempt < attempts; attempt++) {
      int index = (start + attempt) % endpoints.size();
      Endpoint endpoint = endpoints.get(index);
      URI uri = URI.create(endpoint.base() + path);
      try {
        HttpResponse<String> response =
            http.send(request(method, uri, endpoint, body), HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          preferred = index;
          return readJson(response.body(), method, uri);
        }
        RegistryException error = error(method, uri, status, response.body());
        if (status < 500) {
          throw error;
        }
        last = error;
      } catch (IOException e) {
        last =
            new RegistryException(
                RegistryException.NO_HTTP_STATUS,
                RegistryException.NO_ERROR_CODE,
                method + " " + uri + " failed: " + e,
                e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryException(
            RegistryException.NO_HTTP_STATUS,
            RegistryException.NO_ERROR_CODE,
            "Interrupted during " + method + " " + uri,
            e);
      }
      if (attempt + 1 < attempts) {
        log.debug("Retrying after: {}", last.getMessage());
        if ((attempt + 1) % endpoints.size() == 0) {
          backOff((attempt + 1) / endpoints.size() - 1, last);
        }
      }
    }
    throw new RegistryException(
        last.httpStatus(),
        last.errorCode(),
        last.getMessage() + " (gave up after " + attempts + " attempts)",
        last);
  }

  private HttpRequest request(String method, URI uri, Endpoint endpoint, JsonNode body) {
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8);
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(uri)
            .timeout(requestTimeout)
            .header("Accept", ACCEPT)
            .method(method, publisher);
    if (body != null) {
      builder.header("Content-Type", CONTENT_TYPE);
    }
    endpoint.authorization().ifPresent(a -> builder.header("Authorization", a));
    return builder.build();
  }

  private void backOff(int round, RegistryException cause) {
    long wait = retryWaitMs;
    for (int i = 0; i < round && wait < retryMaxWaitMs; i++) {
      wait *= 2;
    }
    wait = Math.min(wait, retryMaxWaitMs);
    try {
      // Exponential back-off between bounded retries of a 5xx or I/O failure.
      Thread.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException(
          cause.httpStatus(),
          cause.errorCode(),
          "Interrupted while backing off after: " + cause.getMessage(),
          e);
    }
  }

  /** An SSL context that trusts what the configured truststore holds. */
  private static SSLContext trusting(RegistryClientConfig config, Path truststore) {
    Password password = config.getPassword(RegistryClientConfig.SSL_TRUSTSTORE_PASSWORD);
    try (InputStream in = Files.newInputStream(truststore)) {
      KeyStore ks =
          KeyStore.getInstance(config.getString(RegistryClientConfig.SSL_TRUSTSTORE_TYPE));
      ks.load(in, password == null ? null : password.value().toCharArray());
      TrustManagerFactory tmf =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(ks);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(null, tmf.getTrustManagers(), null);
      return ctx;
    } catch (IOException | GeneralSecurityException e) {
      throw new ConfigException(
          RegistryClientConfig.SSL_TRUSTSTORE_LOCATION,
          truststore.toString(),
          "cannot load the truststore: " + e);
    }
  }

  private static RegistryException error(String method, URI uri, int status, String body) {
    int code = RegistryException.NO_ERROR_CODE;
    String message = body;
    try {
      JsonNode json = JSON.readTree(body);
      if (json != null && json.isObject()) {
        if (json.path("error_code").isInt()) {
          code = json.get("error_code").intValue();
        }
        if (json.path("message").isTextual()) {
          message = json.get("message").textValue();
        }
      }
    } catch (JsonProcessingException e) {
      message = "(non-JSON body) " + body;
    }
    String hint =
        status == 401
            ? " (the registry refused the credentials: check "
                + RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE
                + " and "
                + RegistryClientConfig.BASIC_AUTH_USER_INFO
                + ")"
            : status == 403 ? " (the credentials are not allowed this request)" : "";
    return new RegistryException(
        status,
        code,
        method + " " + uri + " -> HTTP " + status + " error_code " + code + ": " + message + hint);
  }

  private static JsonNode readJson(String body, String method, URI uri) {
    if (body == null || body.isBlank()) {
      return JSON.createObjectNode();
    }
    try {
      return JSON.readTree(body);
    } catch (JsonProcessingException e) {
      throw new RegistryException(
          200,
          RegistryException.NO_ERROR_CODE,
          method + " " + uri + " returned a body that is not JSON: " + e.getOriginalMessage(),
          e);
    }
  }

  private static SchemaMetadata metadata(JsonNode answer) {
    return new SchemaMetadata(
        requiredText(answer, "subject"),
        requiredInt(answer, "version"),
        requiredInt(answer, "id"),
        parse(requiredText(answer, "schema")));
  }

  private static CompatibilityLevel level(JsonNode answer) {
    JsonNode level =
        answer.has("compatibilityLevel")
            ? answer.get("compatibilityLevel")
            : answer.get("compatibility");
    if (level == null || !level.isTextual()) {
      throw malformed("compatibilityLevel", answer);
    }
    return CompatibilityLevel.parse(level.textValue());
  }

  private static Schema parse(String schema) {
    try {
      return new Schema.Parser().parse(schema);
    } catch (SchemaParseException e) {
      throw new RegistryException(
          200,
          RegistryException.NO_ERROR_CODE,
          "The registry returned a schema Avro cannot parse: " + e.getMessage(),
          e);
    }
  }

  private static String requiredText(JsonNode answer, String field) {
    JsonNode value = answer.get(field);
    if (value == null || !value.isTextual()) {
      throw malformed(field, answer);
    }
    return value.textValue();
  }

  private static int requiredInt(JsonNode answer, String field) {
    JsonNode value = answer.get(field);
    if (value == null || !value.canConvertToInt()) {
      throw malformed(field, answer);
    }
    return value.intValue();
  }

  private static RegistryException malformed(String expected, JsonNode answer) {
    return new RegistryException(
        200,
        RegistryException.NO_ERROR_CODE,
        "Unexpected registry answer, missing '" + expected + "': " + answer);
  }

  private static ObjectNode schemaBody(String schema) {
    return JSON.createObjectNode().put("schema", schema);
  }

  private static ObjectNode levelBody(CompatibilityLevel level) {
    return JSON.createObjectNode()
        .put("compatibility", Objects.requireNonNull(level, "level").name());
  }

  private static SubjectSchema key(String subject, Schema schema) {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(schema, "schema");
    return new SubjectSchema(subject, schema);
  }

  private static String encode(String subject) {
    Objects.requireNonNull(subject, "subject");
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static URI withoutUserInfo(URI uri) {
    try {
      return new URI(
          uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("Bad registry URL " + uri, e);
    }
  }
}
