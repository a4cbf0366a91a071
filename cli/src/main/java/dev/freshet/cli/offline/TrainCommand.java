package dev.freshet.cli.offline;

import dev.freshet.data.UserSequence;
import dev.freshet.model.CandidateModel;
import dev.freshet.offline.SequenceFiles;
import dev.freshet.offline.TrainingRun;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code freshet train}: the reference's {@code train.py}, delegated to {@link TrainingRun}: every
 * click of every line of the training file is one instance (the previous {@code --window} clicks as
 * history); {@code --passes} shuffled passes in mini-batches; after each pass a checkpoint {@code
 * DIR/pass-NNN.ckpt} (1-based) copied to {@code DIR/latest.ckpt}, a row in {@code
 * DIR/train-log.tsv}, and with {@code --test} the test metrics (each test line's last click
 * predicted from the clicks before it, K = {@code --k}).
 *
 * <p>The model configuration is written to {@code DIR/model-config.txt} (it is also inside every
 * checkpoint). With {@code --init} the checkpoint's configuration is used and the model-size
 * options are ignored; training continues from its state.
 */
@Command(
    name = "train",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Trains the candidate model on a reference TSV file (like train.py): passes, mini-batches,"
          + " a progress bar, loss per pass, a checkpoint per pass, and test metrics per pass."
    })
public final class TrainCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--train",
      required = true,
      paramLabel = "FILE",
      converter = PathConverters.ReadableFile.class,
      description = "Training set, reference TSV.")
  Path train;

  @Option(
      names = "--test",
      paramLabel = "FILE",
      converter = PathConverters.ReadableFile.class,
      description = "Test set, reference TSV: each line's last click is predicted.")
  Path test;

  @Option(
      names = "--out",
      required = true,
      paramLabel = "DIR",
      description = "Directory for checkpoints, config and log.")
  Path out;

  @Option(
      names = "--init",
      paramLabel = "CHECKPOINT",
      converter = PathConverters.ReadableFile.class,
      description = "Continue from this checkpoint (its configuration is used).")
  Path init;

  @Option(
      names = "--k",
      defaultValue = "20",
      description = "Cut-off of the test metrics (default: ${DEFAULT-VALUE}).")
  int k;

  @Mixin ModelOptions options;

  @Override
  public Integer call() throws Exception {
    if (k < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--k must be >= 1, was " + k);
    }
    int passes = options.passes();
    int batchSize = options.batchSize();
    PrintWriter stdout = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CandidateModel model;
    if (init != null) {
      model = CandidateModel.load(init);
      stdout.println("continuing from " + init + " (" + model.steps() + " steps)");
    } else {
      options.toConfig(); // rejects invalid model options before the data is read
      model = null;
    }
    List<UserSequence> trainUsers = SequenceFiles.read(train, err);
    List<UserSequence> testUsers = test == null ? null : SequenceFiles.read(test, err);
    if (model == null) {
      long searched = SequenceFiles.clicksWithSearchTokens(trainUsers);
      model = CandidateModel.create(options.toConfig(searched > 0));
      if (model.config().searchTokens()) {
        stdout.printf(
            java.util.Locale.ROOT,
            "%d training clicks carry search tokens: search-token input width %d%n",
            searched,
            model.config().searchDim());
      }
    }
    Path latest =
        new TrainingRun(stdout, err)
            .run(model, trainUsers, testUsers, out, passes, batchSize, options.seed(), k);
    stdout.println("latest checkpoint: " + latest);
    return 0;
  }
}
