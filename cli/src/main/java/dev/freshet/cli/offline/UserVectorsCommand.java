package dev.freshet.cli.offline;

import dev.freshet.data.UserSequence;
import dev.freshet.model.CandidateModel;
import dev.freshet.model.SimpleLsh;
import dev.freshet.model.UserContext;
import dev.freshet.offline.Instances;
import dev.freshet.offline.SequenceFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code freshet user-vectors}: the reference's {@code user_vector.py}. One CSV row per good line
 * of the infer file, in input order: the user vector {@code [1, u]} of the line's context (its
 * profile and last {@code maxWindow} clicks). With {@code --simple-lsh} the SIMPLE-LSH query
 * transform {@code [x/|x| ; 0]} of that vector, to pair with {@code item-vectors --simple-lsh}.
 */
@Command(
    name = "user-vectors",
    mixinStandardHelpOptions = true,
    description = {
      "User vectors [1, u] of each line of a reference TSV file as CSV id,v1,... (like"
          + " user_vector.py)."
    })
public final class UserVectorsCommand implements Callable<Integer> {

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
      description = "Reference TSV; one vector per good line.")
  Path infer;

  @Option(names = "--out", required = true, paramLabel = "CSV", description = "Output CSV.")
  Path out;

  @Option(
      names = "--simple-lsh",
      description = "Write the SIMPLE-LSH query transform [x/|x| ; 0] (one more dimension).")
  boolean simpleLsh;

  @Option(
      names = "--batch-size",
      defaultValue = "256",
      description = "User vectors per forward pass (default: ${DEFAULT-VALUE}).")
  int batchSize;

  @Override
  public Integer call() throws Exception {
    Recommendations.checkTopN(spec, 1, batchSize);
    CandidateModel model = CandidateModel.load(modelPath);
    List<UserSequence> users = SequenceFiles.read(infer, spec.commandLine().getErr());
    List<UserContext> contexts = new ArrayList<>(users.size());
    for (UserSequence user : users) {
      contexts.add(Instances.currentContext(user, model.config().maxWindow()));
    }
    int dim = model.config().vectorDim() + (simpleLsh ? 1 : 0);
    try (VectorCsv csv = new VectorCsv(out, dim)) {
      for (int from = 0; from < contexts.size(); from += batchSize) {
        List<UserContext> batch =
            contexts.subList(from, Math.min(contexts.size(), from + batchSize));
        float[][] vectors = model.userVectors(batch);
        for (int i = 0; i < batch.size(); i++) {
          float[] v = simpleLsh ? SimpleLsh.transformUser(vectors[i]) : vectors[i];
          csv.write(users.get(from + i).userId(), v);
        }
      }
    }
    spec.commandLine()
        .getOut()
        .println("wrote " + users.size() + " user vectors of " + dim + " dims to " + out);
    return 0;
  }
}
