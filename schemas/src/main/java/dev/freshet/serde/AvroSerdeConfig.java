package dev.freshet.serde;

import dev.freshet.registry.RegistryClientConfig;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of the Avro serdes, with Confluent's names: every key of {@link RegistryClientConfig}
 * plus
 *
 * <table>
 *   <caption>Keys</caption>
 *   <tr><th>key</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@value #AUTO_REGISTER_SCHEMAS}</td><td>true</td><td>the serializer registers the
 *       datum's schema under the subject</td></tr>
 *   <tr><td>{@value #USE_LATEST_VERSION}</td><td>false</td><td>with auto-registration off, write
 *       with the subject's latest schema (which must be able to read the datum's schema) instead of
 *       requiring the datum's own schema to be registered; the latest version is fetched once per subject
 *       and serializer instance</td></tr>
 *   <tr><td>{@value #SPECIFIC_AVRO_READER}</td><td>false</td><td>{@link KafkaAvroDeserializer}
 *       returns generated classes instead of {@code GenericRecord}s</td></tr>
 *   <tr><td>{@value #KEY_SUBJECT_NAME_STRATEGY}, {@value #VALUE_SUBJECT_NAME_STRATEGY}</td>
 *       <td>TopicNameStrategy</td><td>TopicNameStrategy ({@code <topic>-key|value}),
 *       RecordNameStrategy ({@code <record full name>}) or TopicRecordNameStrategy
 *       ({@code <topic>-<record full name>}); Confluent's class names are accepted too</td></tr>
 * </table>
 */
public final class AvroSerdeConfig extends AbstractConfig {

  public static final String SCHEMA_REGISTRY_URL = RegistryClientConfig.SCHEMA_REGISTRY_URL;
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE =
      RegistryClientConfig.BASIC_AUTH_CREDENTIALS_SOURCE;
  public static final String BASIC_AUTH_USER_INFO = RegistryClientConfig.BASIC_AUTH_USER_INFO;
  public static final String AUTO_REGISTER_SCHEMAS = "auto.register.schemas";
  public static final String USE_LATEST_VERSION = "use.latest.version";
  public static final String SPECIFIC_AVRO_READER = "specific.avro.reader";
  public static final String KEY_SUBJECT_NAME_STRATEGY = "key.subject.name.strategy";
  public static final String VALUE_SUBJECT_NAME_STRATEGY = "value.subject.name.strategy";

  /** How a subject name is derived from the topic, the key/value side and the record's schema. */
  public enum SubjectNameStrategy {
    /** {@code <topic>-key} or {@code <topic>-value}: Confluent's default. */
    TOPIC_NAME,
    /** The record's full name: one subject per record type, across topics. */
    RECORD_NAME,
    /** {@code <topic>-<record full name>}: several record types in one topic. */
    TOPIC_RECORD_NAME;

    /** The subject for a datum with {@code schema} on {@code topic}'s key or value side. */
    public String subject(String topic, boolean isKey, Schema schema) {
      return switch (this) {
        case TOPIC_NAME -> topic + (isKey ? "-key" : "-value");
        case RECORD_NAME -> schema.getFullName();
        case TOPIC_RECORD_NAME -> topic + "-" + schema.getFullName();
      };
    }

    static SubjectNameStrategy parse(String key, String value) {
      String simple = value.substring(value.lastIndexOf('.') + 1).trim();
      return switch (simple.toLowerCase(Locale.ROOT)) {
        case "topicnamestrategy" -> TOPIC_NAME;
        case "recordnamestrategy" -> RECORD_NAME;
        case "topicrecordnamestrategy" -> TOPIC_RECORD_NAME;
        default ->
            throw new ConfigException(
                key,
                value,
                "expected TopicNameStrategy, RecordNameStrategy or TopicRecordNameStrategy");
      };
    }
  }

  private static final ConfigDef CONFIG = configDef();

  private final RegistryClientConfig registry;

  /** Parses and validates {@code props}; unknown keys are ignored. */
  public AvroSerdeConfig(Map<?, ?> props) {
    super(CONFIG, props, false);
    this.registry = new RegistryClientConfig(props);
    subjectNameStrategy(true);
    subjectNameStrategy(false);
  }

  /** The definition of this config's keys (the registry client's and the serdes'). */
  public static ConfigDef configDef() {
    ConfigDef.Validator strategy =
        (name, value) -> {
          if (value != null) {
            SubjectNameStrategy.parse(name, value.toString());
          }
        };
    return new ConfigDef(RegistryClientConfig.configDef())
        .define(
            AUTO_REGISTER_SCHEMAS,
            Type.BOOLEAN,
            true,
            Importance.MEDIUM,
            "Whether the serializer registers the datum's schema under the subject.")
        .define(
            USE_LATEST_VERSION,
            Type.BOOLEAN,
            false,
            Importance.MEDIUM,
            "With auto.register.schemas=false: write with the subject's latest schema rather than"
                + " requiring the datum's own schema to be registered.")
        .define(
            SPECIFIC_AVRO_READER,
            Type.BOOLEAN,
            false,
            Importance.MEDIUM,
            "Whether KafkaAvroDeserializer returns generated SpecificRecord classes.")
        .define(
            KEY_SUBJECT_NAME_STRATEGY,
            Type.STRING,
            "TopicNameStrategy",
            strategy,
            Importance.LOW,
            "Subject naming for keys: TopicNameStrategy, RecordNameStrategy or"
                + " TopicRecordNameStrategy.")
        .define(
            VALUE_SUBJECT_NAME_STRATEGY,
            Type.STRING,
            "TopicNameStrategy",
            strategy,
            Importance.LOW,
            "Subject naming for values: TopicNameStrategy, RecordNameStrategy or"
                + " TopicRecordNameStrategy.");
  }

  /** The registry client's part of this configuration. */
  public RegistryClientConfig registryClientConfig() {
    return registry;
  }

  /** {@value #AUTO_REGISTER_SCHEMAS}. */
  public boolean autoRegisterSchemas() {
    return getBoolean(AUTO_REGISTER_SCHEMAS);
  }

  /** {@value #USE_LATEST_VERSION}. */
  public boolean useLatestVersion() {
    return getBoolean(USE_LATEST_VERSION);
  }

  /** {@value #SPECIFIC_AVRO_READER}. */
  public boolean specificAvroReader() {
    return getBoolean(SPECIFIC_AVRO_READER);
  }

  /** The subject naming of the key or the value side. */
  public SubjectNameStrategy subjectNameStrategy(boolean isKey) {
    String key = isKey ? KEY_SUBJECT_NAME_STRATEGY : VALUE_SUBJECT_NAME_STRATEGY;
    return SubjectNameStrategy.parse(key, getString(key));
  }
}
