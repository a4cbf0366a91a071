package dev.freshet.data.eval;

import dev.freshet.data.ClickedItem;
import dev.freshet.data.UserSequence;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Sequence-aware nearest neighbours over the user's recent clicks, after V-SKNN (Ludewig and
 * Jannach, "Evaluation of session-based recommendation algorithms", UMUAI 2018): the training
 * sequences of other users that share items with the user's last {@code recent} clicks are the
 * candidate neighbours; the {@code neighbours} most similar vote for their items.
 *
 * <p>The user's recent clicks form a weighted vector: of the last {@code L = min(recent, n)}
 * clicks, the one at position {@code p} (0 = oldest of them) weighs {@code (p+1)/L}, so the latest
 * click weighs 1 (V-SKNN's linear decay; a repeated item keeps its latest weight). A neighbour is
 * the set of items of one training sequence; its similarity is the cosine between that binary set
 * and the weighted vector, {@code sum of shared weights / (|w| · sqrt(|neighbour|))}. An item's
 * score is the sum of the similarities of the chosen neighbours that contain it; ties go to the
 * more popular item, then the smaller id. The user's own training sequence is never a neighbour
 * (the history is the query), and {@link MostPopularRecommender} fills the list when the neighbours
 * know too few items. Unlike the original, neighbours are not sampled by recency (the sequence
 * files carry no times): every sequence sharing an item is considered.
 *
 * <p>Fitting indexes each sequence's distinct items and each item's sequences (posting lists), so
 * one recommendation costs the total length of the recent items' posting lists plus the chosen
 * neighbours' lengths. Immutable after fitting, but {@link #recommend} uses scratch arrays: not
 * thread-safe.
 */
public final class SessionKnnRecommender implements Recommender {

  /** Default number of neighbours that vote. */
  public static final int DEFAULT_NEIGHBOURS = 500;

  /** Default number of recent clicks that make the query. */
  public static final int DEFAULT_RECENT = 5;

  private final Map<String, Integer> itemIndex;
  private final String[] itemIds;
  private final int[] itemCounts;
  private final int[][] sequences;
  private final String[] owners;
  private final double[] inverseNorms;
  private final int[][] postings;
  private final MostPopularRecommender popular;
  private final int neighbours;
  private final int recent;
  private final double[] similarity;
  private final int[] touched;
  private final double[] scores;
  private final int[] scored;

  private SessionKnnRecommender(
      Map<String, Integer> itemIndex,
      String[] itemIds,
      int[][] sequences,
      String[] owners,
      int[][] postings,
      MostPopularRecommender popular,
      int neighbours,
      int recent) {
    this.itemIndex = itemIndex;
    this.itemIds = itemIds;
    this.sequences = sequences;
    this.owners = owners;
    this.postings = postings;
    this.popular = popular;
    this.neighbours = neighbours;
    this.recent = recent;
    this.itemCounts = new int[itemIds.length];
    for (int i = 0; i < itemIds.length; i++) {
      itemCounts[i] = popular.count(itemIds[i]);
    }
    this.inverseNorms = new double[sequences.length];
    for (int s = 0; s < sequences.length; s++) {
      inverseNorms[s] = 1.0 / Math.sqrt(sequences[s].length);
    }
    this.similarity = new double[sequences.length];
    this.touched = new int[sequences.length];
    this.scores = new double[itemIds.length];
    this.scored = new int[itemIds.length];
  }

  /** Fits with {@link #DEFAULT_NEIGHBOURS} and {@link #DEFAULT_RECENT}. */
  public static SessionKnnRecommender fit(List<UserSequence> train) {
    return fit(train, DEFAULT_NEIGHBOURS, DEFAULT_RECENT);
  }

  /**
   * Indexes the training sequences.
   *
   * @param neighbours neighbours that vote, {@code >= 1}
   * @param recent recent clicks that make the query, {@code >= 1}
   */
  public static SessionKnnRecommender fit(List<UserSequence> train, int neighbours, int recent) {
    Objects.requireNonNull(train, "train");
    if (neighbours < 1) {
      throw new IllegalArgumentException("neighbours must be >= 1, was " + neighbours);
    }
    if (recent < 1) {
      throw new IllegalArgumentException("recent must be >= 1, was " + recent);
    }
    Map<String, Integer> index = new HashMap<>();
    List<String> ids = new ArrayList<>();
    List<int[]> sequences = new ArrayList<>();
    List<String> owners = new ArrayList<>();
    for (UserSequence user : train) {
      if (user.size() == 0) {
        continue;
      }
      Map<Integer, Boolean> distinct = new LinkedHashMap<>();
      for (ClickedItem click : user.clicks()) {
        Integer id = index.get(click.videoId());
        if (id == null) {
          id = ids.size();
          index.put(click.videoId(), id);
          ids.add(click.videoId());
        }
        distinct.put(id, Boolean.TRUE);
      }
      int[] items = new int[distinct.size()];
      int j = 0;
      for (int id : distinct.keySet()) {
        items[j++] = id;
      }
      sequences.add(items);
      owners.add(user.userId());
    }
    int[] lengths = new int[ids.size()];
    for (int[] items : sequences) {
      for (int id : items) {
        lengths[id]++;
      }
    }
    int[][] postings = new int[ids.size()][];
    for (int i = 0; i < postings.length; i++) {
      postings[i] = new int[lengths[i]];
    }
    int[] fill = new int[ids.size()];
    for (int s = 0; s < sequences.size(); s++) {
      for (int id : sequences.get(s)) {
        postings[id][fill[id]++] = s;
      }
    }
    return new SessionKnnRecommender(
        index,
        ids.toArray(String[]::new),
        sequences.toArray(int[][]::new),
        owners.toArray(String[]::new),
        postings,
        MostPopularRecommender.fit(train),
        neighbours,
        recent);
  }

  @Override
  public String name() {
    return "session-knn(k=" + neighbours + ",m=" + recent + ")";
  }

  @Override
  public List<String> recommend(UserSequence history, int k, Set<String> exclude) {
    Objects.requireNonNull(history, "history");
    Objects.requireNonNull(exclude, "exclude");
    if (k < 1) {
      throw new IllegalArgumentException("k must be >= 1, was " + k);
    }
    List<String> out = new ArrayList<>(k);
    int candidates = gatherNeighbours(history);
    int chosen = chooseNeighbours(candidates);
    int items = 0;
    for (int n = 0; n < chosen; n++) {
      int s = touched[n];
      double sim = similarity[s];
      for (int id : sequences[s]) {
        if (scores[id] == 0) {
          scored[items++] = id;
        }
        scores[id] += sim;
      }
    }
    for (int n = 0; n < candidates; n++) {
      similarity[touched[n]] = 0;
    }
    int[] order = new int[items];
    int kept = 0;
    for (int i = 0; i < items; i++) {
      if (!exclude.contains(itemIds[scored[i]])) {
        order[kept++] = scored[i];
      }
    }
    int best = TopSelection.select(order, kept, k, this::compareItems);
    for (int i = 0; i < best; i++) {
      out.add(itemIds[order[i]]);
    }
    for (int i = 0; i < items; i++) {
      scores[scored[i]] = 0;
    }
    popular.fill(out, k, exclude);
    return out;
  }

  /** Fills {@link #similarity} for every sequence sharing a recent item; returns how many. */
  private int gatherNeighbours(UserSequence history) {
    List<ClickedItem> clicks = history.clicks();
    int length = Math.min(recent, clicks.size());
    int from = clicks.size() - length;
    Map<Integer, Double> weights = new HashMap<>();
    for (int p = 0; p < length; p++) {
      Integer id = itemIndex.get(clicks.get(from + p).videoId());
      if (id != null) {
        weights.put(id, (p + 1) / (double) length);
      }
    }
    double norm = 0;
    for (double w : weights.values()) {
      norm += w * w;
    }
    if (norm == 0) {
      return 0;
    }
    double inverseQueryNorm = 1.0 / Math.sqrt(norm);
    String owner = history.userId();
    int candidates = 0;
    for (Map.Entry<Integer, Double> e : weights.entrySet()) {
      double w = e.getValue() * inverseQueryNorm;
      for (int s : postings[e.getKey()]) {
        if (owners[s].equals(owner)) {
          continue;
        }
        if (similarity[s] == 0) {
          touched[candidates++] = s;
        }
        similarity[s] += w * inverseNorms[s];
      }
    }
    return candidates;
  }

  /** Moves the {@code neighbours} most similar candidates to the front of {@link #touched}. */
  private int chooseNeighbours(int candidates) {
    if (candidates <= neighbours) {
      return candidates;
    }
    int chosen = TopSelection.select(touched, candidates, neighbours, this::compareNeighbours);
    return chosen;
  }

  private int compareNeighbours(int a, int b) {
    int cmp = Double.compare(similarity[b], similarity[a]);
    return cmp != 0 ? cmp : Integer.compare(a, b);
  }

  private int compareItems(int a, int b) {
    int cmp = Double.compare(scores[b], scores[a]);
    if (cmp == 0) {
      cmp = Integer.compare(itemCounts[b], itemCounts[a]);
    }
    return cmp != 0 ? cmp : itemIds[a].compareTo(itemIds[b]);
  }
}
