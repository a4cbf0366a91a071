package dev.freshet.model.internals;

import dev.freshet.model.Item;
import dev.freshet.model.Table;
import dev.freshet.model.UserContext;
import java.util.ArrayList;
import java.util.List;

/** Maps a feature value of a table to the entry whose row the tower reads. */
@FunctionalInterface
public interface Resolver {
  /**
   * The entry for {@code key} (possibly null) in {@code table}; never null, {@code <unk>} instead.
   */
  Entry lookup(Table table, String key);

  /**
   * Resolves the contexts into a tower batch, cutting histories to their most recent {@code
   * maxWindow} clicks. Tags of all clicks in the window are pooled together.
   */
  static TowerBatch resolve(List<UserContext> contexts, int maxWindow, Resolver r) {
    return resolve(contexts, maxWindow, false, false, r);
  }

  /**
   * {@link #resolve(List, int, Resolver)}; with {@code tied} a history item resolves to its {@code
   * ITEM_OUTPUT} row (whose weights are then its input embedding), or to the {@code ITEM} table's
   * {@code <unk>} row if it has none ({@code lookup} returns null for a missing output row); with
   * {@code search} the search tokens of all clicks in the window are pooled together like the tags.
   */
  static TowerBatch resolve(
      List<UserContext> contexts, int maxWindow, boolean tied, boolean search, Resolver r) {
    int n = contexts.size();
    Entry[] user = new Entry[n];
    Entry[] province = new Entry[n];
    Entry[] city = new Entry[n];
    Entry[] phone = new Entry[n];
    Entry[][] items = new Entry[n][];
    Entry[][] cats = new Entry[n][];
    Entry[][] tags = new Entry[n][];
    Entry[][] tokens = new Entry[n][];
    double[] age = new double[n];
    for (int b = 0; b < n; b++) {
      UserContext c = contexts.get(b);
      user[b] = r.lookup(Table.USER, c.userId());
      province[b] = r.lookup(Table.PROVINCE, c.province());
      city[b] = r.lookup(Table.CITY, c.city());
      phone[b] = r.lookup(Table.PHONE, c.phone());
      List<Item> h = window(c.history(), maxWindow);
      items[b] = new Entry[h.size()];
      cats[b] = new Entry[h.size()];
      List<Entry> tg = new ArrayList<>();
      List<Entry> sq = new ArrayList<>();
      for (int t = 0; t < h.size(); t++) {
        Item it = h.get(t);
        Entry out = tied ? r.lookup(Table.ITEM_OUTPUT, it.itemId()) : null;
        items[b][t] = out != null ? out : r.lookup(Table.ITEM, tied ? null : it.itemId());
        cats[b][t] = r.lookup(Table.CATEGORY, it.category());
        for (String tag : it.tags()) {
          tg.add(r.lookup(Table.TAG, tag));
        }
        if (search) {
          for (String token : it.searchTokens()) {
            sq.add(r.lookup(Table.SEARCH, token));
          }
        }
      }
      tags[b] = tg.toArray(new Entry[0]);
      tokens[b] = sq.toArray(new Entry[0]);
      age[b] = c.exampleAge();
    }
    return new TowerBatch(user, province, city, phone, items, cats, tags, tokens, age);
  }

  /** The most recent {@code max} clicks of {@code history}. */
  static List<Item> window(List<Item> history, int max) {
    return history.size() <= max ? history : history.subList(history.size() - max, history.size());
  }
}
