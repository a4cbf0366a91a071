package dev.freshet.data.synth;

import dev.freshet.data.ClickEvent;
import dev.freshet.data.ClickStreams;
import dev.freshet.data.TsvWriter;
import dev.freshet.data.UserSequence;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * Deterministic synthetic click streams: the same {@link SyntheticConfig} (including its seed)
 * always gives the identical catalogue and the identical sequence of {@link ClickEvent}s.
 *
 * <h2>Generative process</h2>
 *
 * <ol>
 *   <li><b>Catalogue.</b> {@code initialItems} items exist at the start; {@code newItemsPerDay ·
 *       days} more arrive at evenly spaced times. Item {@code v<i>} gets a uniformly random
 *       category, 1–3 distinct tags from that category's pool of {@code tagsPerCategory} tags, and
 *       a base popularity {@code 1 / rank^zipfExponent}, where the ranks are a random permutation
 *       of all items (so popularity is Zipf-like and independent of arrival time). At time {@code
 *       t} an item's popularity is {@code base · (1 + freshnessBoost · exp(-age / freshnessDays))}:
 *       new items are briefly hot. Each arriving item is linked to up to 3 earlier items of its
 *       category (drawn by base popularity), symmetrically: these links are the "what people watch
 *       next" structure.
 *   <li><b>Users.</b> Each user has a province (Zipf over {@code provinces}), a city of that
 *       province, a phone model (Zipf over 8 models); each is unknown with probability {@code
 *       unknownProfileRate}. A user has {@code interestsPerUser} favourite categories with random
 *       weights (drawn from the trending distribution at time 0, see below) and 1–2 favourite tags
 *       per favourite category. The user clicks a uniform number of times in {@code [mean/2,
 *       3·mean/2]}, at uniformly random times over the run.
 *   <li><b>A click.</b> Clicks of all users are produced in global time order. First interest
 *       drift: with probability {@code 1 - exp(-driftRatePerDay · Δdays)} since the user's previous
 *       click, one favourite category (chosen uniformly) is replaced by a category drawn from the
 *       trending distribution at the current time, with fresh favourite tags. The trending
 *       distribution puts half its mass uniformly on all categories and half on a bump that moves
 *       from category 0 towards the last category over the run, so drift moves the global category
 *       mix. Then the item: with probability {@code sequentialProbability} one of the previous
 *       item's linked items (weighted by current popularity); otherwise a category (from the
 *       trending distribution with probability {@code explorationProbability}, else from the user's
 *       weighted favourites) and an item in it with weight {@code popularity · (1 + tagAffinity ·
 *       favourite tags it carries)}. Only items that have arrived and that the user has not clicked
 *       before are eligible; if none is, any arrived unseen item is drawn by popularity, and only a
 *       user who has seen the whole catalogue repeats an item.
 *   <li><b>Search.</b> With probability {@code searchProbability} a click follows a search and
 *       carries 1–3 distinct search tokens describing the interest the click served: the category
 *       the generator sought for it (the chosen category, or for a follow-on click the category of
 *       the previous item's links, i.e. of the clicked item). Each token is drawn uniformly from
 *       that category's vocabulary of {@code searchVocabularyPerCategory} tokens, except that with
 *       probability 0.2 it is drawn uniformly from the whole vocabulary (noise). Search tokens come
 *       from their own random stream (derived from the seed), so users, items, times, order and
 *       event ids are exactly those of the same configuration with {@code searchProbability = 0}.
 * </ol>
 *
 * <p>Names: users {@code u<i>}, items {@code v<i>}, categories {@code c<i>}, tags {@code c<i>t<j>},
 * search tokens {@code s<i>x<j>} (of category {@code c<i>}), provinces {@code p<i>}, cities {@code
 * p<i>c<j>}, phones {@code ph<i>}; event ids {@code syn-<seed hex>-<n>} with {@code n} the position
 * in the stream. Instances are immutable and thread-safe; each call to {@link #clicks()} replays
 * the run from the seed.
 */
public final class SyntheticClickGenerator {

  private static final int PHONES = 8;
  private static final int MAX_LINKS = 8;
  private static final double MILLIS_PER_DAY = 86_400_000.0;
  private static final double TREND_WIDTH = 0.15;
  private static final double SEARCH_NOISE = 0.2;
  private static final int MAX_SEARCH_TOKENS = 3;

  /** Mixed into the seed for the search-token stream, which must not touch the click stream. */
  private static final long SEARCH_STREAM_SALT = 0x5EA2C7_70CE45L;

  private final SyntheticConfig config;
  private final Catalogue catalogue;

  /** A generator for the configuration; builds the catalogue eagerly. */
  public SyntheticClickGenerator(SyntheticConfig config) {
    this.config = Objects.requireNonNull(config, "config");
    this.catalogue = new Catalogue(config);
  }

  /** The configuration. */
  public SyntheticConfig config() {
    return config;
  }

  /** The whole catalogue in arrival order, including items that arrive late in the run. */
  public List<SyntheticItem> items() {
    List<SyntheticItem> items = new ArrayList<>(catalogue.size);
    for (int i = 0; i < catalogue.size; i++) {
      items.add(
          new SyntheticItem(
              catalogue.videoIds[i],
              categoryName(catalogue.category[i]),
              catalogue.tagNames.get(i),
              catalogue.arrival[i]));
    }
    return items;
  }

  /** A fresh, lazy iterator over the clicks in time order; each call replays the same run. */
  public Iterator<ClickEvent> clicks() {
    return new Run(config, catalogue);
  }

  /** {@link #clicks()} as a sequential stream. */
  public Stream<ClickEvent> stream() {
    return StreamSupport.stream(
        Spliterators.spliteratorUnknownSize(
            clicks(), Spliterator.ORDERED | Spliterator.NONNULL | Spliterator.IMMUTABLE),
        false);
  }

  /** All clicks grouped per user (users in order of their first click). */
  public List<UserSequence> sequences() {
    return ClickStreams.toSequences(clicks());
  }

  /**
   * Writes {@link #sequences()} as TSV.
   *
   * @return lines written
   */
  public long writeTsv(Path path, boolean withEventTimes) throws IOException {
    try (TsvWriter writer = TsvWriter.create(path, withEventTimes)) {
      writer.writeAll(sequences());
      return writer.written();
    }
  }

  static String categoryName(int c) {
    return "c" + c;
  }

  static String tagName(int c, int t) {
    return "c" + c + "t" + t;
  }

  static String searchTokenName(int c, int n) {
    return "s" + c + "x" + n;
  }

  /** Sample an index with probability proportional to weights[0..n). Returns -1 if all zero. */
  static int sample(double[] weights, int n, SplittableRandom rnd) {
    double total = 0;
    for (int i = 0; i < n; i++) {
      total += weights[i];
    }
    if (!(total > 0)) {
      return -1;
    }
    double r = rnd.nextDouble() * total;
    for (int i = 0; i < n; i++) {
      r -= weights[i];
      if (r < 0 && weights[i] > 0) {
        return i;
      }
    }
    for (int i = n - 1; i >= 0; i--) {
      if (weights[i] > 0) {
        return i;
      }
    }
    return -1;
  }

  /** The immutable catalogue: items in arrival order with their attributes and links. */
  private static final class Catalogue {
    final int size;
    final String[] videoIds;
    final int[] category;
    final int[][] tags;
    final List<List<String>> tagNames;
    final double[] base;
    final long[] arrival;
    final int[][] links;
    final int[][] byCategory;
    final long userSeed;

    Catalogue(SyntheticConfig config) {
      SplittableRandom rnd = new SplittableRandom(config.seed());
      size = config.totalItems();
      videoIds = new String[size];
      category = new int[size];
      tags = new int[size][];
      tagNames = new ArrayList<>(size);
      base = new double[size];
      arrival = new long[size];
      int[] ranks = new int[size];
      for (int i = 0; i < size; i++) {
        ranks[i] = i;
      }
      for (int i = size - 1; i > 0; i--) {
        int j = rnd.nextInt(i + 1);
        int t = ranks[i];
        ranks[i] = ranks[j];
        ranks[j] = t;
      }
      int arrivals = size - config.initialItems();
      double durationMillis = config.days() * MILLIS_PER_DAY;
      int[] perCategory = new int[config.categories()];
      for (int i = 0; i < size; i++) {
        videoIds[i] = "v" + i;
        int c = rnd.nextInt(config.categories());
        category[i] = c;
        perCategory[c]++;
        int tagCount = Math.min(config.tagsPerCategory(), 1 + rnd.nextInt(3));
        tags[i] = distinct(rnd, config.tagsPerCategory(), tagCount);
        List<String> names = new ArrayList<>(tagCount);
        for (int t : tags[i]) {
          names.add(tagName(c, t));
        }
        tagNames.add(List.copyOf(names));
        base[i] = 1.0 / Math.pow(ranks[i] + 1, config.zipfExponent());
        int k = i - config.initialItems();
        arrival[i] =
            k < 0
                ? config.startMillis()
                : config.startMillis() + (long) ((k + 1) * durationMillis / (arrivals + 1));
      }
      byCategory = new int[config.categories()][];
      for (int c = 0; c < byCategory.length; c++) {
        byCategory[c] = new int[perCategory[c]];
      }
      int[] fill = new int[config.categories()];
      int[][] linkBuf = new int[size][MAX_LINKS];
      int[] linkCount = new int[size];
      double[] weights = new double[size];
      for (int i = 0; i < size; i++) {
        int c = category[i];
        int earlier = fill[c];
        int[] members = byCategory[c];
        for (int draw = 0; draw < 3 && earlier > 0; draw++) {
          for (int e = 0; e < earlier; e++) {
            int j = members[e];
            weights[e] =
                linkCount[j] < MAX_LINKS && !linked(linkBuf[i], linkCount[i], j) ? base[j] : 0;
          }
          int pick = sample(weights, earlier, rnd);
          if (pick < 0 || linkCount[i] >= MAX_LINKS) {
            break;
          }
          int j = members[pick];
          linkBuf[i][linkCount[i]++] = j;
          linkBuf[j][linkCount[j]++] = i;
        }
        members[fill[c]++] = i;
      }
      links = new int[size][];
      for (int i = 0; i < size; i++) {
        links[i] = Arrays.copyOf(linkBuf[i], linkCount[i]);
      }
      userSeed = rnd.nextLong();
    }

    private static boolean linked(int[] buf, int count, int j) {
      for (int k = 0; k < count; k++) {
        if (buf[k] == j) {
          return true;
        }
      }
      return false;
    }

    private static int[] distinct(SplittableRandom rnd, int bound, int count) {
      int[] out = new int[count];
      int n = 0;
      while (n < count) {
        int v = rnd.nextInt(bound);
        boolean seen = false;
        for (int k = 0; k < n; k++) {
          seen |= out[k] == v;
        }
        if (!seen) {
          out[n++] = v;
        }
      }
      return out;
    }
  }

  /** Mutable state of one user during a run. */
  private static final class User {
    String id;
    String province;
    String city;
    String phone;
    long[] times;
    int next;
    int[] favourites;
    double[] weights;
    int[][] favouriteTags;
    int last = -1;
    long lastTime = Long.MIN_VALUE;
    final Set<Integer> seen = new HashSet<>();
  }

  /** One replay of the run: users are created from the seed, clicks drawn in time order. */
  private static final class Run implements Iterator<ClickEvent> {
    private final SyntheticConfig config;
    private final Catalogue catalogue;
    private final SplittableRandom rnd;
    private final SplittableRandom searchRnd;
    private final User[] users;
    private final PriorityQueue<int[]> queue;
    private final double[] weights;
    private final int[] candidates;
    private final double durationMillis;
    private final String idPrefix;
    private long emitted;

    /** The category that {@link #click} sought for the click it last drew. */
    private int sought;

    Run(SyntheticConfig config, Catalogue catalogue) {
      this.config = config;
      this.catalogue = catalogue;
      this.rnd = new SplittableRandom(catalogue.userSeed);
      this.searchRnd = new SplittableRandom(config.seed() ^ SEARCH_STREAM_SALT);
      this.durationMillis = config.days() * MILLIS_PER_DAY;
      this.weights = new double[catalogue.size];
      this.candidates = new int[catalogue.size];
      this.idPrefix = "syn-" + Long.toHexString(config.seed()) + "-";
      this.users = new User[config.users()];
      int[] cities = new int[config.provinces()];
      for (int p = 0; p < cities.length; p++) {
        cities[p] = 2 + rnd.nextInt(4);
      }
      double[] provinceWeights = zipf(config.provinces());
      double[] phoneWeights = zipf(PHONES);
      double[] trend0 = trending(0);
      // Queue entries: {user index}; ordered by the user's next click time, then index.
      this.queue =
          new PriorityQueue<>(
              Math.max(1, config.users()),
              (a, b) -> {
                int cmp =
                    Long.compare(
                        users[a[0]].times[users[a[0]].next], users[b[0]].times[users[b[0]].next]);
                return cmp != 0 ? cmp : Integer.compare(a[0], b[0]);
              });
      int half = Math.max(1, config.meanClicksPerUser() / 2);
      int spread = config.meanClicksPerUser() * 3 / 2 - half + 1;
      for (int u = 0; u < users.length; u++) {
        User user = new User();
        user.id = "u" + u;
        int p = sample(provinceWeights, provinceWeights.length, rnd);
        int city = rnd.nextInt(cities[p]);
        boolean provinceKnown = rnd.nextDouble() >= config.unknownProfileRate();
        boolean cityKnown = rnd.nextDouble() >= config.unknownProfileRate();
        boolean phoneKnown = rnd.nextDouble() >= config.unknownProfileRate();
        int phone = sample(phoneWeights, PHONES, rnd);
        user.province = provinceKnown ? "p" + p : null;
        user.city = provinceKnown && cityKnown ? "p" + p + "c" + city : null;
        user.phone = phoneKnown ? "ph" + phone : null;
        int n = half + rnd.nextInt(Math.max(1, spread));
        user.times = new long[n];
        for (int k = 0; k < n; k++) {
          user.times[k] = config.startMillis() + (long) (rnd.nextDouble() * durationMillis);
        }
        Arrays.sort(user.times);
        user.favourites = new int[config.interestsPerUser()];
        user.weights = new double[config.interestsPerUser()];
        user.favouriteTags = new int[config.interestsPerUser()][];
        for (int f = 0; f < user.favourites.length; f++) {
          user.favourites[f] = drawNewFavourite(user, f, trend0);
          user.weights[f] = -Math.log(1 - rnd.nextDouble());
        }
        users[u] = user;
        queue.add(new int[] {u});
      }
    }

    private int drawNewFavourite(User user, int slot, double[] trend) {
      double[] w = trend.clone();
      for (int f = 0; f < user.favourites.length; f++) {
        if (f != slot && user.favouriteTags[f] != null) {
          w[user.favourites[f]] = 0;
        }
      }
      int c = sample(w, w.length, rnd);
      int count = Math.min(config.tagsPerCategory(), 1 + rnd.nextInt(2));
      user.favouriteTags[slot] = Catalogue.distinct(rnd, config.tagsPerCategory(), count);
      return c;
    }

    private static double[] zipf(int n) {
      double[] w = new double[n];
      for (int i = 0; i < n; i++) {
        w[i] = 1.0 / (i + 1);
      }
      return w;
    }

    /** Half uniform, half a bump centred at tau (circular distance over category index / C). */
    private double[] trending(double tau) {
      int c = config.categories();
      double[] w = new double[c];
      double bumpTotal = 0;
      for (int i = 0; i < c; i++) {
        double d = Math.abs((double) i / c - tau);
        d = Math.min(d, 1 - d);
        w[i] = Math.exp(-d * d / (2 * TREND_WIDTH * TREND_WIDTH));
        bumpTotal += w[i];
      }
      for (int i = 0; i < c; i++) {
        w[i] = 0.5 / c + 0.5 * w[i] / bumpTotal;
      }
      return w;
    }

    @Override
    public boolean hasNext() {
      return !queue.isEmpty();
    }

    @Override
    public ClickEvent next() {
      int[] head = queue.poll();
      if (head == null) {
        throw new NoSuchElementException();
      }
      User user = users[head[0]];
      long t = user.times[user.next];
      int item = click(user, t);
      user.seen.add(item);
      user.last = item;
      user.lastTime = t;
      user.next++;
      if (user.next < user.times.length) {
        queue.add(head);
      }
      return new ClickEvent(
          user.id,
          user.province,
          user.city,
          user.phone,
          catalogue.videoIds[item],
          categoryName(catalogue.category[item]),
          catalogue.tagNames.get(item),
          t,
          idPrefix + emitted++,
          searchTokens(sought));
    }

    /**
     * The search tokens of one click (empty unless it follows a search), drawn from {@link
     * #searchRnd} only, so that the click stream itself does not depend on them.
     */
    private List<String> searchTokens(int category) {
      double p = config.searchProbability();
      if (!(p > 0) || searchRnd.nextDouble() >= p) {
        return List.of();
      }
      int count = 1 + searchRnd.nextInt(MAX_SEARCH_TOKENS);
      List<String> tokens = new ArrayList<>(count);
      for (int k = 0; k < count; k++) {
        int c =
            searchRnd.nextDouble() < SEARCH_NOISE
                ? searchRnd.nextInt(config.categories())
                : category;
        String token = searchTokenName(c, searchRnd.nextInt(config.searchVocabularyPerCategory()));
        if (!tokens.contains(token)) {
          tokens.add(token);
        }
      }
      return List.copyOf(tokens);
    }

    private int click(User user, long t) {
      double tau = (t - config.startMillis()) / durationMillis;
      if (user.lastTime != Long.MIN_VALUE && config.driftRatePerDay() > 0) {
        double dtDays = (t - user.lastTime) / MILLIS_PER_DAY;
        if (rnd.nextDouble() < 1 - Math.exp(-config.driftRatePerDay() * dtDays)) {
          int slot = rnd.nextInt(user.favourites.length);
          user.favourites[slot] = drawNewFavourite(user, slot, trending(tau));
        }
      }
      if (user.last >= 0 && rnd.nextDouble() < config.sequentialProbability()) {
        int[] links = catalogue.links[user.last];
        int n = 0;
        for (int j : links) {
          if (catalogue.arrival[j] <= t && !user.seen.contains(j)) {
            candidates[n] = j;
            weights[n++] = popularity(j, t);
          }
        }
        int pick = sample(weights, n, rnd);
        if (pick >= 0) {
          sought = catalogue.category[candidates[pick]];
          return candidates[pick];
        }
      }
      int slot = -1;
      int c;
      if (rnd.nextDouble() < config.explorationProbability()) {
        double[] trend = trending(tau);
        c = sample(trend, trend.length, rnd);
      } else {
        slot = sample(user.weights, user.weights.length, rnd);
        c = user.favourites[slot];
      }
      sought = c;
      int[] members = catalogue.byCategory[c];
      int[] liked = slot >= 0 ? user.favouriteTags[slot] : null;
      int n = 0;
      for (int j : members) {
        if (catalogue.arrival[j] > t) {
          break;
        }
        if (user.seen.contains(j)) {
          continue;
        }
        double w = popularity(j, t);
        if (liked != null) {
          w *= 1 + config.tagAffinity() * overlap(catalogue.tags[j], liked);
        }
        candidates[n] = j;
        weights[n++] = w;
      }
      int pick = sample(weights, n, rnd);
      if (pick >= 0) {
        return candidates[pick];
      }
      return anyItem(user, t);
    }

    private int anyItem(User user, long t) {
      int n = 0;
      for (int j = 0; j < catalogue.size && catalogue.arrival[j] <= t; j++) {
        candidates[n] = j;
        weights[n++] = user.seen.contains(j) ? 0 : popularity(j, t);
      }
      int pick = sample(weights, n, rnd);
      if (pick >= 0) {
        return candidates[pick];
      }
      for (int j = 0; j < n; j++) {
        weights[j] = popularity(candidates[j], t);
      }
      return candidates[sample(weights, n, rnd)];
    }

    private double popularity(int j, long t) {
      double ageDays = (t - catalogue.arrival[j]) / MILLIS_PER_DAY;
      return catalogue.base[j]
          * (1 + config.freshnessBoost() * Math.exp(-ageDays / config.freshnessDays()));
    }

    private static int overlap(int[] itemTags, int[] liked) {
      int n = 0;
      for (int a : itemTags) {
        for (int b : liked) {
          if (a == b) {
            n++;
          }
        }
      }
      return n;
    }
  }
}
