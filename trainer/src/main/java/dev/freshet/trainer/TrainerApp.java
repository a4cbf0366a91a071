package dev.freshet.trainer;

import dev.freshet.metrics.PrometheusMeters;
import dev.freshet.serde.AvroClassTrust;
import dev.freshet.trainer.internals.MetricsServer;
import dev.freshet.trainer.internals.TrainerMeters;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the trainer as a process: {@code TrainerApp [config.properties] [key=value ...]}. Later
 * arguments override earlier ones. Ctrl-C (SIGTERM) publishes a final snapshot and exits.
 */
public final class TrainerApp {

  private static final Logger log = LoggerFactory.getLogger(TrainerApp.class);

  private TrainerApp() {}

  /** Parses {@code args}: property files and {@code key=value} pairs, in order. */
  public static Map<String, String> parseArgs(String... args) throws IOException {
    Map<String, String> props = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq > 0) {
        props.put(arg.substring(0, eq).trim(), arg.substring(eq + 1).trim());
      } else {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(Path.of(arg))) {
          p.load(r);
        }
        p.forEach((k, v) -> props.put(k.toString(), v.toString()));
      }
    }
    return props;
  }

  /** Runs a trainer until the JVM is asked to stop; returns the exit code. */
  public static int run(Map<String, String> props) {
    TrainerConfig config;
    try {
      config = new TrainerConfig(props);
    } catch (ConfigException e) {
      System.err.println("freshet trainer: " + e.getMessage());
      return 2;
    }
    OnlineTrainer trainer = new OnlineTrainer(config);
    PrometheusMeters meters = new PrometheusMeters("trainer");
    new TrainerMeters(trainer.metrics()).bindTo(meters.registry());
    trainer.meters(meters);
    MetricsServer metrics = null;
    try {
      int port = config.getInt(TrainerConfig.HTTP_PORT);
      if (port >= 0) {
        metrics =
            new MetricsServer(
                config.getString(TrainerConfig.HTTP_HOST), port, meters::scrape, () -> true);
        log.info(
            "trainer metrics at http://{}:{}/metrics",
            config.getString(TrainerConfig.HTTP_HOST),
            metrics.port());
      }
      Runtime.getRuntime().addShutdownHook(new Thread(trainer::close, "trainer-shutdown"));
      trainer.run();
      return 0;
    } catch (IOException e) {
      System.err.println("freshet trainer: " + e.getMessage());
      return 1;
    } finally {
      if (metrics != null) {
        metrics.close();
      }
      meters.close();
    }
  }

  public static void main(String[] args) throws IOException {
    AvroClassTrust.install();
    System.exit(run(parseArgs(args)));
  }
}
