package dev.freshet.cli.demo;

import ch.qos.logback.classic.Level;
import dev.freshet.cli.logging.LogSetup;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code freshet demo}: runs the whole system in this JVM, shows live figures once a second and
 * serves the dashboard, for {@code --duration} or until Ctrl-C. See {@code docs/demo.md}.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Run Freshet end to end in this JVM: an in-process Kafka broker (KRaft) and schema registry"
          + " on 127.0.0.1, the stream app, the online trainer, and a click feeder that replays a"
          + " source onto the wall clock. Shows live figures and serves a dashboard; stops after"
          + " --duration or on Ctrl-C."
    })
public final class DemoCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--dir",
      defaultValue = ".freshet/demo",
      description =
          "Data directory, wiped at start if an earlier demo made it (default: ${DEFAULT-VALUE}).")
  Path dir;

  static final class SourceOptions {
    @Option(
        names = "--from-movielens",
        paramLabel = "DIR",
        description =
            "Replay MovieLens ratings (ml-latest-small layout) instead of synthetic clicks.")
    Path movieLens;

    @Option(
        names = "--from-tsv",
        paramLabel = "FILE",
        description = "Replay a reference-format TSV instead of synthetic clicks.")
    Path tsv;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  SourceOptions source;

  static final class RateOptions {
    @Option(
        names = "--rate",
        paramLabel = "CLICKS_PER_S",
        description = "Average clicks per second (default: 100).")
    Double rate;

    @Option(names = "--as-fast-as-possible", description = "Send clicks without pacing.")
    boolean asFastAsPossible;
  }

  @ArgGroup(exclusive = true, multiplicity = "0..1")
  RateOptions rate;

  @Option(
      names = "--duration",
      converter = DurationConverter.class,
      description = "Stop after this long, e.g. 90s, 5m, 1h30m (default: run until Ctrl-C).")
  Duration duration;

  @Option(
      names = "--partitions",
      defaultValue = "2",
      description = "Partitions of the per-user topics (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--dashboard-port",
      defaultValue = "8088",
      description = "Dashboard port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int dashboardPort;

  @Option(
      names = "--kafka-port",
      defaultValue = "0",
      description = "Kafka port on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(
      names = "--model-size",
      defaultValue = "small",
      converter = ModelSizeConverter.class,
      description =
          "default (the model's default widths) or small (narrower, learns faster; default:"
              + " ${DEFAULT-VALUE}).")
  DemoSettings.ModelSize modelSize;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of the generator and the model (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--frozen-after",
      defaultValue = "30s",
      converter = DurationConverter.class,
      description =
          "Freeze a copy of the snapshot current this long into the run, to compare against"
              + " (default: ${DEFAULT-VALUE}).")
  Duration frozenAfter;

  @Option(
      names = "--top-k",
      defaultValue = "20",
      description = "Size of the recommendations and K of Recall@K (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(
      names = "--feat-appear-limit",
      defaultValue = "1",
      description =
          "Clicks an item (or feature value) needs before it gets its own row; the reference"
              + " uses 20 (default: ${DEFAULT-VALUE}).")
  int featAppearLimit;

  @Option(
      names = "--verbose",
      description =
          "Keep Freshet's INFO logging and the Kafka WARN lines expected at start-up on stderr.")
  boolean verbose;

  @Override
  public Integer call() throws Exception {
    DemoSettings s = settings();
    if (!verbose) {
      ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger("dev.freshet")).setLevel(Level.WARN);
      LogSetup.hideExpectedKafkaWarnings(LogSetup.context());
    }
    PrintStream out = System.out;
    long started = System.currentTimeMillis();
    Demo demo = Demo.start(s, out);
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch finished = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                if (!finished.await(120, TimeUnit.SECONDS)) {
                  System.err.println("freshet demo: shutdown took longer than 120 s");
                }
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "freshet-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      out.println();
      out.println("Dashboard:  " + demo.dashboardUrl());
      out.println("Query API:  " + demo.streamAppUrl() + "users/{id}/recommendations");
      out.println("Kafka:      bootstrap.servers=" + demo.bootstrapServers());
      out.println(
          "Started in " + (System.currentTimeMillis() - started) + " ms. Press Ctrl-C to stop.");
      out.println();
      boolean tty = System.console() != null;
      long end =
          duration == null ? Long.MAX_VALUE : System.currentTimeMillis() + duration.toMillis();
      int ticks = 0;
      boolean exhaustedNoted = false;
      while (System.currentTimeMillis() < end) {
        if (stop.await(
            Math.min(1000, Math.max(1, end - System.currentTimeMillis())), TimeUnit.MILLISECONDS)) {
          break;
        }
        if (demo.trainerFailure() != null) {
          out.println();
          throw new IllegalStateException("the trainer stopped", demo.trainerFailure());
        }
        LiveFigures.Point p = demo.figures().last();
        ticks++;
        if (p != null && (tty || ticks % 10 == 0)) {
          String line = StatusLine.format(p, demo.figures().k());
          if (tty) {
            out.print("\r" + line + "\u001b[K");
          } else {
            out.println(line);
          }
          out.flush();
        }
        if (demo.sourceExhausted() && !exhaustedNoted) {
          exhaustedNoted = true;
          out.println();
          out.println("All clicks of the source were sent; the demo keeps serving until stopped.");
        }
      }
      out.println();
      out.println("Stopping (feeder, trainer with a final snapshot, stream app, broker)...");
      out.println(StatusLine.summary(demo));
    } finally {
      demo.close();
      out.println("Stopped.");
      finished.countDown();
      if (stop.getCount() > 0) {
        Runtime.getRuntime().removeShutdownHook(hook);
      }
    }
    return 0;
  }

  private static void level(String logger, Level level) {
    ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(logger)).setLevel(level);
  }

  DemoSettings settings() {
    DemoSettings s =
        new DemoSettings()
            .dir(dir)
            .duration(duration)
            .partitions(partitions)
            .dashboardPort(dashboardPort)
            .kafkaPort(kafkaPort)
            .modelSize(modelSize)
            .seed(seed)
            .frozenAfter(frozenAfter)
            .topK(topK)
            .featAppearLimit(featAppearLimit);
    if (source != null && source.movieLens != null) {
      if (!Files.isDirectory(source.movieLens)) {
        throw usage("--from-movielens: not a directory: " + source.movieLens);
      }
      s.source(DemoSettings.Source.MOVIELENS, source.movieLens);
    } else if (source != null && source.tsv != null) {
      if (!Files.isRegularFile(source.tsv)) {
        throw usage("--from-tsv: no such file: " + source.tsv);
      }
      s.source(DemoSettings.Source.TSV, source.tsv);
    }
    if (rate != null && rate.asFastAsPossible) {
      s.rate(0);
    } else if (rate != null && rate.rate != null) {
      if (!(rate.rate > 0) || rate.rate.isInfinite()) {
        throw usage("--rate must be a positive number of clicks per second, was " + rate.rate);
      }
      s.rate(rate.rate);
    }
    try {
      s.validate();
    } catch (IllegalArgumentException e) {
      throw usage(e.getMessage());
    }
    return s;
  }

  private CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /** Parses {@code 90s}, {@code 5m}, {@code 1h30m}, {@code 500ms} or ISO-8601 ({@code PT5M}). */
  static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
      String v = value.trim().toLowerCase(Locale.ROOT);
      if (v.startsWith("pt")) {
        try {
          return Duration.parse(value.trim());
        } catch (java.time.format.DateTimeParseException e) {
          throw new CommandLine.TypeConversionException("not a duration: '" + value + "'");
        }
      }
      Matcher m = PART.matcher(v);
      Duration d = Duration.ZERO;
      int at = 0;
      while (m.lookingAt()) {
        long n = Long.parseLong(m.group(1));
        d =
            d.plus(
                switch (m.group(2)) {
                  case "ms" -> Duration.ofMillis(n);
                  case "s" -> Duration.ofSeconds(n);
                  case "m" -> Duration.ofMinutes(n);
                  default -> Duration.ofHours(n);
                });
        at = m.end();
        m.region(at, v.length());
      }
      if (at == 0 || at != v.length()) {
        throw new CommandLine.TypeConversionException(
            "not a duration: '" + value + "' (use e.g. 90s, 5m, 1h30m)");
      }
      return d;
    }
  }

  /** Accepts {@code default} and {@code small}, any case. */
  static final class ModelSizeConverter
      implements CommandLine.ITypeConverter<DemoSettings.ModelSize> {
    @Override
    public DemoSettings.ModelSize convert(String value) {
      for (DemoSettings.ModelSize m : DemoSettings.ModelSize.values()) {
        if (m.name().equalsIgnoreCase(value.trim())) {
          return m;
        }
      }
      throw new CommandLine.TypeConversionException(
          "unknown model size '" + value + "' (use default or small)");
    }
  }
}
