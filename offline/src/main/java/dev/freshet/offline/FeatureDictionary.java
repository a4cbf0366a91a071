package dev.freshet.offline;

import dev.freshet.data.ClickedItem;
import dev.freshet.data.UserSequence;
import dev.freshet.model.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Feature-value counts of a training file, counted exactly as {@link
 * dev.freshet.model.CandidateModel#train} counts them during one pass: every click counts the
 * user's id, province, city and phone once, and the clicked item, its category and each of its tags
 * once. A value with count {@code >= featAppearLimit} is admitted (gets its own row) by the end of
 * the first pass; {@code NULL} values are not counted (they are {@code <unk>}).
 */
public final class FeatureDictionary {

  /** The tables a TSV line feeds, in report order ({@link Table#ITEM_OUTPUT} shares ITEM). */
  public static final List<Table> FEATURES =
      List.of(
          Table.USER,
          Table.PROVINCE,
          Table.CITY,
          Table.PHONE,
          Table.ITEM,
          Table.CATEGORY,
          Table.TAG);

  /** One feature value and its count. */
  public record Entry(String value, long count) {}

  private final Map<Table, Map<String, Long>> counts = new EnumMap<>(Table.class);
  private final Map<Table, Long> unknown = new EnumMap<>(Table.class);
  private final int featAppearLimit;

  /** An empty dictionary admitting values seen at least {@code featAppearLimit >= 1} times. */
  public FeatureDictionary(int featAppearLimit) {
    if (featAppearLimit < 1) {
      throw new IllegalArgumentException("featAppearLimit must be >= 1, was " + featAppearLimit);
    }
    this.featAppearLimit = featAppearLimit;
    for (Table t : FEATURES) {
      counts.put(t, new HashMap<>());
      unknown.put(t, 0L);
    }
  }

  /** The admission limit. */
  public int featAppearLimit() {
    return featAppearLimit;
  }

  /** Counts every click of {@code user}. */
  public void add(UserSequence user) {
    Objects.requireNonNull(user, "user");
    for (ClickedItem click : user.clicks()) {
      count(Table.USER, user.userId());
      count(Table.PROVINCE, user.province());
      count(Table.CITY, user.city());
      count(Table.PHONE, user.phone());
      count(Table.ITEM, click.videoId());
      count(Table.CATEGORY, click.category());
      for (String tag : click.tags()) {
        count(Table.TAG, tag);
      }
    }
  }

  private void count(Table table, String value) {
    if (value == null) {
      unknown.merge(table, 1L, Long::sum);
    } else {
      counts.get(table).merge(value, 1L, Long::sum);
    }
  }

  /** Whether a value with this count is admitted ({@code count >= featAppearLimit}). */
  public boolean admitted(long count) {
    return count >= featAppearLimit;
  }

  /** The values of {@code table}, most frequent first, ties by value. */
  public List<Entry> entries(Table table) {
    List<Entry> out = new ArrayList<>();
    for (Map.Entry<String, Long> e : counts.get(table).entrySet()) {
      out.add(new Entry(e.getKey(), e.getValue()));
    }
    out.sort(Comparator.comparingLong(Entry::count).reversed().thenComparing(Entry::value));
    return out;
  }

  /** Occurrences of {@code NULL} for {@code table}. */
  public long unknown(Table table) {
    return unknown.get(table);
  }
}
