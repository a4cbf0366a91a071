package dev.freshet.cli.ops;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code freshet transactions}: finds hanging transactions, and aborts them if asked. */
@Command(
    name = "transactions",
    mixinStandardHelpOptions = true,
    description = {
      "Finds hanging transactions: open transactions that no coordinator will end, which stop"
          + " every read_committed reader of their partition (a Kafka Streams restore, the"
          + " trainer, consumers of recommendations). Looks twice, --confirm-after apart.",
      "With --abort-hanging, aborts each of them (Kafka's kafka-transactions.sh abort). Exit"
          + " code 0 = none hanging (or all aborted), 1 = some hanging, 2 = bad options."
    })
public final class TransactionsCommand implements Callable<Integer> {

  @Mixin ClusterOptions cluster;

  @Option(
      names = "--abort-hanging",
      description = "Abort the hanging transactions found (their records are discarded).")
  boolean abort;

  @Option(
      names = "--confirm-after",
      defaultValue = "10s",
      converter = Converters.DurationConverter.class,
      description =
          "Time between the two looks; a transaction counts only if both found it (default:"
              + " ${DEFAULT-VALUE}).")
  Duration confirmAfter;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    CommandLine cl = spec.commandLine();
    if (confirmAfter.isNegative()) {
      throw new CommandLine.ParameterException(cl, "--confirm-after must not be negative");
    }
    PrintWriter out = cl.getOut();
    try (Admin admin =
        Admin.create(
            cluster.clientConfig(
                Map.of(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000)))) {
      List<HangingTransactions.Hanging> hanging = HangingTransactions.find(admin, confirmAfter);
      if (hanging.isEmpty()) {
        out.println("no hanging transactions");
        out.flush();
        return 0;
      }
      for (HangingTransactions.Hanging h : hanging) {
        out.printf(
            "hanging: %s from offset %d, producer %d epoch %d: %s%n",
            h.partition(), h.startOffset(), h.producerId(), h.producerEpoch(), h.reason());
      }
      if (!abort) {
        out.println("run again with --abort-hanging to abort them");
        out.flush();
        return 1;
      }
      HangingTransactions.abort(admin, hanging);
      out.printf("aborted %d hanging transaction(s)%n", hanging.size());
      out.flush();
      return 0;
    }
  }
}
