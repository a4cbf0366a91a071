package dev.freshet.streams;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;

import dev.freshet.registry.RegistryClientConfig;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigDef.ValidString;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The stream app's typed configuration. Built once at start from properties (file, environment or
 * code); an invalid value fails here with Kafka's message naming the key, not later in a thread.
 *
 * <p>Keys that Kafka Streams itself knows ({@code bootstrap.servers}, {@code application.id},
 * {@code processing.guarantee}, {@code num.standby.replicas}, {@code state.dir}, ...) are passed
 * through by {@link #streamsProperties()}; the keys defined here are Freshet's own.
 */
public final class StreamAppConfig extends AbstractConfig {

  public static final String BOOTSTRAP_SERVERS = StreamsConfig.BOOTSTRAP_SERVERS_CONFIG;
  public static final String APPLICATION_ID = StreamsConfig.APPLICATION_ID_CONFIG;
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String PROCESSING_GUARANTEE = StreamsConfig.PROCESSING_GUARANTEE_CONFIG;
  public static final String NUM_STANDBY_REPLICAS = StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG;
  public static final String NUM_STREAM_THREADS = StreamsConfig.NUM_STREAM_THREADS_CONFIG;
  public static final String STATE_DIR = StreamsConfig.STATE_DIR_CONFIG;
  public static final String COMMIT_INTERVAL_MS = StreamsConfig.COMMIT_INTERVAL_MS_CONFIG;

  public static final String TOPIC_CLICKS = "topic.clicks";
  public static final String TOPIC_TRAINING_INSTANCES = "topic.training.instances";
  public static final String TOPIC_USER_VECTORS = "topic.user.vectors";
  public static final String TOPIC_RECOMMENDATIONS = "topic.recommendations";
  public static final String TOPIC_CLICKS_DLQ = "topic.clicks.dlq";
  public static final String TOPIC_MODEL_PARAMS = "topic.model.params";

  public static final String HISTORY_SIZE = "history.size";
  public static final String DEDUP_WINDOW_MS = "dedup.window.ms";
  public static final String DEDUP_MAX_IDS = "dedup.max.ids";
  public static final String LATE_GRACE_MS = "late.grace.ms";
  public static final String MAX_FUTURE_MS = "max.future.ms";
  public static final String MAX_TAGS = "max.tags";
  public static final String MAX_ID_LENGTH = "max.id.length";
  public static final String RECOMMENDATIONS_SIZE = "recommendations.size";
  public static final String EXCLUDE_SEEN = "recommendations.exclude.seen";
  public static final String PREQUENTIAL_WINDOW = "prequential.window";
  public static final String PREQUENTIAL_VERSIONS = "prequential.versions";
  public static final String BATCH_MAX_SIZE = "batch.max.size";
  public static final String BATCH_MAX_WAIT_MS = "batch.max.wait.ms";
  public static final String INDEX_EXACT_THRESHOLD = "index.exact.threshold";
  public static final String INDEX_EF_SEARCH = "index.ef.search";
  public static final String INDEX_SCAN_FRACTION = "index.scan.fraction";
  public static final String TOWER_CACHE_ITEMS = "tower.cache.items";
  public static final String HTTP_HOST = "http.host";
  public static final String HTTP_PORT = "http.port";
  public static final String DASHBOARD_TRAINER_GROUP = "dashboard.trainer.group";
  public static final String DASHBOARD_DEAD_LETTER_TOPICS = "dashboard.dead.letter.topics";

  /** Default {@code session.timeout.ms} of the app's consumers. */
  public static final int FAILOVER_SESSION_TIMEOUT_MS = 3000;

  /** Default {@code transaction.timeout.ms} of the app's producers under exactly-once. */
  public static final int FAILOVER_TRANSACTION_TIMEOUT_MS = 3000;

  private static final ConfigDef DEF =
      new ConfigDef()
          .define(BOOTSTRAP_SERVERS, Type.LIST, HIGH, "Kafka cluster to connect to.")
          .define(
              APPLICATION_ID,
              Type.STRING,
              "freshet-stream",
              HIGH,
              "Kafka Streams application id: consumer group, state and internal topic prefix."
                  + " A replay uses a new one.")
          .define(
              SCHEMA_REGISTRY_URL,
              Type.STRING,
              HIGH,
              "Confluent-compatible schema registry URL(s), comma-separated; mock://scope in tests.")
          .define(
              PROCESSING_GUARANTEE,
              Type.STRING,
              StreamsConfig.EXACTLY_ONCE_V2,
              ValidString.in(StreamsConfig.EXACTLY_ONCE_V2, StreamsConfig.AT_LEAST_ONCE),
              MEDIUM,
              "exactly_once_v2 (default) or at_least_once.")
          .define(
              NUM_STANDBY_REPLICAS,
              Type.INT,
              1,
              atLeast(0),
              MEDIUM,
              "Standby replicas that keep the per-user state warm on other instances, so a"
                  + " failed instance's users are served again within seconds (no effect with one"
                  + " instance).")
          .define(NUM_STREAM_THREADS, Type.INT, 1, atLeast(1), MEDIUM, "Stream threads.")
          .define(
              COMMIT_INTERVAL_MS,
              Type.LONG,
              10L,
              atLeast(1),
              MEDIUM,
              "How often the app commits (Kafka Streams' commit.interval.ms). Under exactly-once a"
                  + " read_committed consumer sees a recommendation only at the next commit, so"
                  + " this bounds the click-to-recommendation latency; Kafka Streams' own default"
                  + " (100 ms for exactly-once) is lowered here for freshness. Raise it to trade"
                  + " latency for throughput (see docs/benchmarks.md).")
          .define(
              STATE_DIR,
              Type.STRING,
              System.getProperty("java.io.tmpdir") + "/freshet-streams",
              MEDIUM,
              "Directory for the local state stores.")
          .define(TOPIC_CLICKS, Type.STRING, "clicks", HIGH, "Input: ClickEvent, key = userId.")
          .define(
              TOPIC_TRAINING_INSTANCES,
              Type.STRING,
              "training-instances",
              HIGH,
              "Output: TrainingInstance per click.")
          .define(TOPIC_USER_VECTORS, Type.STRING, "user-vectors", HIGH, "Output: UserVector.")
          .define(
              TOPIC_RECOMMENDATIONS,
              Type.STRING,
              "recommendations",
              HIGH,
              "Output: Recommendations (top-N per click).")
          .define(
              TOPIC_CLICKS_DLQ,
              Type.STRING,
              "clicks-dlq",
              HIGH,
              "Output: invalid click records, original bytes, the reason in headers.")
          .define(
              TOPIC_MODEL_PARAMS,
              Type.STRING,
              "model-params",
              HIGH,
              "Input: the trainer's parameter deltas and snapshot manifests.")
          .define(
              HISTORY_SIZE,
              Type.INT,
              20,
              between(1, 1000),
              MEDIUM,
              "Clicks kept per user: the training window (the reference's window size).")
          .define(
              DEDUP_WINDOW_MS,
              Type.LONG,
              600_000L,
              atLeast(0),
              MEDIUM,
              "A click whose eventId is among those of the user's clicks within this much event"
                  + " time before the user's newest click is a duplicate, counted and dropped. 0"
                  + " turns deduplication off.")
          .define(
              DEDUP_MAX_IDS,
              Type.INT,
              100,
              between(1, 100_000),
              LOW,
              "The most event ids kept per user for deduplication: the newest ones within"
                  + " dedup.window.ms. A user with more clicks than this inside the window could"
                  + " repeat an older one undetected; the ids live in the user's history record,"
                  + " so this bounds its size.")
          .define(
              LATE_GRACE_MS,
              Type.LONG,
              60_000L,
              atLeast(0),
              MEDIUM,
              "A click older than the user's newest click by at most this much is inserted in"
                  + " event-time order; an older one goes to the dead-letter topic.")
          .define(
              MAX_FUTURE_MS,
              Type.LONG,
              3_600_000L,
              atLeast(0),
              MEDIUM,
              "A click whose eventTime is this much later than its record timestamp is invalid.")
          .define(MAX_TAGS, Type.INT, 64, atLeast(0), LOW, "Most tags a click may carry.")
          .define(
              MAX_ID_LENGTH,
              Type.INT,
              256,
              atLeast(1),
              LOW,
              "Longest user, item, event id or feature value accepted.")
          .define(
              RECOMMENDATIONS_SIZE,
              Type.INT,
              30,
              between(1, 10_000),
              MEDIUM,
              "N of the top-N emitted per click.")
          .define(
              EXCLUDE_SEEN,
              Type.BOOLEAN,
              true,
              MEDIUM,
              "Leave out of the top-N the items in the user's history.")
          .define(
              PREQUENTIAL_WINDOW,
              Type.INT,
              10_000,
              between(1, 10_000_000),
              LOW,
              "N of the prequential HR@K and NDCG@K over the last N judged clicks (per model"
                  + " version and over all versions), next to the figures since start.")
          .define(
              PREQUENTIAL_VERSIONS,
              Type.INT,
              10,
              between(1, 10_000),
              LOW,
              "Model versions whose prequential figures are kept on /metrics at once; the oldest"
                  + " version's series is removed when a newer one is judged.")
          .define(
              BATCH_MAX_SIZE,
              Type.INT,
              256,
              atLeast(1),
              MEDIUM,
              "Clicks scored together in one batched forward pass at most.")
          .define(
              BATCH_MAX_WAIT_MS,
              Type.LONG,
              5L,
              atLeast(0),
              MEDIUM,
              "Longest a click waits for its batch to fill before it is scored.")
          .define(
              INDEX_EXACT_THRESHOLD,
              Type.INT,
              20_000,
              atLeast(0),
              LOW,
              "Below this many items the top-N search is exhaustive; above it, HNSW.")
          .define(
              INDEX_EF_SEARCH,
              Type.INT,
              100,
              between(1, 10_000),
              LOW,
              "HNSW search beam: larger finds more of the true top-N, slower (see"
                  + " docs/retrieval.md).")
          .define(
              INDEX_SCAN_FRACTION,
              Type.DOUBLE,
              0.1,
              between(0.0, 1.0),
              LOW,
              "Budget of the exact norm-bound scan that runs before the HNSW search, as a fraction"
                  + " of the items; the graph runs only when the scan cannot prove the exact"
                  + " top-N. 0 searches the graph only (see docs/retrieval.md).")
          .define(
              TOWER_CACHE_ITEMS,
              Type.INT,
              dev.freshet.streams.serving.ServingModel.DEFAULT_PROJECTION_SLOTS,
              atLeast(0),
              LOW,
              "Items whose LSTM input row (about 1 KB each at the default sizes) the user tower"
                  + " keeps until the next snapshot that changes the dense weights, so that an"
                  + " item met again in a window costs a copy instead of a product. Rounded up to"
                  + " a power of two; 0 turns the cache off. The vectors are the same either way"
                  + " (see docs/architecture.md).")
          .define(HTTP_HOST, Type.STRING, "127.0.0.1", LOW, "Interactive-query HTTP bind address.")
          .define(
              HTTP_PORT,
              Type.INT,
              8080,
              between(-1, 65535),
              LOW,
              "Interactive-query HTTP port; 0 picks a free one, -1 disables the server.")
          .define(
              DASHBOARD_TRAINER_GROUP,
              Type.STRING,
              "freshet-trainer",
              LOW,
              "The trainer's group.id, whose lag the dashboard (/dashboard/) shows.")
          .define(
              DASHBOARD_DEAD_LETTER_TOPICS,
              Type.LIST,
              "clicks-dlq,training-instances-dlq",
              LOW,
              "Dead-letter topics the dashboard counts by reason over the last hour.");

  public StreamAppConfig(Map<?, ?> props) {
    super(DEF, props, false);
  }

  /** The definition, for documentation and the CLI's {@code --help}. */
  public static ConfigDef configDef() {
    return new ConfigDef(DEF);
  }

  /**
   * The client security settings given here ({@code security.protocol}, {@code sasl.*}, {@code
   * ssl.*}), for the clients the app creates beside Kafka Streams (the parameter-log reader).
   */
  public Map<String, Object> securityProperties() {
    Map<String, Object> c = new java.util.HashMap<>();
    originals()
        .forEach(
            (k, v) -> {
              if (k.equals("security.protocol") || k.startsWith("sasl.") || k.startsWith("ssl.")) {
                c.put(k, v);
              }
            });
    return c;
  }

  /**
   * Settings for the clients the dashboard creates (an Admin client, a group-less reader):
   * bootstrap servers, client security settings and a client id of {@code application.id} + {@code
   * suffix}.
   */
  public Map<String, Object> clientProperties(String suffix) {
    Map<String, Object> c = securityProperties();
    c.put("bootstrap.servers", String.join(",", getList(BOOTSTRAP_SERVERS)));
    c.put("client.id", getString(APPLICATION_ID) + suffix);
    return c;
  }

  /**
   * The registry client's settings: {@code schema.registry.url} and every other {@code
   * schema.registry.*} and {@code basic.auth.*} key given here (credentials, truststore), under
   * Confluent's names.
   */
  public Map<String, Object> serdeProperties() {
    Map<String, Object> c = RegistryClientConfig.registryKeysOf(originals());
    c.put(SCHEMA_REGISTRY_URL, getString(SCHEMA_REGISTRY_URL));
    return c;
  }

  /** Properties for {@code KafkaStreams}: the Streams keys of this config plus any originals. */
  public Properties streamsProperties() {
    Properties p = new Properties();
    originals()
        .forEach(
            (k, v) -> {
              // Registry credentials are the serdes' (serdeProperties), not Kafka's.
              if (!DEF.names().contains(k) && !RegistryClientConfig.isRegistryKey(k)) {
                p.put(k, v);
              }
            });
    p.put(BOOTSTRAP_SERVERS, String.join(",", getList(BOOTSTRAP_SERVERS)));
    p.put(APPLICATION_ID, getString(APPLICATION_ID));
    p.put(PROCESSING_GUARANTEE, getString(PROCESSING_GUARANTEE));
    p.put(NUM_STANDBY_REPLICAS, getInt(NUM_STANDBY_REPLICAS));
    p.put(NUM_STREAM_THREADS, getInt(NUM_STREAM_THREADS));
    p.put(STATE_DIR, getString(STATE_DIR));
    p.put(COMMIT_INTERVAL_MS, getLong(COMMIT_INTERVAL_MS));
    // A stream thread blocked in poll() neither scores a waiting batch (wall-clock punctuation)
    // nor commits, so by default it waits no longer than a batch may wait.
    p.putIfAbsent(StreamsConfig.POLL_MS_CONFIG, Math.max(1L, getLong(BATCH_MAX_WAIT_MS)));
    // Task idling waits for every input partition of a task to have data, to process several
    // inputs in timestamp order. The topology has one source topic, so each task has one input
    // partition and idling orders nothing. Disabled, it also skips a readiness check that Kafka
    // Streams runs on every pass of its loop and that formats log messages (String.format)
    // whether or not they are logged: 5–6% of the stream thread's samples under a trickle.
    p.putIfAbsent(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
    // The topology has no global store, so this changes no behaviour today; it opts into the
    // handling Kafka Streams will make the default (and stops the start-up WARN that asks for it).
    // The partition assignor builds a StreamsConfig of its own from the main consumer's settings,
    // so the consumer gets the key too.
    Object global =
        p.computeIfAbsent(
            StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, k -> true);
    p.putIfAbsent(
        StreamsConfig.mainConsumerPrefix(
            StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG),
        global);
    // Recovery speed (docs/reliability.md, "Failover"): a killed instance's partitions move to
    // the standby once its session expires, and read_committed readers of its output partitions
    // wait for its open transaction to be aborted. Kafka's defaults (45 s, 10 s) make that a
    // minute; these make it a few seconds. The session needs a broker whose
    // group.min.session.timeout.ms allows it (Kafka's default is 6 s).
    p.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, FAILOVER_SESSION_TIMEOUT_MS);
    p.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, FAILOVER_SESSION_TIMEOUT_MS / 3);
    p.putIfAbsent(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, FAILOVER_TRANSACTION_TIMEOUT_MS);
    return p;
  }
}
