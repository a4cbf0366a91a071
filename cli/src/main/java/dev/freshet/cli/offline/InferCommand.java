package dev.freshet.cli.offline;

import dev.freshet.data.ClickedItem;
import dev.freshet.data.UserSequence;
import dev.freshet.model.CandidateModel;
import dev.freshet.model.UserContext;
import dev.freshet.offline.Instances;
import dev.freshet.offline.ModelRecommender;
import dev.freshet.offline.SequenceFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code freshet infer}: the reference's {@code infer.py}. For each good line of the infer file,
 * the user vector of the line's context (profile and its last {@code maxWindow} clicks, the state
 * after all of them) and the top-N admitted items by inner product, written as {@link
 * Recommendations} TSV in input order. By default, like the reference, items the line already
 * clicked may be recommended; {@code --exclude-seen} removes them.
 */
@Command(
    name = "infer",
    mixinStandardHelpOptions = true,
    description = {
      "Top-N items for each line of a reference TSV file, from the line's profile and history"
          + " (like infer.py). Output: user \\t ids \\t scores."
    })
public final class InferCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "CKPT",
      converter = PathConverters.ReadableFile.class,
      description = "Checkpoint written by train.")
  Path modelPath;

  @Option(
      names = "--infer",
      required = true,
      paramLabel = "FILE",
      converter = PathConverters.ReadableFile.class,
      description = "Reference TSV; one recommendation line per good input line.")
  Path infer;

  @Option(
      names = "--top-n",
      defaultValue = "10",
      description = "Items per line (default: ${DEFAULT-VALUE}).")
  int topN;

  @Option(names = "--exclude-seen", description = "Do not recommend items the line clicked.")
  boolean excludeSeen;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Output TSV (default: standard output).")
  Path out;

  @Option(
      names = "--batch-size",
      defaultValue = "256",
      description = "User vectors per forward pass (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Override
  public Integer call() throws Exception {
    Recommendations.checkTopN(spec, topN, batchSize);
    CandidateModel model = CandidateModel.load(modelPath);
    List<UserSequence> users = SequenceFiles.read(infer, spec.commandLine().getErr());
    int window = model.config().maxWindow();
    List<UserContext> contexts = new ArrayList<>(users.size());
    List<Set<String>> excluded = new ArrayList<>(users.size());
    for (UserSequence user : users) {
      contexts.add(Instances.currentContext(user, window));
      Set<String> seen = new HashSet<>();
      if (excludeSeen) {
        for (ClickedItem click : user.clicks()) {
          seen.add(click.videoId());
        }
      }
      excluded.add(seen);
    }
    ModelRecommender recommender = new ModelRecommender("model", model, batchSize);
    recommender.precompute(contexts);
    try (Recommendations.Output output = Recommendations.open(out, spec.commandLine().getOut())) {
      PrintWriter w = output.writer();
      for (int i = 0; i < users.size(); i++) {
        Recommendations.write(
            w, users.get(i).userId(), recommender.top(contexts.get(i), topN, excluded.get(i)));
      }
    }
    spec.commandLine()
        .getErr()
        .println(
            "recommended "
                + topN
                + " of "
                + recommender.catalogueSize()
                + " admitted items for "
                + users.size()
                + " lines"
                + (out == null ? "" : " -> " + out));
    return 0;
  }
}
