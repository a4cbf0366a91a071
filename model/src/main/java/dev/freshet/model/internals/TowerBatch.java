package dev.freshet.model.internals;

/**
 * The resolved inputs of the user tower for {@code size} examples: one entry per single-valued
 * feature, and per example the entries of the clicked items (oldest first), of their categories, of
 * all their tags and of all their search tokens (empty when the model reads none). Entries must
 * have rows ({@code <unk>} stands in for unknown values).
 */
public final class TowerBatch {
  public final int size;
  public final Entry[] user;
  public final Entry[] province;
  public final Entry[] city;
  public final Entry[] phone;
  public final Entry[][] items;
  public final Entry[][] categories;
  public final Entry[][] tags;
  public final Entry[][] search;
  public final double[] exampleAge;

  /** A batch without search tokens. */
  public TowerBatch(
      Entry[] user,
      Entry[] province,
      Entry[] city,
      Entry[] phone,
      Entry[][] items,
      Entry[][] categories,
      Entry[][] tags,
      double[] exampleAge) {
    this(user, province, city, phone, items, categories, tags, noTokens(user.length), exampleAge);
  }

  public TowerBatch(
      Entry[] user,
      Entry[] province,
      Entry[] city,
      Entry[] phone,
      Entry[][] items,
      Entry[][] categories,
      Entry[][] tags,
      Entry[][] search,
      double[] exampleAge) {
    this.size = user.length;
    if (province.length != size
        || city.length != size
        || phone.length != size
        || items.length != size
        || categories.length != size
        || tags.length != size
        || search.length != size
        || exampleAge.length != size) {
      throw new IllegalArgumentException("tower batch arrays must all have length " + size);
    }
    for (int b = 0; b < size; b++) {
      if (items[b].length != categories[b].length) {
        throw new IllegalArgumentException(
            "example "
                + b
                + ": "
                + items[b].length
                + " items but "
                + categories[b].length
                + " categories");
      }
    }
    this.user = user;
    this.province = province;
    this.city = city;
    this.phone = phone;
    this.items = items;
    this.categories = categories;
    this.tags = tags;
    this.search = search;
    this.exampleAge = exampleAge;
  }

  private static Entry[][] noTokens(int n) {
    Entry[][] none = new Entry[n][];
    for (int b = 0; b < n; b++) {
      none[b] = new Entry[0];
    }
    return none;
  }

  /** Length of the longest window in the batch. */
  public int maxLength() {
    int t = 0;
    for (Entry[] w : items) {
      t = Math.max(t, w.length);
    }
    return t;
  }
}
