package dev.freshet.streams.internals;

import dev.freshet.avro.UserHistory;
import java.util.List;

/** Copies of a user's history state with some fields replaced. */
final class Histories {

  private Histories() {}

  /**
   * {@code h} with {@code lastRecommended} and {@code lastRecommendedVersion} replaced. The other
   * fields are shared with {@code h}, not copied: histories are never changed once built (Avro's
   * {@code newBuilder(h)} would deep-copy every click of the window on each call).
   */
  static UserHistory withLastRecommended(UserHistory h, List<String> ids, Long version) {
    return new UserHistory(
        h.getUserId(),
        h.getProvince(),
        h.getCity(),
        h.getPhone(),
        h.getClicks(),
        h.getTotalClicks(),
        ids,
        version,
        h.getLastJudgement());
  }
}
