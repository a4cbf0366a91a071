package dev.freshet.data.eval;

import dev.freshet.data.ClickedItem;
import dev.freshet.data.UserSequence;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Time-ordered splits. Both keep each user's clicks in order and hold out the <em>later</em> ones,
 * so nothing is predicted from its own future.
 */
public final class TimeSplit {

  private TimeSplit() {}

  /**
   * Per user, holds out the last {@code ceil(testFraction · n)} of the user's {@code n} clicks,
   * always leaving at least one training click; users with fewer than 2 clicks are training only.
   * Needs no event times (works on the reference TSV). Every user is represented in training, so
   * this measures "what next, given the past" rather than cold start; it does not stop one user's
   * test clicks from preceding another user's training clicks in wall-clock time.
   *
   * @throws IllegalArgumentException unless {@code 0 < testFraction < 1}
   */
  public static Split lastFractionPerUser(List<UserSequence> sequences, double testFraction) {
    Objects.requireNonNull(sequences, "sequences");
    if (!(testFraction > 0 && testFraction < 1)) {
      throw new IllegalArgumentException("testFraction must be in (0, 1), was " + testFraction);
    }
    List<UserSequence> train = new ArrayList<>(sequences.size());
    List<Split.TestUser> test = new ArrayList<>();
    for (UserSequence user : sequences) {
      int n = user.size();
      if (n == 0) {
        continue;
      }
      int held = n < 2 ? 0 : Math.min(n - 1, (int) Math.ceil(testFraction * n));
      train.add(user.prefix(n - held));
      if (held > 0) {
        test.add(new Split.TestUser(user, n - held));
      }
    }
    return new Split(
        "last " + Math.round(testFraction * 100) + "% of each user's clicks", train, test);
  }

  /**
   * A global cut in time: clicks before {@code cutMillis} train, clicks at or after it test. This
   * is the split closest to deployment (a model trained up to a date serves after it); users first
   * seen after the cut are cold starts in the test set.
   *
   * @throws IllegalArgumentException if a click has no event time
   */
  public static Split globalTimeCut(List<UserSequence> sequences, long cutMillis) {
    Objects.requireNonNull(sequences, "sequences");
    List<UserSequence> train = new ArrayList<>();
    List<Split.TestUser> test = new ArrayList<>();
    for (UserSequence user : sequences) {
      int before = 0;
      for (ClickedItem click : user.clicks()) {
        if (!click.hasEventTime()) {
          throw new IllegalArgumentException("user " + user.userId() + " has a click without time");
        }
        if (click.eventTimeMillis() < cutMillis) {
          before++;
        }
      }
      if (before > 0) {
        train.add(user.prefix(before));
      }
      if (before < user.size()) {
        test.add(new Split.TestUser(user, before));
      }
    }
    return new Split("global time cut at " + cutMillis + " ms", train, test);
  }

  /**
   * The time before which {@code 1 - testFraction} of all clicks lie (the cut for {@link
   * #globalTimeCut} that holds out about {@code testFraction} of the clicks).
   *
   * @throws IllegalArgumentException if there are no clicks or one has no time
   */
  public static long quantileCut(List<UserSequence> sequences, double testFraction) {
    Objects.requireNonNull(sequences, "sequences");
    if (!(testFraction > 0 && testFraction < 1)) {
      throw new IllegalArgumentException("testFraction must be in (0, 1), was " + testFraction);
    }
    List<Long> times = new ArrayList<>();
    for (UserSequence user : sequences) {
      for (ClickedItem click : user.clicks()) {
        if (!click.hasEventTime()) {
          throw new IllegalArgumentException("user " + user.userId() + " has a click without time");
        }
        times.add(click.eventTimeMillis());
      }
    }
    if (times.isEmpty()) {
      throw new IllegalArgumentException("no clicks");
    }
    times.sort(null);
    int index = (int) Math.min(times.size() - 1, Math.floor((1 - testFraction) * times.size()));
    return times.get(index);
  }
}
