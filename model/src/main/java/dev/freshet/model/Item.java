package dev.freshet.model;

import java.util.List;
import java.util.Objects;

/**
 * One clicked (or target) item with its side features, as raw strings.
 *
 * @param itemId the item id; {@code null} means unknown and maps to {@code <unk>} in a history
 * @param category the item's category; {@code null} maps to {@code <unk>}
 * @param tags the item's tags (zero or more, no {@code null} elements); copied
 * @param searchTokens the tokens of the search that led to this click (zero or more, no {@code
 *     null} elements; the paper's search history); copied. Read from the clicks of a history when
 *     {@link ModelConfig#searchDim()} is positive; a target's tokens count towards admission only
 */
public record Item(String itemId, String category, List<String> tags, List<String> searchTokens) {

  public Item {
    tags = List.copyOf(Objects.requireNonNull(tags, "tags"));
    searchTokens = List.copyOf(Objects.requireNonNull(searchTokens, "searchTokens"));
  }

  /** An item clicked without a search. */
  public Item(String itemId, String category, List<String> tags) {
    this(itemId, category, tags, List.of());
  }

  /** An item without tags. */
  public static Item of(String itemId, String category) {
    return new Item(itemId, category, List.of());
  }
}
