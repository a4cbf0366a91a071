package dev.freshet.cli.offline;

import dev.freshet.data.synth.SyntheticClickGenerator;
import dev.freshet.data.synth.SyntheticConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code freshet generate}: writes a deterministic synthetic click log as reference TSV. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Writes a synthetic click log (Zipf popularity, user interests, new items, drift) as"
          + " reference TSV. The same options give the same file."
    })
public final class GenerateCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output TSV.")
  Path out;

  @Option(
      names = "--with-times",
      description = "Append each click's epoch-millis time as a fourth colon field.")
  boolean withTimes;

  @Mixin SyntheticOptions synthetic;

  @Override
  public Integer call() throws Exception {
    SyntheticConfig config = synthetic.toConfig();
    long lines = new SyntheticClickGenerator(config).writeTsv(out, withTimes);
    spec.commandLine()
        .getOut()
        .println("wrote " + lines + " users to " + out + " (" + config + ")");
    return 0;
  }
}
