package dev.freshet.data.eval;

import dev.freshet.data.UserSequence;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The leave-one-out protocol of the sequential-recommendation literature (SASRec, Kang and McAuley,
 * ICDM 2018; S3-Rec, Zhou et al., CIKM 2020): per user with at least {@link #MIN_CLICKS} clicks,
 * the last click is the test event, the one before it the validation event, and everything before
 * that is training. Users with fewer clicks are too short to hold anything out; all their clicks
 * are training (the published code drops them instead; on the 5-core files the choice never arises,
 * every user has at least five clicks).
 *
 * <p>Inputs follow the papers: the validation event is predicted from the training clicks alone,
 * the test event from everything before the last click (training clicks plus the validation click).
 * Recommenders are fitted on {@link Result#train()} only, never on the validation clicks: that is
 * what the models of those papers do (the validation click is input at test time, not a training
 * target), and fitting the baselines the same way keeps the comparison fair.
 */
public final class LeaveOneOut {

  /** Fewest clicks a user needs to contribute a validation and a test event. */
  public static final int MIN_CLICKS = 3;

  private LeaveOneOut() {}

  /**
   * Splits every user as described above.
   *
   * @return the training part and the two one-event-per-user splits
   */
  public static Result split(List<UserSequence> sequences) {
    Objects.requireNonNull(sequences, "sequences");
    List<UserSequence> train = new ArrayList<>(sequences.size());
    List<UserSequence> trainAndValidation = new ArrayList<>(sequences.size());
    List<Split.TestUser> validation = new ArrayList<>();
    List<Split.TestUser> test = new ArrayList<>();
    for (UserSequence user : sequences) {
      int n = user.size();
      if (n == 0) {
        continue;
      }
      if (n < MIN_CLICKS) {
        train.add(user);
        trainAndValidation.add(user);
        continue;
      }
      train.add(user.prefix(n - 2));
      trainAndValidation.add(user.prefix(n - 1));
      validation.add(new Split.TestUser(user.prefix(n - 1), n - 2));
      test.add(new Split.TestUser(user, n - 1));
    }
    return new Result(
        train,
        trainAndValidation,
        new Split("leave-one-out validation (input: training clicks)", train, validation),
        new Split("leave-one-out test (input: all clicks before the last)", train, test));
  }

  /**
   * A leave-one-out split.
   *
   * @param train every user's training clicks (what recommenders are fitted on)
   * @param trainAndValidation every user's clicks but the test click: what a recommender may be
   *     re-fitted on before the test events if its validation-time fit is not to be reused
   * @param validation one event per eligible user: the second-to-last click, from the clicks before
   *     it
   * @param test one event per eligible user: the last click, from all clicks before it
   */
  public record Result(
      List<UserSequence> train,
      List<UserSequence> trainAndValidation,
      Split validation,
      Split test) {

    /** Copies the lists. */
    public Result {
      train = List.copyOf(train);
      trainAndValidation = List.copyOf(trainAndValidation);
      Objects.requireNonNull(validation, "validation");
      Objects.requireNonNull(test, "test");
    }
  }
}
