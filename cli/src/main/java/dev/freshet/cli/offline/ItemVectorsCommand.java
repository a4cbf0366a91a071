package dev.freshet.cli.offline;

import dev.freshet.model.CandidateModel;
import dev.freshet.model.ItemVectors;
import dev.freshet.model.SimpleLsh;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code freshet item-vectors}: the reference's {@code item_vector.py}. One CSV row per admitted
 * item, sorted by id: the item vector {@code [b_i, w_i]}. With {@code --simple-lsh} the SIMPLE-LSH
 * item transform {@code [v/m ; sqrt(1 - |v/m|^2)]} with {@code m} the largest item norm of the
 * snapshot (every row then has unit norm; {@code m} is printed).
 */
@Command(
    name = "item-vectors",
    mixinStandardHelpOptions = true,
    description = {
      "Item vectors [b_i, w_i] of every admitted item as CSV id,v1,... (like item_vector.py),"
          + " optionally SIMPLE-LSH transformed."
    })
public final class ItemVectorsCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "CKPT",
      converter = PathConverters.ReadableFile.class,
      description = "Checkpoint written by train.")
  Path modelPath;

  @Option(names = "--out", required = true, paramLabel = "CSV", description = "Output CSV.")
  Path out;

  @Option(
      names = "--simple-lsh",
      description = "Write [v/m ; sqrt(1-|v/m|^2)] (unit norm, one more dimension).")
  boolean simpleLsh;

  @Override
  public Integer call() throws Exception {
    CandidateModel model = CandidateModel.load(modelPath);
    ItemVectors items = model.itemVectors();
    String note = "";
    if (simpleLsh) {
      SimpleLsh lsh = SimpleLsh.fit(items);
      items = lsh.transformItems(items);
      note = String.format(Locale.ROOT, " (SIMPLE-LSH, m = %.6g)", lsh.maxNorm());
    }
    try (VectorCsv csv = new VectorCsv(out, items.dim())) {
      for (int i = 0; i < items.size(); i++) {
        csv.write(items.id(i), items.vector(i));
      }
    }
    spec.commandLine()
        .getOut()
        .println(
            "wrote "
                + items.size()
                + " item vectors of "
                + items.dim()
                + " dims"
                + note
                + " to "
                + out);
    return 0;
  }
}
