package dev.freshet.cli.ops;

import dev.freshet.cli.TopicSet;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code freshet topics}: creates Freshet's topic set ({@link TopicSet}) on a cluster, with the
 * partitions, replication, cleanup policies and retention it needs, and reports the topics that
 * exist with different settings (it never alters an existing topic). Idempotent: a second run
 * creates nothing and reports every topic as ok.
 */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = {
      "Create Freshet's topics (missing ones only) and report existing ones whose settings"
          + " differ. Existing topics are never changed.",
      "Exit code 0 when every topic matches (or was created), 1 when some differ."
    })
public final class TopicsCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster;

  @Option(
      names = "--partitions",
      defaultValue = "4",
      description =
          "Partitions of the per-user topics (clicks and everything keyed by user; default:"
              + " ${DEFAULT-VALUE}). Choose for the peak consumer parallelism: it cannot be changed"
              + " later without re-keying.")
  int partitions;

  @Option(
      names = "--replication-factor",
      paramLabel = "R",
      defaultValue = "-1",
      description =
          "Replicas per partition; -1 (default) = the broker's default.replication.factor.")
  short replicationFactor;

  @Option(
      names = "--click-retention",
      paramLabel = "DURATION",
      defaultValue = "30d",
      description =
          "How long clicks are kept, which bounds how far back `freshet replay` can go"
              + " (default: ${DEFAULT-VALUE}; 'forever' keeps everything).")
  String clickRetention;

  @Option(names = "--dry-run", description = "Report what would be created; change nothing.")
  boolean dryRun;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    CommandLine cl = spec.commandLine();
    if (partitions < 1) {
      throw new CommandLine.ParameterException(cl, "--partitions must be >= 1, was " + partitions);
    }
    if (replicationFactor < 1 && replicationFactor != -1) {
      throw new CommandLine.ParameterException(
          cl, "--replication-factor must be >= 1 or -1, was " + replicationFactor);
    }
    long retentionMs;
    if (clickRetention.equalsIgnoreCase("forever") || clickRetention.equals("-1")) {
      retentionMs = -1;
    } else {
      try {
        retentionMs = Converters.duration(clickRetention).toMillis();
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(cl, "--click-retention: " + e.getMessage());
      }
    }
    List<TopicSet.Spec> specs = TopicSet.specs(partitions, retentionMs);
    List<TopicReconciler.Outcome> outcomes;
    try (Admin admin = Admin.create(cluster.clientConfig(Map.of()))) {
      outcomes = TopicReconciler.reconcile(admin, specs, replicationFactor, dryRun);
    }
    PrintWriter out = cl.getOut();
    int mismatches = 0;
    for (TopicReconciler.Outcome o : outcomes) {
      TopicSet.Spec s = o.spec();
      out.printf(
          "%-12s %-24s partitions=%-3d %-8s %s%n",
          o.status().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'),
          s.name(),
          s.partitions(),
          s.compacted() ? "compact" : "delete",
          s.compacted() ? "" : "retention=" + TopicReconciler.human(s.retentionMs()));
      for (String d : o.differences()) {
        out.println("             ! " + d);
      }
      if (o.status() == TopicReconciler.Status.MISMATCH) {
        mismatches++;
      }
    }
    out.flush();
    if (mismatches > 0) {
      cl.getErr()
          .println(
              "freshet topics: "
                  + mismatches
                  + " topic(s) exist with different settings; they were not changed (see"
                  + " docs/operations.md, 'Topics').");
      cl.getErr().flush();
      return 1;
    }
    return 0;
  }
}
