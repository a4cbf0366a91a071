package dev.freshet.trainer;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Range.atLeast;
import static org.apache.kafka.common.config.ConfigDef.Range.between;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshet.model.ModelConfig;
import dev.freshet.paramlog.ModelConfigCodec;
import dev.freshet.registry.RegistryClientConfig;
import dev.freshet.trainer.internals.RecallGuard;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The trainer's typed configuration. Model hyper-parameters are given as {@code model.<field>} with
 * the field names of the model config JSON (e.g. {@code model.featAppearLimit=20}, {@code
 * model.numNegatives=5}); an unknown field fails at start.
 */
public final class TrainerConfig extends AbstractConfig {

  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";
  public static final String GROUP_ID = "group.id";
  public static final String TRANSACTIONAL_ID = "transactional.id";
  public static final String TOPIC_TRAINING_INSTANCES = "topic.training.instances";
  public static final String TOPIC_INSTANCES_DLQ = "topic.training.instances.dlq";
  public static final String TOPIC_MODEL_PARAMS = "topic.model.params";
  public static final String TOPIC_ITEM_VECTORS = "topic.item.vectors";
  public static final String TOPIC_SNAPSHOTS = "topic.snapshots";
  public static final String TOPIC_MODEL_SYNC = "topic.model.sync";
  public static final String INSTANCE_ID = "instance.id";
  public static final String BATCH_SIZE = "batch.size";
  public static final String BATCH_MAX_WAIT_MS = "batch.max.wait.ms";
  public static final String PUBLISH_INTERVAL_MS = "publish.interval.ms";
  public static final String PUBLISH_OVERLAP = "publish.overlap";
  public static final String SYNC_CATCHUP_MAX_MS = "sync.catchup.max.ms";
  public static final String PUBLISH_EVERY_BATCHES = "publish.every.batches";
  public static final String PUBLISH_EVERY_INSTANCES = "publish.every.instances";
  public static final String DETERMINISTIC = "deterministic";
  public static final String CHECKPOINT_DIR = "checkpoint.dir";
  public static final String CHECKPOINT_INTERVAL_MS = "checkpoint.interval.ms";
  public static final String CHECKPOINTS_KEPT = "checkpoints.kept";
  public static final String INIT_CHECKPOINT = "init.checkpoint";
  public static final String HTTP_HOST = "http.host";
  public static final String HTTP_PORT = "http.port";
  public static final String GUARDRAIL_ENABLED = "guardrail.enabled";
  public static final String TOPIC_RECOMMENDATIONS = "topic.recommendations";
  public static final String GUARDRAIL_MIN_JUDGED = "guardrail.min.judged";
  public static final String GUARDRAIL_MARGIN = "guardrail.margin";
  public static final String GUARDRAIL_MIN_Z = "guardrail.min.z";
  public static final String GUARDRAIL_LOOKBACK_BLOCKS = "guardrail.lookback.blocks";
  public static final String GUARDRAIL_HOLDOFF_MS = "guardrail.holdoff.ms";
  public static final String MODEL_PREFIX = "model.";

  /**
   * Prefix of Kafka settings for the trainer's producers only ({@code producer.batch.size=...}), as
   * in Kafka Streams; it also reaches settings whose plain name is one of the trainer's own keys.
   */
  public static final String PRODUCER_PREFIX = "producer.";

  /** Prefix of Kafka settings for the trainer's consumers only. */
  public static final String CONSUMER_PREFIX = "consumer.";

  private static final ConfigDef DEF =
      new ConfigDef()
          .define(BOOTSTRAP_SERVERS, Type.LIST, HIGH, "Kafka cluster to connect to.")
          .define(
              SCHEMA_REGISTRY_URL,
              Type.STRING,
              HIGH,
              "Confluent-compatible schema registry URL(s); mock://scope in tests.")
          .define(
              GROUP_ID,
              Type.STRING,
              "freshet-trainer",
              HIGH,
              "Consumer group of the training-instance topic; its offsets are committed in the"
                  + " publishing transaction.")
          .define(
              TRANSACTIONAL_ID,
              Type.STRING,
              "freshet-trainer",
              HIGH,
              "Producer transactional id; a restarted trainer fences its predecessor with it.")
          .define(
              TOPIC_TRAINING_INSTANCES,
              Type.STRING,
              "training-instances",
              HIGH,
              "Input: TrainingInstance records.")
          .define(
              TOPIC_INSTANCES_DLQ,
              Type.STRING,
              "training-instances-dlq",
              MEDIUM,
              "Output: input records that could not be used, with the reason in headers.")
          .define(
              TOPIC_MODEL_PARAMS,
              Type.STRING,
              "model-params",
              HIGH,
              "Output: the parameter log (one partition, compacted).")
          .define(
              TOPIC_ITEM_VECTORS,
              Type.STRING,
              "item-vectors",
              HIGH,
              "Output: item vectors [b_i, w_i] by item id (compacted).")
          .define(
              TOPIC_SNAPSHOTS,
              Type.STRING,
              "snapshots",
              HIGH,
              "Output: every snapshot manifest by version (compacted).")
          .define(
              TOPIC_MODEL_SYNC,
              Type.STRING,
              "model-sync",
              HIGH,
              "Trainers to each other: ModelContribution records, the deltas of each trainer's own"
                  + " training (one partition).")
          .define(
              INSTANCE_ID,
              Type.STRING,
              "",
              new InstanceIdValidator(),
              HIGH,
              "This trainer's id among the trainers of one group (letters, digits, '.', '_', '-';"
                  + " at most 64). Give every trainer of a scaled-out group its own: it names the"
                  + " transactional id ('<transactional.id>-<instance.id>') and the trainer's"
                  + " contributions. Empty (the default): one trainer, transactional id as given.")
          .define(BATCH_SIZE, Type.INT, 256, between(1, 1 << 16), MEDIUM, "Mini-batch size.")
          .define(
              BATCH_MAX_WAIT_MS,
              Type.LONG,
              200L,
              atLeast(0),
              MEDIUM,
              "A partial mini-batch is trained once its oldest instance waited this long, so a"
                  + " trickle of clicks is still learned from quickly. Ignored when deterministic.")
          .define(
              PUBLISH_INTERVAL_MS,
              Type.LONG,
              1000L,
              atLeast(0),
              MEDIUM,
              "Publish a snapshot at most this often (when something changed). Ignored when"
                  + " deterministic.")
          .define(
              PUBLISH_OVERLAP,
              Type.BOOLEAN,
              true,
              LOW,
              "Serialize and commit each snapshot's transaction on a thread of its own while"
                  + " training goes on (one in flight at a time) instead of waiting for it. The"
                  + " transaction's content is the same either way (docs/benchmarks.md, Trainer).")
          .define(
              SYNC_CATCHUP_MAX_MS,
              Type.LONG,
              1_000L,
              atLeast(0),
              LOW,
              "Several trainers: before each mini-batch a trainer that does not lead reads"
                  + " model-sync up to its committed end, waiting at most this long, so the step"
                  + " sees every contribution the others have committed. 0 trains on whatever the"
                  + " reader has fetched (docs/benchmarks.md, Several trainers).")
          .define(
              PUBLISH_EVERY_BATCHES,
              Type.INT,
              4,
              atLeast(1),
              MEDIUM,
              "When deterministic: publish after this many mini-batches.")
          .define(
              PUBLISH_EVERY_INSTANCES,
              Type.INT,
              0,
              atLeast(0),
              MEDIUM,
              "When > 0: publish after every this many consumed instances, and otherwise only at"
                  + " close. Mini-batches are then cut by batch.size only (the batch in progress"
                  + " is trained before each publish), so which instances a snapshot holds depends"
                  + " on the input alone, never on the wall clock: an event-time replay (freshet"
                  + " evaluate-online) uses this. Overrides publish.interval.ms, batch.max.wait.ms"
                  + " and deterministic's publishing.")
          .define(
              DETERMINISTIC,
              Type.BOOLEAN,
              false,
              MEDIUM,
              "Batch and publish by counts only (a partial batch is trained when the input is"
                  + " drained), so with one input partition and a fixed seed a run gives the same"
                  + " model whatever the timing and however often it is restarted. Matrix products"
                  + " then run on one thread (their rounding depends on the thread count).")
          .define(
              CHECKPOINT_DIR,
              Type.STRING,
              System.getProperty("java.io.tmpdir") + "/freshet-trainer",
              MEDIUM,
              "Where full checkpoints are written.")
          .define(
              CHECKPOINT_INTERVAL_MS,
              Type.LONG,
              60_000L,
              atLeast(0),
              MEDIUM,
              "Write a full checkpoint after a publish at most this often; 0 after every publish.")
          .define(CHECKPOINTS_KEPT, Type.INT, 3, atLeast(1), LOW, "Checkpoints kept on disk.")
          .define(
              INIT_CHECKPOINT,
              Type.STRING,
              "",
              MEDIUM,
              "Start a new model from this offline checkpoint (the train command's output)"
                  + " instead of from nothing. Ignored when the topics already hold a model.")
          .define(HTTP_HOST, Type.STRING, "127.0.0.1", LOW, "Metrics HTTP bind address.")
          .define(
              HTTP_PORT,
              Type.INT,
              -1,
              between(-1, 65535),
              LOW,
              "Metrics HTTP port; 0 picks a free one, -1 (default) disables it.")
          .define(
              GUARDRAIL_ENABLED,
              Type.BOOLEAN,
              false,
              MEDIUM,
              "Automatic rollback: read the stream app's prequential judgements from"
                  + " topic.recommendations and republish a recent version when the newest"
                  + " model's recall falls clearly below it (docs/operations.md, \"Rollback"
                  + " guardrail\"). Needs Read on that topic. Not with deterministic or"
                  + " publish.every.instances: a rollback depends on live timing.")
          .define(
              TOPIC_RECOMMENDATIONS,
              Type.STRING,
              "recommendations",
              MEDIUM,
              "Where the guardrail reads judgements: the stream app's Recommendations topic.")
          .define(
              GUARDRAIL_MIN_JUDGED,
              Type.LONG,
              1000L,
              atLeast(1),
              MEDIUM,
              "Judged clicks a block of consecutive versions needs before its recall is compared"
                  + " (the M of the guardrail).")
          .define(
              GUARDRAIL_MARGIN,
              Type.DOUBLE,
              0.2,
              between(0.0, 1.0),
              MEDIUM,
              "Relative drop that triggers a rollback: newest recall < best recent recall x (1 -"
                  + " margin).")
          .define(
              GUARDRAIL_MIN_Z,
              Type.DOUBLE,
              3.0,
              atLeast(0.0),
              MEDIUM,
              "The drop must also be significant: two-proportion z statistic at least this (0:"
                  + " the margin alone decides).")
          .define(
              GUARDRAIL_LOOKBACK_BLOCKS,
              Type.INT,
              5,
              between(1, 1000),
              LOW,
              "How many blocks before the newest one are candidates (the \"recent\" versions).")
          .define(
              GUARDRAIL_HOLDOFF_MS,
              Type.LONG,
              600_000L,
              atLeast(0),
              MEDIUM,
              "After a rollback (or a failed attempt) the guardrail decides nothing for this long:"
                  + " at most one rollback per hold-off window.");

  private final ModelConfig modelConfig;

  /** Accepts the empty id and short ids of letters, digits, '.', '_' and '-'. */
  private static final class InstanceIdValidator implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      String s = value == null ? "" : value.toString();
      if (s.length() > 64 || !s.matches("[A-Za-z0-9._-]*")) {
        throw new ConfigException(name, value, "use at most 64 letters, digits, '.', '_' or '-'");
      }
    }

    @Override
    public String toString() {
      return "[A-Za-z0-9._-]{0,64}";
    }
  }

  /**
   * The transactional id of this trainer: {@code transactional.id}, followed by {@code
   * -<instance.id>} when an instance id is set.
   */
  public String transactionalId() {
    String instance = getString(INSTANCE_ID);
    String base = getString(TRANSACTIONAL_ID);
    return instance.isEmpty() ? base : base + "-" + instance;
  }

  /** This trainer's name in contributions and manifests: its instance id, or "0" if none. */
  public String trainerName() {
    String instance = getString(INSTANCE_ID);
    return instance.isEmpty() ? "0" : instance;
  }

  public TrainerConfig(Map<?, ?> props) {
    super(DEF, props, false);
    this.modelConfig = parseModelConfig(originalsWithPrefix(MODEL_PREFIX));
    if (getBoolean(GUARDRAIL_ENABLED)
        && (getBoolean(DETERMINISTIC) || getInt(PUBLISH_EVERY_INSTANCES) > 0)) {
      throw new ConfigException(
          GUARDRAIL_ENABLED
              + "=true cannot be combined with "
              + DETERMINISTIC
              + "=true or "
              + PUBLISH_EVERY_INSTANCES
              + " > 0: a rollback decided on live judgements would make the run depend on"
              + " timing");
    }
  }

  /** The guardrail's settings. */
  public RecallGuard.Settings guardrailSettings() {
    return new RecallGuard.Settings(
        getLong(GUARDRAIL_MIN_JUDGED),
        getDouble(GUARDRAIL_MARGIN),
        getDouble(GUARDRAIL_MIN_Z),
        getInt(GUARDRAIL_LOOKBACK_BLOCKS),
        getLong(GUARDRAIL_HOLDOFF_MS));
  }

  /**
   * The Kafka client settings given here that are not Freshet's own keys nor {@code model.*},
   * {@code producer.*} or {@code consumer.*}: the security settings ({@code security.protocol},
   * {@code sasl.*}, {@code ssl.*}) and any other client property. Every Kafka client of the trainer
   * starts from these, then sets its own keys.
   */
  public Map<String, Object> clientProperties() {
    Map<String, Object> c = new java.util.HashMap<>();
    originals()
        .forEach(
            (k, v) -> {
              if (!DEF.names().contains(k)
                  && !k.startsWith(MODEL_PREFIX)
                  && !k.startsWith(PRODUCER_PREFIX)
                  && !k.startsWith(CONSUMER_PREFIX)
                  && !RegistryClientConfig.isRegistryKey(k)) {
                c.put(k, v);
              }
            });
    return c;
  }

  /** {@link #clientProperties()} with the {@code producer.*} settings (prefix cut) over them. */
  public Map<String, Object> producerProperties() {
    Map<String, Object> c = clientProperties();
    c.putAll(originalsWithPrefix(PRODUCER_PREFIX));
    return c;
  }

  /** {@link #clientProperties()} with the {@code consumer.*} settings (prefix cut) over them. */
  public Map<String, Object> consumerProperties() {
    Map<String, Object> c = clientProperties();
    c.putAll(originalsWithPrefix(CONSUMER_PREFIX));
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

  /** The definition, for documentation and {@code --help}. */
  public static ConfigDef configDef() {
    return new ConfigDef(DEF);
  }

  /** The model hyper-parameters from the {@code model.*} keys. */
  public ModelConfig modelConfig() {
    return modelConfig;
  }

  private static ModelConfig parseModelConfig(Map<String, Object> fields) {
    ObjectNode json = new ObjectMapper().createObjectNode();
    fields.forEach((k, v) -> json.put(k, String.valueOf(v)));
    try {
      return ModelConfigCodec.fromJson(json.toString(), ModelConfig.builder());
    } catch (IllegalArgumentException e) {
      throw new ConfigException("invalid model.* setting: " + e.getMessage());
    }
  }
}
