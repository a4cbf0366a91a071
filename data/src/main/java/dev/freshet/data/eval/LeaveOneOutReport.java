package dev.freshet.data.eval;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The result of a leave-one-out run ({@link LeaveOneOut}, {@link RankingEvaluator}): per
 * recommender, its test scores over one or more runs (one per seed for a trained model; a single
 * run for a deterministic baseline), their mean and standard deviation, as a text table and as
 * JSON.
 *
 * <p>The standard deviation is the sample one ({@code n-1} in the denominator) over the runs, and 0
 * for a single run. JSON layout: {@code {"protocol":"leave-one-out","k":[10,20],"mrr_depth":20,
 * "keep_seen":false,"validation_events":..,"test_events":..,"seeds":[..],"recommenders":{"<key>":
 * {"name":..,"HR@10":..,"HR@10_std":..,...,"runs":[{"seed":..,"pass":..,"HR@10":..,...}]}}}}}
 * ({@code seed} and {@code pass} only where they apply).
 *
 * @param cutoffs the cut-offs K, ascending
 * @param metrics the metric names in column order
 * @param mrrDepth the rank at which MRR is cut
 * @param keepSeen whether seen items stayed in the rankings
 * @param validationEvents validation events (one per eligible user)
 * @param testEvents test events (one per eligible user)
 * @param seeds the model seeds of this run (empty without a model)
 * @param entries one per recommender, in table order
 */
public record LeaveOneOutReport(
    List<Integer> cutoffs,
    List<String> metrics,
    int mrrDepth,
    boolean keepSeen,
    long validationEvents,
    long testEvents,
    List<Long> seeds,
    List<Entry> entries) {

  private static final JsonFactory JSON = new JsonFactory();

  /** Copies the lists. */
  public LeaveOneOutReport {
    cutoffs = List.copyOf(cutoffs);
    metrics = List.copyOf(metrics);
    seeds = List.copyOf(seeds);
    entries = List.copyOf(entries);
  }

  /**
   * The entry with the given key.
   *
   * @throws IllegalArgumentException if there is none
   */
  public Entry entry(String key) {
    for (Entry e : entries) {
      if (e.key().equals(key)) {
        return e;
      }
    }
    throw new IllegalArgumentException("no recommender '" + key + "'");
  }

  /** A fixed-width table: one row per recommender, {@code mean ± std} where there are runs. */
  public String toTable() {
    int width = "recommender".length();
    boolean spread = false;
    for (Entry e : entries) {
      width = Math.max(width, e.key().length());
      spread |= e.runs().size() > 1;
    }
    int cell = spread ? 17 : 8;
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "leave-one-out, full ranking%s; validation events = %d, test events = %d;"
                + " MRR over the top %d%n",
            keepSeen ? " (seen items kept)" : " (seen items excluded)",
            validationEvents,
            testEvents,
            mrrDepth));
    out.append(String.format(Locale.ROOT, "%-" + width + "s", "recommender"));
    for (String m : metrics) {
      out.append(String.format(Locale.ROOT, "  %" + cell + "s", m));
    }
    out.append(String.format(Locale.ROOT, "  %s%n", "runs"));
    for (Entry e : entries) {
      out.append(String.format(Locale.ROOT, "%-" + width + "s", e.key()));
      for (String m : metrics) {
        String value =
            e.runs().size() > 1
                ? String.format(Locale.ROOT, "%.4f ± %.4f", e.mean(m), e.std(m))
                : String.format(Locale.ROOT, "%.4f", e.mean(m));
        out.append(String.format(Locale.ROOT, "  %" + cell + "s", value));
      }
      out.append(String.format(Locale.ROOT, "  %d%n", e.runs().size()));
    }
    return out.toString();
  }

  /** Writes the JSON form (see the class comment) as UTF-8, replacing the file. */
  public void writeJson(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      writeJson(out);
    }
  }

  /** Writes the JSON form to {@code out} (not closed). */
  public void writeJson(Writer out) throws IOException {
    Objects.requireNonNull(out, "out");
    JsonGenerator json = JSON.createGenerator(out).useDefaultPrettyPrinter();
    json.writeStartObject();
    json.writeStringField("protocol", "leave-one-out");
    json.writeArrayFieldStart("k");
    for (int k : cutoffs) {
      json.writeNumber(k);
    }
    json.writeEndArray();
    json.writeNumberField("mrr_depth", mrrDepth);
    json.writeBooleanField("keep_seen", keepSeen);
    json.writeNumberField("validation_events", validationEvents);
    json.writeNumberField("test_events", testEvents);
    json.writeArrayFieldStart("seeds");
    for (long s : seeds) {
      json.writeNumber(s);
    }
    json.writeEndArray();
    json.writeObjectFieldStart("recommenders");
    for (Entry e : entries) {
      json.writeObjectFieldStart(e.key());
      json.writeStringField("name", e.name());
      for (String m : metrics) {
        json.writeNumberField(m, e.mean(m));
        json.writeNumberField(m + "_std", e.std(m));
      }
      json.writeArrayFieldStart("runs");
      for (Run run : e.runs()) {
        json.writeStartObject();
        if (run.seed() != null) {
          json.writeNumberField("seed", run.seed());
        }
        if (run.pass() != null) {
          json.writeNumberField("pass", run.pass());
        }
        for (String m : metrics) {
          json.writeNumberField(m, run.test().get(m));
        }
        json.writeEndObject();
      }
      json.writeEndArray();
      json.writeEndObject();
    }
    json.writeEndObject();
    json.writeEndObject();
    json.flush();
    out.write('\n');
    out.flush();
  }

  /**
   * One recommender's runs.
   *
   * @param key the short stable key ({@code popularity}, {@code model}, ...)
   * @param name the recommender's full name (with its parameters)
   * @param runs at least one
   */
  public record Entry(String key, String name, List<Run> runs) {

    /** Validates and copies. */
    public Entry {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(name, "name");
      runs = List.copyOf(runs);
      if (runs.isEmpty()) {
        throw new IllegalArgumentException("entry '" + key + "' has no runs");
      }
    }

    /** Mean of the metric over the runs. */
    public double mean(String metric) {
      double sum = 0;
      for (Run r : runs) {
        sum += r.test().get(metric);
      }
      return sum / runs.size();
    }

    /** Sample standard deviation of the metric over the runs; 0 for one run. */
    public double std(String metric) {
      if (runs.size() < 2) {
        return 0;
      }
      double mean = mean(metric);
      double sq = 0;
      for (Run r : runs) {
        double d = r.test().get(metric) - mean;
        sq += d * d;
      }
      return Math.sqrt(sq / (runs.size() - 1));
    }

    /** The chosen passes of the runs that have one, in run order. */
    public List<Integer> passes() {
      List<Integer> out = new ArrayList<>();
      for (Run r : runs) {
        if (r.pass() != null) {
          out.add(r.pass());
        }
      }
      return out;
    }
  }

  /**
   * One run's test scores.
   *
   * @param seed the model seed, or null for a deterministic baseline
   * @param pass the pass whose model was scored (early stopping), or null
   * @param test the test scores
   */
  public record Run(Long seed, Integer pass, RankingScores test) {

    /** Validates. */
    public Run {
      Objects.requireNonNull(test, "test");
    }
  }
}
