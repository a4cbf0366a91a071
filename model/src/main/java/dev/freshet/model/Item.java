package dev.freshet.model;

import java.util.List;
import java.util.Objects;

/**
 * One clicked (or target) item with its side features, as raw strings.
 *
 * @param itemId the item id; {@code null} means unknown and maps to {@code <unk>} in a history
 * @param category the item's category; {@code null} maps to {@code <unk>}
 * @param tags the item's tags (zero or more, no {@code null} elements); copied
 */
public record Item(String itemId, String category, List<String> tags) {

  public Item {
    tags = List.copyOf(Objects.requireNonNull(tags, "tags"));
  }

  /** An item without tags. */
  public static Item of(String itemId, String category) {
    return new Item(itemId, category, List.of());
  }
}
