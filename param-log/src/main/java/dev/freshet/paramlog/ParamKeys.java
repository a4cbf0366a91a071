package dev.freshet.paramlog;

import dev.freshet.model.Table;
import java.util.Objects;

/**
 * Record keys of the {@code model-params} topic. A key names what it holds, so compaction keeps
 * exactly one value per parameter.
 */
public final class ParamKeys {

  /** Key of the dense tensors record. */
  public static final String DENSE = "dense";

  /** Key of the newest snapshot manifest. */
  public static final String MANIFEST = "manifest";

  private static final String ROW_PREFIX = "row/";
  private static final String ITEM_PREFIX = "item/";

  private ParamKeys() {}

  /** {@code row/<table>/<value>}: a sparse row of the user tower. */
  public static String row(Table table, String value) {
    return ROW_PREFIX + table.wireName() + "/" + Objects.requireNonNull(value, "value");
  }

  /** {@code item/<id>}: an item vector {@code [b_i, w_i]}. */
  public static String item(String itemId) {
    return ITEM_PREFIX + Objects.requireNonNull(itemId, "itemId");
  }

  /**
   * What a key refers to; {@code table} and {@code value} are set for rows, {@code value} for
   * items.
   */
  public record Parsed(Kind kind, Table table, String value) {}

  /** The kinds of record on the topic. */
  public enum Kind {
    ROW,
    ITEM,
    DENSE,
    MANIFEST
  }

  /**
   * Parses a key of the topic.
   *
   * @throws IllegalArgumentException if the key is none of the forms above
   */
  public static Parsed parse(String key) {
    Objects.requireNonNull(key, "key");
    if (key.equals(DENSE)) {
      return new Parsed(Kind.DENSE, null, null);
    }
    if (key.equals(MANIFEST)) {
      return new Parsed(Kind.MANIFEST, null, null);
    }
    if (key.startsWith(ITEM_PREFIX)) {
      return new Parsed(Kind.ITEM, null, key.substring(ITEM_PREFIX.length()));
    }
    if (key.startsWith(ROW_PREFIX)) {
      int slash = key.indexOf('/', ROW_PREFIX.length());
      if (slash > 0) {
        Table table = Table.fromWireName(key.substring(ROW_PREFIX.length(), slash));
        return new Parsed(Kind.ROW, table, key.substring(slash + 1));
      }
    }
    throw new IllegalArgumentException("not a model-params key: '" + key + "'");
  }
}
