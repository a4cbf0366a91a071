package dev.freshet.data.synth;

/**
 * Parameters of the {@link SyntheticClickGenerator}. Build one with {@link #builder()}; every
 * parameter has a default (in parentheses below) and is validated by {@link Builder#build()}, which
 * throws {@link IllegalArgumentException} naming the offending parameter.
 *
 * @param users number of users (2000)
 * @param initialItems items in the catalogue at the start (3000)
 * @param newItemsPerDay items arriving per simulated day, spread evenly (30)
 * @param categories number of categories (20)
 * @param tagsPerCategory size of each category's tag pool (8)
 * @param meanClicksPerUser mean clicks per user; each user gets a uniform count in [mean/2,
 *     3·mean/2] (50)
 * @param days simulated duration in days (30)
 * @param startMillis epoch ms of the start (2024-01-01T00:00Z)
 * @param zipfExponent exponent s of the popularity weight 1/rank^s (1.0)
 * @param interestsPerUser favourite categories per user (3)
 * @param tagAffinity weight boost per favourite tag an item carries (2.0)
 * @param sequentialProbability chance that a click follows on from the previous item (0.3)
 * @param explorationProbability chance that a click ignores the user's interests (0.1)
 * @param driftRatePerDay rate (per user per day) at which one favourite category is replaced by a
 *     currently trending one (0.05)
 * @param freshnessBoost extra popularity of a brand-new item, as a multiple of its base (3.0)
 * @param freshnessDays e-folding time of the freshness boost in days (3.0)
 * @param provinces number of provinces; each has 2–5 cities (10)
 * @param unknownProfileRate chance that each of a user's province, city, phone is unknown (0.05)
 * @param searchProbability share of clicks that follow a search and so carry search tokens (0.3)
 * @param searchVocabularyPerCategory size of each category's search-token vocabulary (12)
 * @param seed the seed; the same configuration gives the same output (42)
 */
public record SyntheticConfig(
    int users,
    int initialItems,
    double newItemsPerDay,
    int categories,
    int tagsPerCategory,
    int meanClicksPerUser,
    double days,
    long startMillis,
    double zipfExponent,
    int interestsPerUser,
    double tagAffinity,
    double sequentialProbability,
    double explorationProbability,
    double driftRatePerDay,
    double freshnessBoost,
    double freshnessDays,
    int provinces,
    double unknownProfileRate,
    double searchProbability,
    int searchVocabularyPerCategory,
    long seed) {

  /** Validates; see the parameter docs. */
  public SyntheticConfig {
    atLeast(users, 1, "users");
    atLeast(initialItems, 1, "initialItems");
    nonNegative(newItemsPerDay, "newItemsPerDay");
    atLeast(categories, 1, "categories");
    atLeast(tagsPerCategory, 1, "tagsPerCategory");
    atLeast(meanClicksPerUser, 1, "meanClicksPerUser");
    if (!(days > 0) || !Double.isFinite(days)) {
      throw new IllegalArgumentException("days must be positive, was " + days);
    }
    if (!(zipfExponent >= 0) || !Double.isFinite(zipfExponent)) {
      throw new IllegalArgumentException("zipfExponent must be >= 0, was " + zipfExponent);
    }
    atLeast(interestsPerUser, 1, "interestsPerUser");
    if (interestsPerUser > categories) {
      throw new IllegalArgumentException(
          "interestsPerUser (" + interestsPerUser + ") > categories (" + categories + ")");
    }
    nonNegative(tagAffinity, "tagAffinity");
    probability(sequentialProbability, "sequentialProbability");
    probability(explorationProbability, "explorationProbability");
    nonNegative(driftRatePerDay, "driftRatePerDay");
    nonNegative(freshnessBoost, "freshnessBoost");
    if (!(freshnessDays > 0) || !Double.isFinite(freshnessDays)) {
      throw new IllegalArgumentException("freshnessDays must be positive, was " + freshnessDays);
    }
    atLeast(provinces, 1, "provinces");
    probability(unknownProfileRate, "unknownProfileRate");
    probability(searchProbability, "searchProbability");
    atLeast(searchVocabularyPerCategory, 1, "searchVocabularyPerCategory");
    long total = (long) initialItems + (long) Math.floor(newItemsPerDay * days);
    if (total > 50_000_000L) {
      throw new IllegalArgumentException("too many items: " + total);
    }
  }

  /** A builder with every default. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.users = users;
    b.initialItems = initialItems;
    b.newItemsPerDay = newItemsPerDay;
    b.categories = categories;
    b.tagsPerCategory = tagsPerCategory;
    b.meanClicksPerUser = meanClicksPerUser;
    b.days = days;
    b.startMillis = startMillis;
    b.zipfExponent = zipfExponent;
    b.interestsPerUser = interestsPerUser;
    b.tagAffinity = tagAffinity;
    b.sequentialProbability = sequentialProbability;
    b.explorationProbability = explorationProbability;
    b.driftRatePerDay = driftRatePerDay;
    b.freshnessBoost = freshnessBoost;
    b.freshnessDays = freshnessDays;
    b.provinces = provinces;
    b.unknownProfileRate = unknownProfileRate;
    b.searchProbability = searchProbability;
    b.searchVocabularyPerCategory = searchVocabularyPerCategory;
    b.seed = seed;
    return b;
  }

  /** Total number of items over the run: the initial catalogue plus the arrivals. */
  public int totalItems() {
    return initialItems + (int) Math.floor(newItemsPerDay * days);
  }

  private static void atLeast(long value, long min, String name) {
    if (value < min) {
      throw new IllegalArgumentException(name + " must be >= " + min + ", was " + value);
    }
  }

  private static void nonNegative(double value, String name) {
    if (!(value >= 0) || !Double.isFinite(value)) {
      throw new IllegalArgumentException(name + " must be finite and >= 0, was " + value);
    }
  }

  private static void probability(double value, String name) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1], was " + value);
    }
  }

  /** Mutable builder; {@link #build()} validates. */
  public static final class Builder {
    private int users = 2000;
    private int initialItems = 3000;
    private double newItemsPerDay = 30;
    private int categories = 20;
    private int tagsPerCategory = 8;
    private int meanClicksPerUser = 50;
    private double days = 30;
    private long startMillis = 1_704_067_200_000L;
    private double zipfExponent = 1.0;
    private int interestsPerUser = 3;
    private double tagAffinity = 2.0;
    private double sequentialProbability = 0.3;
    private double explorationProbability = 0.1;
    private double driftRatePerDay = 0.05;
    private double freshnessBoost = 3.0;
    private double freshnessDays = 3.0;
    private int provinces = 10;
    private double unknownProfileRate = 0.05;
    private double searchProbability = 0.3;
    private int searchVocabularyPerCategory = 12;
    private long seed = 42;

    private Builder() {}

    /** See {@link SyntheticConfig#users()}. */
    public Builder users(int v) {
      users = v;
      return this;
    }

    /** See {@link SyntheticConfig#initialItems()}. */
    public Builder initialItems(int v) {
      initialItems = v;
      return this;
    }

    /** See {@link SyntheticConfig#newItemsPerDay()}. */
    public Builder newItemsPerDay(double v) {
      newItemsPerDay = v;
      return this;
    }

    /** See {@link SyntheticConfig#categories()}. */
    public Builder categories(int v) {
      categories = v;
      return this;
    }

    /** See {@link SyntheticConfig#tagsPerCategory()}. */
    public Builder tagsPerCategory(int v) {
      tagsPerCategory = v;
      return this;
    }

    /** See {@link SyntheticConfig#meanClicksPerUser()}. */
    public Builder meanClicksPerUser(int v) {
      meanClicksPerUser = v;
      return this;
    }

    /** See {@link SyntheticConfig#days()}. */
    public Builder days(double v) {
      days = v;
      return this;
    }

    /** See {@link SyntheticConfig#startMillis()}. */
    public Builder startMillis(long v) {
      startMillis = v;
      return this;
    }

    /** See {@link SyntheticConfig#zipfExponent()}. */
    public Builder zipfExponent(double v) {
      zipfExponent = v;
      return this;
    }

    /** See {@link SyntheticConfig#interestsPerUser()}. */
    public Builder interestsPerUser(int v) {
      interestsPerUser = v;
      return this;
    }

    /** See {@link SyntheticConfig#tagAffinity()}. */
    public Builder tagAffinity(double v) {
      tagAffinity = v;
      return this;
    }

    /** See {@link SyntheticConfig#sequentialProbability()}. */
    public Builder sequentialProbability(double v) {
      sequentialProbability = v;
      return this;
    }

    /** See {@link SyntheticConfig#explorationProbability()}. */
    public Builder explorationProbability(double v) {
      explorationProbability = v;
      return this;
    }

    /** See {@link SyntheticConfig#driftRatePerDay()}. */
    public Builder driftRatePerDay(double v) {
      driftRatePerDay = v;
      return this;
    }

    /** See {@link SyntheticConfig#freshnessBoost()}. */
    public Builder freshnessBoost(double v) {
      freshnessBoost = v;
      return this;
    }

    /** See {@link SyntheticConfig#freshnessDays()}. */
    public Builder freshnessDays(double v) {
      freshnessDays = v;
      return this;
    }

    /** See {@link SyntheticConfig#provinces()}. */
    public Builder provinces(int v) {
      provinces = v;
      return this;
    }

    /** See {@link SyntheticConfig#unknownProfileRate()}. */
    public Builder unknownProfileRate(double v) {
      unknownProfileRate = v;
      return this;
    }

    /** See {@link SyntheticConfig#searchProbability()}. */
    public Builder searchProbability(double v) {
      searchProbability = v;
      return this;
    }

    /** See {@link SyntheticConfig#searchVocabularyPerCategory()}. */
    public Builder searchVocabularyPerCategory(int v) {
      searchVocabularyPerCategory = v;
      return this;
    }

    /** See {@link SyntheticConfig#seed()}. */
    public Builder seed(long v) {
      seed = v;
      return this;
    }

    /** Validates and builds. */
    public SyntheticConfig build() {
      return new SyntheticConfig(
          users,
          initialItems,
          newItemsPerDay,
          categories,
          tagsPerCategory,
          meanClicksPerUser,
          days,
          startMillis,
          zipfExponent,
          interestsPerUser,
          tagAffinity,
          sequentialProbability,
          explorationProbability,
          driftRatePerDay,
          freshnessBoost,
          freshnessDays,
          provinces,
          unknownProfileRate,
          searchProbability,
          searchVocabularyPerCategory,
          seed);
    }
  }
}
