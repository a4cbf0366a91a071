package dev.freshet.model;

import dev.freshet.model.internals.Entry;
import dev.freshet.model.internals.Network;
import dev.freshet.model.internals.PlainTower;
import dev.freshet.model.internals.ProjectionCache;
import dev.freshet.model.internals.Resolver;
import dev.freshet.model.internals.SparseTable;
import dev.freshet.model.internals.Tensors;
import dev.freshet.model.internals.TowerBatch;
import dev.freshet.model.internals.TowerGates;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A read-only user tower assembled from published parameters: the dense tensors of {@link
 * CandidateModel#exportDense()} and rows served by a {@link RowSource} (the rows of {@link
 * CandidateModel#exportRow}). It runs the same forward code as {@link CandidateModel}, so with the
 * same rows and tensors it gives identical user vectors; a key the source does not have maps to the
 * table's {@code <unk>} row, as an unadmitted value does in the full model. Thread-safe if the row
 * source is (the dense parameters are never modified).
 *
 * <p>Two forward kernels compute the same function: a batched ND4J pass (one gemm per LSTM step for
 * the whole batch) and tight plain-Java loops over blocks of users (no native calls). They agree to
 * float rounding. {@link #userVectors(List)} picks the one measured faster for the batch size:
 * plain Java up to {@link #PLAIN_JAVA_MAX_BATCH} users in single precision, ND4J above (see {@code
 * docs/benchmarks.md}, "User tower inference"); {@link CandidateModel#userVectors} makes the same
 * choice, so both give identical vectors from identical parameters.
 */
public final class UserTower {
  /** Key of the {@code <unk>} row each table must provide. */
  public static final String UNK = SparseTable.UNK;

  /**
   * Largest batch that {@link Kernel#AUTO} runs with the plain-Java kernel (single-precision models
   * only; double-precision ones always use ND4J).
   */
  public static final int PLAIN_JAVA_MAX_BATCH = PlainTower.MAX_BATCH;

  /** Which forward implementation computes the user vectors. */
  public enum Kernel {
    /** The faster one for the batch size (what {@link #userVectors(List)} uses). */
    AUTO,
    /** Batched ND4J: one gemm per LSTM step and per dense layer for the whole batch. */
    ND4J,
    /**
     * Plain-Java float loops, users in blocks of {@link PlainTower#BLOCK} through each product
     * (four users by four weight rows per sweep).
     */
    PLAIN_JAVA,
    /**
     * The plain-Java kernel one user at a time (blocks of one): bit-identical to {@link
     * #PLAIN_JAVA}, for cross-checks and to measure what the blocks buy.
     */
    PLAIN_JAVA_ONE_USER,
    /**
     * {@link #PLAIN_JAVA} with the scalar LSTM gates ({@code TowerGates.SCALAR}) whatever the JVM's
     * default: what {@link #PLAIN_JAVA} is without the Vector API, to measure what it buys.
     */
    PLAIN_JAVA_SCALAR_GATES
  }

  /**
   * The LSTM gate pass the plain-Java kernel uses in this JVM: {@code vector(N lanes)} when the JVM
   * runs with {@code --add-modules=jdk.incubator.vector} (as the {@code freshet} launcher starts
   * it), else {@code scalar}; the system property {@code freshet.tower.gates} ({@code auto}, {@code
   * vector}, {@code scalar}) overrides the choice. The two agree to a few float ulps, not bit for
   * bit, so instances serving one application should run alike.
   */
  public static String gates() {
    return TowerGates.DEFAULT.name();
  }

  private final ModelConfig config;
  private final Network network;
  private final PlainTower plain;
  private final RowSource rows;

  /**
   * @param config the model's configuration (sizes must match the tensors and rows)
   * @param dense every dense tensor of the model
   * @param rows source of embedding rows
   * @throws IllegalArgumentException if a tensor is missing or has the wrong shape
   */
  public UserTower(ModelConfig config, Collection<DenseTensor> dense, RowSource rows) {
    this(config, dense, rows, 0, new ProjectionCounters());
  }

  /**
   * Like {@link #UserTower(ModelConfig, Collection, RowSource)}, with a cache of up to {@code
   * projectionSlots} items' LSTM input rows ({@code b + x_item·W_x}, about half of the LSTM's
   * multiply-adds): an item met again in a window, by any user, costs a copy instead of a product.
   * The vectors are bit-identical with and without it. It is only correct for a row source that
   * replaces a changed row with a new array and never modifies a row it has served: a cached row is
   * recognised by the identity of the array it was computed from, not by its values.
   *
   * @param projectionSlots slots of the direct-mapped cache (rounded up to a power of two, about 1
   *     KB each at the default sizes); 0 for none
   * @param counters where the cache's hits and misses are added (shared by successive towers)
   * @throws IllegalArgumentException as the three-argument constructor, or if {@code
   *     projectionSlots} is negative
   */
  public UserTower(
      ModelConfig config,
      Collection<DenseTensor> dense,
      RowSource rows,
      int projectionSlots,
      ProjectionCounters counters) {
    if (projectionSlots < 0) {
      throw new IllegalArgumentException("projectionSlots must be >= 0: " + projectionSlots);
    }
    Objects.requireNonNull(counters, "counters");
    this.config = Objects.requireNonNull(config, "config");
    Objects.requireNonNull(dense, "dense");
    this.rows = Objects.requireNonNull(rows, "rows");
    Map<String, long[]> shapes = Network.shapes(config);
    Map<String, INDArray> params = new LinkedHashMap<>();
    for (DenseTensor t : dense) {
      long[] shape = shapes.get(t.name());
      if (shape == null) {
        throw new IllegalArgumentException("unknown dense tensor " + t.name());
      }
      if (shape[0] != t.rows() || shape[1] != t.cols()) {
        throw new IllegalArgumentException(
            "dense tensor "
                + t.name()
                + " must be "
                + shape[0]
                + "x"
                + shape[1]
                + " but was "
                + t.rows()
                + "x"
                + t.cols());
      }
      float[] v = t.values();
      double[] d = new double[v.length];
      for (int i = 0; i < v.length; i++) {
        d[i] = v[i];
      }
      params.put(t.name(), Tensors.matrix(d, t.rows(), t.cols(), Network.dataType(config)));
    }
    this.network = new Network(config, params);
    this.plain =
        new PlainTower(
            config,
            params,
            projectionSlots == 0 ? null : new ProjectionCache(projectionSlots, counters));
  }

  public ModelConfig config() {
    return config;
  }

  /**
   * User vectors {@code [1, u]} ({@link ModelConfig#vectorDim()} wide), one per context, in order,
   * computed with the kernel that is faster for the batch size ({@link Kernel#AUTO}).
   *
   * @throws IllegalStateException if the row source lacks a needed {@code <unk>} row or serves a
   *     row of the wrong width
   */
  public float[][] userVectors(List<UserContext> users) {
    return userVectors(users, Kernel.AUTO);
  }

  /**
   * Like {@link #userVectors(List)} with an explicit kernel (for benchmarks and cross-checks).
   *
   * @throws IllegalStateException as {@link #userVectors(List)}
   */
  public float[][] userVectors(List<UserContext> users, Kernel kernel) {
    Objects.requireNonNull(users, "users");
    Objects.requireNonNull(kernel, "kernel");
    if (users.isEmpty()) {
      return new float[0][];
    }
    Map<Table, Map<String, Entry>> cache = new HashMap<>();
    TowerBatch batch =
        Resolver.resolve(
            users,
            config.maxWindow(),
            config.tieItemEmbeddings(),
            config.searchTokens(),
            (table, key) ->
                cache
                    .computeIfAbsent(table, t -> new HashMap<>())
                    .computeIfAbsent(key == null ? UNK : key, k -> entry(table, k)));
    boolean usePlain =
        switch (kernel) {
          case AUTO -> PlainTower.preferred(config, batch.size);
          case ND4J -> false;
          case PLAIN_JAVA, PLAIN_JAVA_ONE_USER, PLAIN_JAVA_SCALAR_GATES -> true;
        };
    double[] u =
        usePlain
            ? plain.forward(
                batch,
                kernel == Kernel.PLAIN_JAVA_ONE_USER ? 1 : PlainTower.BLOCK,
                kernel == Kernel.PLAIN_JAVA_SCALAR_GATES ? TowerGates.SCALAR : TowerGates.DEFAULT)
            : network.forward(batch).u();
    return userVectorsOf(u, users.size(), config.userVectorDim());
  }

  private Entry entry(Table table, String key) {
    float[] row = rows.row(table, key);
    String k = key;
    if (row == null && table == Table.ITEM_OUTPUT) {
      return null; // no <unk> output row: a tied history item without a row reads ITEM's <unk>
    }
    if (row == null) {
      k = UNK;
      row = rows.row(table, UNK);
      if (row == null) {
        throw new IllegalStateException("row source has no " + UNK + " row for table " + table);
      }
    }
    int dim = table.dim(config);
    if (row.length != dim) {
      throw new IllegalStateException(
          "row " + table + "/" + k + " has " + row.length + " values, expected " + dim);
    }
    return Entry.detached(k, row);
  }

  static float[][] userVectorsOf(double[] u, int n, int uDim) {
    float[][] out = new float[n][uDim + 1];
    for (int b = 0; b < n; b++) {
      out[b][0] = 1f;
      for (int j = 0; j < uDim; j++) {
        out[b][j + 1] = (float) u[b * uDim + j];
      }
    }
    return out;
  }
}
