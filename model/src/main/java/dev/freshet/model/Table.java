package dev.freshet.model;

/**
 * The sparse tables of the model, each keyed by raw feature values. All but {@link #ITEM_OUTPUT}
 * feed the user tower; {@link #ITEM_OUTPUT} holds the item vectors {@code [b_i, w_i]} of the output
 * layer. {@link #ITEM} and {@link #ITEM_OUTPUT} share one admission count: an item gets both rows
 * at once.
 */
public enum Table {
  USER("user"),
  PROVINCE("province"),
  CITY("city"),
  PHONE("phone"),
  ITEM("item"),
  CATEGORY("category"),
  TAG("tag"),
  SEARCH("search"),
  ITEM_OUTPUT("item_output");

  private final String wireName;

  Table(String wireName) {
    this.wireName = wireName;
  }

  /** Stable lower-case name used in checkpoints and published parameters. */
  public String wireName() {
    return wireName;
  }

  /** Width of this table's rows under {@code config}. */
  public int dim(ModelConfig config) {
    return switch (this) {
      case USER -> config.userDim();
      case PROVINCE -> config.provinceDim();
      case CITY -> config.cityDim();
      case PHONE -> config.phoneDim();
      case ITEM -> config.itemDim();
      case CATEGORY -> config.categoryDim();
      case TAG -> config.tagDim();
      case SEARCH -> config.searchDim();
      case ITEM_OUTPUT -> config.vectorDim();
    };
  }

  /** The table with the given {@link #wireName()}. */
  public static Table fromWireName(String name) {
    for (Table t : values()) {
      if (t.wireName.equals(name)) {
        return t;
      }
    }
    throw new IllegalArgumentException("unknown table name: " + name);
  }
}
