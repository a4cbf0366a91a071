package dev.freshet.data.eval;

import dev.freshet.data.UserSequence;
import java.util.List;
import java.util.Objects;

/**
 * A time-ordered train/test split.
 *
 * @param description how the split was made (for reports)
 * @param train what recommenders may be fitted on: each user's clicks before the cut (users with no
 *     training click are absent)
 * @param test the users with held-out clicks: each with the full sequence and the index of the
 *     first test click
 */
public record Split(String description, List<UserSequence> train, List<TestUser> test) {

  /** Copies the lists. */
  public Split {
    Objects.requireNonNull(description, "description");
    train = List.copyOf(train);
    test = List.copyOf(test);
  }

  /** Number of test events (held-out clicks). */
  public long testEvents() {
    long n = 0;
    for (TestUser user : test) {
      n += user.testClicks();
    }
    return n;
  }

  /**
   * A user whose clicks from {@code firstTestIndex} on are held out. Each held-out click is
   * predicted from the full history before it (including earlier held-out clicks, which a deployed
   * system would have seen as input but not trained on).
   *
   * @param sequence the full sequence
   * @param firstTestIndex index of the first held-out click, in {@code [0, size)}
   */
  public record TestUser(UserSequence sequence, int firstTestIndex) {

    /** Validates the index. */
    public TestUser {
      Objects.requireNonNull(sequence, "sequence");
      if (firstTestIndex < 0 || firstTestIndex >= sequence.size()) {
        throw new IllegalArgumentException(
            "firstTestIndex " + firstTestIndex + " outside [0, " + sequence.size() + ")");
      }
    }

    /** Number of held-out clicks. */
    public int testClicks() {
      return sequence.size() - firstTestIndex;
    }
  }
}
