package dev.freshet.cli.offline;

import dev.freshet.model.CandidateModel;
import dev.freshet.model.Table;
import dev.freshet.model.UserContext;
import dev.freshet.offline.Instances;
import dev.freshet.offline.ModelRecommender;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code freshet infer-user}: the reference's {@code infer_user.py} offline-mining mode. The
 * context of each user has only the user id (province, city, phone unknown; empty history), so the
 * recommendations come from the user's own embedding and the shared weights. A user id without a
 * row of its own (never seen {@code feat_appear_limit} times) falls back to {@code <unk>} and gets
 * the same list as every other unknown user; their number is reported.
 *
 * <p>Users come from {@code --user-ids a,b,c} or a file {@code --users FILE} with one id per line
 * (the first tab-separated field, so a reference TSV works too; blank lines are skipped). Output as
 * {@link Recommendations}, in input order.
 */
@Command(
    name = "infer-user",
    mixinStandardHelpOptions = true,
    description = {
      "Top-N items from the user id alone, profile and history unknown (like infer_user.py)."
    })
public final class InferUserCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "CKPT",
      converter = PathConverters.ReadableFile.class,
      description = "Checkpoint written by train.")
  Path modelPath;

  static final class Users {
    @Option(
        names = "--users",
        paramLabel = "FILE",
        converter = PathConverters.ReadableFile.class,
        description = "One user id per line (first tab-separated field).")
    Path file;

    @Option(
        names = "--user-ids",
        split = ",",
        paramLabel = "ID",
        description = "User ids, comma-separated.")
    List<String> ids;
  }

  @ArgGroup(exclusive = true, multiplicity = "1")
  Users users;

  @Option(
      names = "--top-n",
      defaultValue = "10",
      description = "Items per user (default: ${DEFAULT-VALUE}).")
  int topN;

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
    List<String> ids;
    if (users.ids != null) {
      ids = List.copyOf(users.ids);
      for (String id : ids) {
        if (id.isBlank()) {
          throw new CommandLine.ParameterException(
              spec.commandLine(), "--user-ids contains an empty user id");
        }
      }
    } else {
      ids = readIds(users.file, spec.commandLine().getErr());
    }
    CandidateModel model = CandidateModel.load(modelPath);
    List<UserContext> contexts = new ArrayList<>(ids.size());
    int unknown = 0;
    for (String id : ids) {
      contexts.add(Instances.userIdOnly(id));
      if (!model.isAdmitted(Table.USER, id)) {
        unknown++;
      }
    }
    ModelRecommender recommender = new ModelRecommender("model", model, batchSize);
    recommender.precompute(contexts);
    try (Recommendations.Output output = Recommendations.open(out, spec.commandLine().getOut())) {
      PrintWriter w = output.writer();
      for (int i = 0; i < ids.size(); i++) {
        Recommendations.write(w, ids.get(i), recommender.top(contexts.get(i), topN, Set.of()));
      }
    }
    spec.commandLine()
        .getErr()
        .println(
            "recommended "
                + topN
                + " items for "
                + ids.size()
                + " users ("
                + unknown
                + " without their own embedding row, served as <unk>)");
    return 0;
  }

  /** The ids of {@code file}; a line whose first field is empty is reported and skipped. */
  private static List<String> readIds(Path file, PrintWriter err) throws IOException {
    List<String> ids = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String line;
      long number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank()) {
          continue;
        }
        int tab = line.indexOf('\t');
        String id = (tab < 0 ? line : line.substring(0, tab)).strip();
        if (id.isEmpty()) {
          err.println("  bad line " + file + ":" + number + ": empty user id (skipped)");
        } else {
          ids.add(id);
        }
      }
    }
    return ids;
  }
}
