package dev.freshet.paramlog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.freshet.model.Activation;
import dev.freshet.model.LossType;
import dev.freshet.model.ModelConfig;
import dev.freshet.model.SequencePooling;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;

/**
 * {@link ModelConfig} as JSON, carried in every snapshot manifest so that a reader can build the
 * user tower the parameters belong to. Unknown fields are rejected (a newer trainer's config must
 * not be silently misread). {@link #toJson} writes every field; in a stored config ({@link
 * #fromJson(String)}) an absent field takes the reference network's value, which is what a config
 * written before the field existed meant. Settings ({@link #fromJson(String, ModelConfig.Builder)},
 * e.g. the trainer's {@code model.*} keys) fill absent fields from the given base, usually {@link
 * ModelConfig#builder()}'s defaults.
 */
public final class ModelConfigCodec {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> FIELDS =
      Set.of(
          "userDim",
          "provinceDim",
          "cityDim",
          "phoneDim",
          "itemDim",
          "categoryDim",
          "tagDim",
          "searchDim",
          "lstmHidden",
          "hiddenDim",
          "userVectorDim",
          "maxWindow",
          "useExampleAge",
          "pooling",
          "userActivation",
          "dropout",
          "tieItemEmbeddings",
          "temperature",
          "historyDropout",
          "lastItemSkip",
          "skipDecay",
          "loss",
          "numNegatives",
          "removeAccidentalHits",
          "inBatchNegatives",
          "samplerPower",
          "featAppearLimit",
          "rowExpiryMillis",
          "sparseLearningRate",
          "adagradInitialAccumulator",
          "denseLearningRate",
          "adamBeta1",
          "adamBeta2",
          "adamEpsilon",
          "precision",
          "seed");

  private ModelConfigCodec() {}

  /** The config as a JSON object. */
  public static String toJson(ModelConfig c) {
    Objects.requireNonNull(c, "config");
    ObjectNode n = JSON.createObjectNode();
    n.put("userDim", c.userDim());
    n.put("provinceDim", c.provinceDim());
    n.put("cityDim", c.cityDim());
    n.put("phoneDim", c.phoneDim());
    n.put("itemDim", c.itemDim());
    n.put("categoryDim", c.categoryDim());
    n.put("tagDim", c.tagDim());
    n.put("searchDim", c.searchDim());
    n.put("lstmHidden", c.lstmHidden());
    n.put("hiddenDim", c.hiddenDim());
    n.put("userVectorDim", c.userVectorDim());
    n.put("maxWindow", c.maxWindow());
    n.put("useExampleAge", c.useExampleAge());
    n.put("pooling", c.pooling().name());
    n.put("userActivation", c.userActivation().name());
    n.put("dropout", c.dropout());
    n.put("tieItemEmbeddings", c.tieItemEmbeddings());
    n.put("temperature", c.temperature());
    n.put("historyDropout", c.historyDropout());
    n.put("lastItemSkip", c.lastItemSkip());
    n.put("skipDecay", c.skipDecay());
    n.put("loss", c.loss().name());
    n.put("numNegatives", c.numNegatives());
    n.put("removeAccidentalHits", c.removeAccidentalHits());
    n.put("inBatchNegatives", c.inBatchNegatives());
    n.put("samplerPower", c.samplerPower());
    n.put("featAppearLimit", c.featAppearLimit());
    n.put("rowExpiryMillis", c.rowExpiryMillis());
    n.put("sparseLearningRate", c.sparseLearningRate());
    n.put("adagradInitialAccumulator", c.adagradInitialAccumulator());
    n.put("denseLearningRate", c.denseLearningRate());
    n.put("adamBeta1", c.adamBeta1());
    n.put("adamBeta2", c.adamBeta2());
    n.put("adamEpsilon", c.adamEpsilon());
    n.put("precision", c.precision().name());
    n.put("seed", c.seed());
    return n.toString();
  }

  /**
   * Parses a stored config ({@link #toJson} output); absent fields take the reference network's
   * values.
   *
   * @throws IllegalArgumentException if it is not a JSON object, has an unknown field, or a value
   *     the model rejects
   */
  public static ModelConfig fromJson(String json) {
    return fromJson(json, ModelConfig.reference());
  }

  /**
   * Parses a partial config: the fields present override {@code base}.
   *
   * @throws IllegalArgumentException as {@link #fromJson(String)}
   */
  public static ModelConfig fromJson(String json, ModelConfig.Builder base) {
    Objects.requireNonNull(json, "json");
    Objects.requireNonNull(base, "base");
    JsonNode n;
    try {
      n = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "model config is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("model config must be a JSON object, was: " + json);
    }
    for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!FIELDS.contains(f)) {
        throw new IllegalArgumentException("unknown model config field '" + f + "'");
      }
    }
    ModelConfig.Builder b = base;
    if (n.has("userDim")) b.userDim(intField(n, "userDim"));
    if (n.has("provinceDim")) b.provinceDim(intField(n, "provinceDim"));
    if (n.has("cityDim")) b.cityDim(intField(n, "cityDim"));
    if (n.has("phoneDim")) b.phoneDim(intField(n, "phoneDim"));
    if (n.has("itemDim")) b.itemDim(intField(n, "itemDim"));
    if (n.has("categoryDim")) b.categoryDim(intField(n, "categoryDim"));
    if (n.has("tagDim")) b.tagDim(intField(n, "tagDim"));
    if (n.has("searchDim")) b.searchDim(intField(n, "searchDim"));
    if (n.has("lstmHidden")) b.lstmHidden(intField(n, "lstmHidden"));
    if (n.has("hiddenDim")) b.hiddenDim(intField(n, "hiddenDim"));
    if (n.has("userVectorDim")) b.userVectorDim(intField(n, "userVectorDim"));
    if (n.has("maxWindow")) b.maxWindow(intField(n, "maxWindow"));
    if (n.has("useExampleAge")) b.useExampleAge(boolField(n, "useExampleAge"));
    if (n.has("pooling")) b.pooling(enumField(n, "pooling", SequencePooling.class));
    if (n.has("userActivation")) {
      b.userActivation(enumField(n, "userActivation", Activation.class));
    }
    if (n.has("dropout")) b.dropout(doubleField(n, "dropout"));
    if (n.has("tieItemEmbeddings")) b.tieItemEmbeddings(boolField(n, "tieItemEmbeddings"));
    if (n.has("temperature")) b.temperature(doubleField(n, "temperature"));
    if (n.has("historyDropout")) b.historyDropout(doubleField(n, "historyDropout"));
    if (n.has("lastItemSkip")) b.lastItemSkip(boolField(n, "lastItemSkip"));
    if (n.has("skipDecay")) b.skipDecay(doubleField(n, "skipDecay"));
    if (n.has("loss")) b.loss(enumField(n, "loss", LossType.class));
    if (n.has("numNegatives")) b.numNegatives(intField(n, "numNegatives"));
    if (n.has("removeAccidentalHits")) b.removeAccidentalHits(boolField(n, "removeAccidentalHits"));
    if (n.has("inBatchNegatives")) b.inBatchNegatives(boolField(n, "inBatchNegatives"));
    if (n.has("samplerPower")) b.samplerPower(doubleField(n, "samplerPower"));
    if (n.has("featAppearLimit")) b.featAppearLimit(intField(n, "featAppearLimit"));
    if (n.has("rowExpiryMillis")) b.rowExpiryMillis(longField(n, "rowExpiryMillis"));
    if (n.has("sparseLearningRate")) b.sparseLearningRate(doubleField(n, "sparseLearningRate"));
    if (n.has("adagradInitialAccumulator")) {
      b.adagradInitialAccumulator(doubleField(n, "adagradInitialAccumulator"));
    }
    if (n.has("denseLearningRate")) b.denseLearningRate(doubleField(n, "denseLearningRate"));
    if (n.has("adamBeta1")) b.adamBeta1(doubleField(n, "adamBeta1"));
    if (n.has("adamBeta2")) b.adamBeta2(doubleField(n, "adamBeta2"));
    if (n.has("adamEpsilon")) b.adamEpsilon(doubleField(n, "adamEpsilon"));
    if (n.has("precision")) b.precision(enumField(n, "precision", ModelConfig.Precision.class));
    if (n.has("seed")) b.seed(longField(n, "seed"));
    return b.build();
  }

  private static JsonNode field(JsonNode n, String name, boolean numeric) {
    JsonNode v = n.get(name);
    if (v.isTextual() && numeric) {
      try {
        return JSON.readTree(v.asText().trim());
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException(name + " must be a number, was '" + v.asText() + "'", e);
      }
    }
    return v;
  }

  private static int intField(JsonNode n, String name) {
    JsonNode v = field(n, name, true);
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException(name + " must be an integer, was " + v);
    }
    return v.intValue();
  }

  private static long longField(JsonNode n, String name) {
    JsonNode v = field(n, name, true);
    if (!v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new IllegalArgumentException(name + " must be an integer, was " + v);
    }
    return v.longValue();
  }

  private static double doubleField(JsonNode n, String name) {
    JsonNode v = field(n, name, true);
    if (!v.isNumber()) {
      throw new IllegalArgumentException(name + " must be a number, was " + v);
    }
    return v.doubleValue();
  }

  private static boolean boolField(JsonNode n, String name) {
    JsonNode v = n.get(name);
    String text = v.asText();
    if (v.isBoolean() || text.equals("true") || text.equals("false")) {
      return v.isBoolean() ? v.booleanValue() : Boolean.parseBoolean(text);
    }
    throw new IllegalArgumentException(name + " must be true or false, was " + v);
  }

  private static <E extends Enum<E>> E enumField(JsonNode n, String name, Class<E> type) {
    String text = n.get(name).asText().trim().toUpperCase(java.util.Locale.ROOT);
    try {
      return Enum.valueOf(type, text);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          name
              + " must be one of "
              + java.util.Arrays.toString(type.getEnumConstants())
              + ", was "
              + n.get(name),
          e);
    }
  }
}
