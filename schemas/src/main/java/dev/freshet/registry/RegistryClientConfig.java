package dev.freshet.registry;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The registry client's settings, with Confluent's names. Unknown keys are ignored, so the whole
 * configuration map of a producer, consumer or Streams app can be passed in.
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #SCHEMA_REGISTRY_URL}</td><td>(required to build a client)</td><td>comma-separated base URLs,
 *       tried in turn; or one {@code mock://scope}</td></tr>
 *   <tr><td>{@value #BASIC_AUTH_CREDENTIALS_SOURCE}</td><td>URL</td><td>{@code USER_INFO}: take
 *       {@value #BASIC_AUTH_USER_INFO}; {@code URL}: take the user info of the URL, if any</td></tr>
 *   <tr><td>{@value #BASIC_AUTH_USER_INFO}</td><td>none</td><td>{@code user:password}</td></tr>
 *   <tr><td>{@value #MAX_RETRIES}</td><td>3</td><td>retries of a request that failed with an I/O
 *       error or HTTP 5xx</td></tr>
 *   <tr><td>{@value #RETRIES_WAIT_MS}</td><td>200</td><td>first backoff; doubles per retry</td></tr>
 *   <tr><td>{@value #RETRIES_MAX_WAIT_MS}</td><td>5000</td><td>backoff cap</td></tr>
 *   <tr><td>{@value #REQUEST_TIMEOUT_MS}</td><td>30000</td><td>per-request timeout</td></tr>
 *   <tr><td>{@value #CACHE_CAPACITY}</td><td>1000</td><td>entries per client-side cache</td></tr>
 *   <tr><td>{@value #SSL_TRUSTSTORE_LOCATION}</td><td>none (the JDK's trusted CAs)</td><td>truststore
 *       file for {@code https://} registries, e.g. one with a self-signed certificate</td></tr>
 *   <tr><td>{@value #SSL_TRUSTSTORE_PASSWORD}</td><td>none</td><td>its password</td></tr>
 *   <tr><td>{@value #SSL_TRUSTSTORE_TYPE}</td><td>JKS</td><td>its type (JKS or PKCS12; the JDK
 *       reads either as JKS)</td></tr>
 * </table>
 */
public final class RegistryClientConfig extends AbstractConfig {

  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";
  public static final String MAX_RETRIES = "max.retries";
  public static final String RETRIES_WAIT_MS = "retries.wait.ms";
  public static final String RETRIES_MAX_WAIT_MS = "retries.max.wait.ms";
  public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";
  public static final String CACHE_CAPACITY = "schema.registry.cache.capacity";
  public static final String SSL_TRUSTSTORE_LOCATION = "schema.registry.ssl.truststore.location";
  public static final String SSL_TRUSTSTORE_PASSWORD = "schema.registry.ssl.truststore.password";
  public static final String SSL_TRUSTSTORE_TYPE = "schema.registry.ssl.truststore.type";

  /** Value of {@value #BASIC_AUTH_CREDENTIALS_SOURCE}: credentials from the URL's user info. */
  public static final String CREDENTIALS_SOURCE_URL = "URL";

  /**
   * Value of {@value #BASIC_AUTH_CREDENTIALS_SOURCE}: credentials from {@value
   * #BASIC_AUTH_USER_INFO}.
   */
  public static final String CREDENTIALS_SOURCE_USER_INFO = "USER_INFO";

  /** The scheme of in-memory test registries: {@code mock://scope}. */
  public static final String MOCK_SCHEME = "mock://";

  private static final ConfigDef CONFIG = configDef();

  /**
   * The registry client's keys among an application's settings: every {@code schema.registry.*} and
   * {@code basic.auth.*} key (URL, credentials, truststore), under Confluent's names. The one place
   * that decides which settings go to the serdes rather than to Kafka clients.
   */
  public static java.util.Map<String, Object> registryKeysOf(java.util.Map<String, ?> settings) {
    java.util.Map<String, Object> c = new java.util.HashMap<>();
    settings.forEach(
        (k, v) -> {
          if (isRegistryKey(k)) {
            c.put(k, v);
          }
        });
    return c;
  }

  /** Whether {@code key} is one of the registry client's settings (see {@link #registryKeysOf}). */
  public static boolean isRegistryKey(String key) {
    return key.startsWith("schema.registry.") || key.startsWith("basic.auth.");
  }

  /** Parses and validates {@code props}; fails fast with a {@link ConfigException}. */
  public RegistryClientConfig(Map<?, ?> props) {
    super(CONFIG, props, false);
    List<String> urls = urls();
    boolean mock = urls.stream().anyMatch(u -> u.startsWith(MOCK_SCHEME));
    if (mock && urls.size() > 1) {
      throw new ConfigException(SCHEMA_REGISTRY_URL, urls, "a mock:// URL must be the only URL");
    }
    if (!mock) {
      for (String url : urls) {
        URI uri;
        try {
          uri = URI.create(url);
        } catch (IllegalArgumentException e) {
          throw new ConfigException(SCHEMA_REGISTRY_URL, url, "not a URI: " + e.getMessage());
        }
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
          throw new ConfigException(SCHEMA_REGISTRY_URL, url, "scheme must be http, https or mock");
        }
      }
    }
    if (CREDENTIALS_SOURCE_USER_INFO.equals(getString(BASIC_AUTH_CREDENTIALS_SOURCE))) {
      Password info = getPassword(BASIC_AUTH_USER_INFO);
      if (info == null || !info.value().contains(":")) {
        throw new ConfigException(
            BASIC_AUTH_USER_INFO, "[hidden]", "USER_INFO credentials need 'user:password'");
      }
    }
  }

  /**
   * The definition of this config's keys; other configs (the serdes') extend it with {@code new
   * ConfigDef(RegistryClientConfig.configDef())}.
   */
  public static ConfigDef configDef() {
    return new ConfigDef()
        .define(
            SCHEMA_REGISTRY_URL,
            Type.LIST,
            "",
            Importance.HIGH,
            "Comma-separated schema registry base URLs, tried in turn when one fails; or a single"
                + " mock://scope for the in-memory registry of tests. Required unless the serde"
                + " is given a client.")
        .define(
            BASIC_AUTH_CREDENTIALS_SOURCE,
            Type.STRING,
            CREDENTIALS_SOURCE_URL,
            ConfigDef.ValidString.in(CREDENTIALS_SOURCE_URL, CREDENTIALS_SOURCE_USER_INFO),
            Importance.MEDIUM,
            "Where HTTP basic-auth credentials come from: URL (the URL's user info, if any) or"
                + " USER_INFO (basic.auth.user.info).")
        .define(
            BASIC_AUTH_USER_INFO,
            Type.PASSWORD,
            null,
            Importance.MEDIUM,
            "Basic-auth credentials 'user:password', used when the source is USER_INFO.")
        .define(
            MAX_RETRIES,
            Type.INT,
            3,
            ConfigDef.Range.between(0, 20),
            Importance.LOW,
            "How often a request that failed with an I/O error or HTTP 5xx is retried.")
        .define(
            RETRIES_WAIT_MS,
            Type.LONG,
            200L,
            ConfigDef.Range.atLeast(0),
            Importance.LOW,
            "Backoff before the first retry; doubles with every further retry.")
        .define(
            RETRIES_MAX_WAIT_MS,
            Type.LONG,
            5000L,
            ConfigDef.Range.atLeast(0),
            Importance.LOW,
            "Upper bound of the backoff between retries.")
        .define(
            REQUEST_TIMEOUT_MS,
            Type.INT,
            30_000,
            ConfigDef.Range.atLeast(1),
            Importance.LOW,
            "Timeout of one HTTP request (also used as the connect timeout).")
        .define(
            CACHE_CAPACITY,
            Type.INT,
            1000,
            ConfigDef.Range.atLeast(1),
            Importance.LOW,
            "Maximum entries of each client-side cache (schemas by id, ids by subject and schema).")
        .define(
            SSL_TRUSTSTORE_LOCATION,
            Type.STRING,
            null,
            Importance.MEDIUM,
            "Truststore for https:// registry URLs; unset means the JDK's default trusted CAs.")
        .define(
            SSL_TRUSTSTORE_PASSWORD,
            Type.PASSWORD,
            null,
            Importance.MEDIUM,
            "Password of the truststore.")
        .define(
            SSL_TRUSTSTORE_TYPE,
            Type.STRING,
            "JKS",
            Importance.LOW,
            "Type of the truststore: JKS or PKCS12.");
  }

  /** The configured URLs, trimmed, without trailing slashes. */
  public List<String> urls() {
    List<String> urls = new ArrayList<>();
    for (String url : getList(SCHEMA_REGISTRY_URL)) {
      String trimmed = url.trim();
      while (trimmed.endsWith("/")) {
        trimmed = trimmed.substring(0, trimmed.length() - 1);
      }
      if (!trimmed.isEmpty()) {
        urls.add(trimmed);
      }
    }
    return urls;
  }

  /** The scope of a {@code mock://scope} URL, if that is what is configured. */
  public Optional<String> mockScope() {
    List<String> urls = urls();
    if (urls.size() == 1 && urls.get(0).startsWith(MOCK_SCHEME)) {
      return Optional.of(urls.get(0).substring(MOCK_SCHEME.length()));
    }
    return Optional.empty();
  }

  /**
   * The {@code user:password} to send as HTTP basic auth to {@code url}, per {@value
   * #BASIC_AUTH_CREDENTIALS_SOURCE}; empty for none.
   */
  public Optional<String> userInfoFor(URI url) {
    if (CREDENTIALS_SOURCE_USER_INFO.equals(getString(BASIC_AUTH_CREDENTIALS_SOURCE))) {
      return Optional.of(getPassword(BASIC_AUTH_USER_INFO).value());
    }
    return Optional.ofNullable(url.getRawUserInfo())
        .map(u -> URLDecoder.decode(u, StandardCharsets.UTF_8));
  }
}
