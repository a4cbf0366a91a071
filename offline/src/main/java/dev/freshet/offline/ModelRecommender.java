package dev.freshet.offline;

import dev.freshet.data.UserSequence;
import dev.freshet.data.eval.Recommender;
import dev.freshet.data.eval.Split;
import dev.freshet.model.CandidateModel;
import dev.freshet.model.ItemVectors;
import dev.freshet.model.Mips;
import dev.freshet.model.ScoredItem;
import dev.freshet.model.UserContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The model as an evaluation {@link Recommender}: the user vector {@code [1, u]} of the history's
 * context ({@link Instances#currentContext}, the last {@code maxWindow} clicks and the profile),
 * then exact maximum inner product search ({@link Mips}) over a snapshot of the admitted items'
 * vectors taken at construction. Only admitted items can be recommended.
 *
 * <p>User vectors are computed in batched forward passes: {@link #precompute} (e.g. {@link
 * #precompute(Split)} for every test event of a split) fills a cache keyed by the context itself
 * (two histories with the same context get the same vector by construction); a context missing from
 * the cache is computed alone. The model must not be trained while this recommender is in use
 * (build a new one after training).
 */
public final class ModelRecommender implements Recommender {

  private final String name;
  private final CandidateModel model;
  private final ItemVectors items;
  private final int window;
  private final int batchSize;
  private final Map<UserContext, float[]> cache = new HashMap<>();

  /**
   * @param name the name in reports
   * @param model the trained model (not modified)
   * @param batchSize contexts per forward pass in {@link #precompute}, {@code >= 1}
   */
  public ModelRecommender(String name, CandidateModel model, int batchSize) {
    this.name = Objects.requireNonNull(name, "name");
    this.model = Objects.requireNonNull(model, "model");
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
    }
    this.batchSize = batchSize;
    this.items = model.itemVectors();
    this.window = model.config().maxWindow();
  }

  @Override
  public String name() {
    return name;
  }

  /** Number of items that can be recommended (admitted in the snapshot). */
  public int catalogueSize() {
    return items.size();
  }

  /** Computes and caches the user vectors of every test event's history in {@code split}. */
  public void precompute(Split split) {
    Objects.requireNonNull(split, "split");
    List<UserContext> contexts = new ArrayList<>();
    for (Split.TestUser user : split.test()) {
      UserSequence sequence = user.sequence();
      for (int i = user.firstTestIndex(); i < sequence.size(); i++) {
        contexts.add(Instances.contextBefore(sequence, i, window));
      }
    }
    precompute(contexts);
  }

  /** Computes and caches the user vectors of {@code contexts} in batches. */
  public void precompute(Collection<UserContext> contexts) {
    Objects.requireNonNull(contexts, "contexts");
    List<UserContext> missing = new ArrayList<>(new LinkedHashSet<>(contexts));
    missing.removeIf(cache::containsKey);
    for (int from = 0; from < missing.size(); from += batchSize) {
      List<UserContext> batch = missing.subList(from, Math.min(missing.size(), from + batchSize));
      float[][] vectors = model.userVectors(batch);
      for (int i = 0; i < batch.size(); i++) {
        cache.put(batch.get(i), vectors[i]);
      }
    }
  }

  /** The cached or freshly computed user vector of {@code context}. */
  public float[] userVector(UserContext context) {
    float[] v = cache.get(context);
    if (v == null) {
      v = model.userVectors(List.of(context))[0];
      cache.put(context, v);
    }
    return v;
  }

  /** The top {@code k} scored items for {@code context}, best first, none in {@code exclude}. */
  public List<ScoredItem> top(UserContext context, int k, Set<String> exclude) {
    return Mips.topK(items, userVector(context), k, exclude);
  }

  @Override
  public List<String> recommend(UserSequence history, int k, Set<String> exclude) {
    List<ScoredItem> top = top(Instances.currentContext(history, window), k, exclude);
    List<String> ids = new ArrayList<>(top.size());
    for (ScoredItem s : top) {
      ids.add(s.itemId());
    }
    return ids;
  }
}
