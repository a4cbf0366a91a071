package dev.freshet.data.synth;

import java.util.List;
import java.util.Objects;

/**
 * An item of the synthetic catalogue.
 *
 * @param videoId the item id ({@code v<index>}, in arrival order)
 * @param category its category
 * @param tags its tags (from its category's tag pool)
 * @param arrivalMillis when it enters the catalogue (epoch ms); no click precedes it
 */
public record SyntheticItem(
    String videoId, String category, List<String> tags, long arrivalMillis) {

  /** Copies the tag list. */
  public SyntheticItem {
    Objects.requireNonNull(videoId, "videoId");
    Objects.requireNonNull(category, "category");
    tags = List.copyOf(tags);
  }
}
