package dev.freshet.cli.demo;

import dev.freshet.data.ClickEvent;
import dev.freshet.data.ClickStreams;
import dev.freshet.data.ClickedItem;
import dev.freshet.data.TsvReader;
import dev.freshet.data.UserSequence;
import dev.freshet.data.movielens.MovieLensImporter;
import dev.freshet.data.synth.SyntheticClickGenerator;
import dev.freshet.data.synth.SyntheticConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Loads the demo's click source as one time-ordered list. Every source becomes a flat {@link
 * ClickEvent} stream sorted by event time; the {@link ClickFeeder} then maps those times onto the
 * wall clock.
 */
final class ClickSources {

  /** Spacing given to clicks of a reference TSV that carries no times. */
  static final long TSV_SPACING_MS = 1000;

  private static final int MEAN_CLICKS_PER_USER = 50;

  private ClickSources() {}

  /** The clicks the settings ask for, with a description of the source. */
  static Loaded load(DemoSettings s) throws IOException {
    return switch (s.source()) {
      case SYNTHETIC -> synthetic(s);
      case MOVIELENS -> movieLens(s.sourcePath());
      case TSV -> tsv(s.sourcePath());
    };
  }

  /**
   * The loaded clicks and a one-line description.
   *
   * @param clicks time-ordered
   * @param description for the terminal and the dashboard
   */
  record Loaded(List<ClickEvent> clicks, String description) {}

  /**
   * Synthetic clicks. The user count is raised so that a run of {@code duration} at {@code rate}
   * does not run out of clicks (at about {@value #MEAN_CLICKS_PER_USER} clicks per user).
   */
  static Loaded synthetic(DemoSettings s) {
    int users = s.syntheticUsers();
    Duration d = s.duration();
    if (d != null && s.rate() > 0) {
      double needed = s.rate() * d.toMillis() / 1000.0;
      users = (int) Math.max(users, Math.min(1_000_000, Math.ceil(needed / MEAN_CLICKS_PER_USER)));
    }
    SyntheticConfig config =
        SyntheticConfig.builder()
            .users(users)
            .initialItems(s.syntheticItems())
            .meanClicksPerUser(MEAN_CLICKS_PER_USER)
            .seed(s.seed())
            .build();
    SyntheticClickGenerator generator = new SyntheticClickGenerator(config);
    List<ClickEvent> clicks = generator.stream().toList();
    return new Loaded(
        clicks,
        String.format(
            "synthetic generator: %d users, %d items (+%d arriving), %d clicks over %.0f"
                + " simulated days, seed %d",
            users,
            config.initialItems(),
            config.totalItems() - config.initialItems(),
            clicks.size(),
            config.days(),
            s.seed()));
  }

  /** MovieLens ratings (a rating is a click at its timestamp). */
  static Loaded movieLens(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("not a MovieLens directory: " + dir);
    }
    List<UserSequence> sequences = MovieLensImporter.defaults().importDirectory(dir).sequences();
    List<ClickEvent> clicks = ClickStreams.toClickStream(sequences);
    return new Loaded(
        clicks,
        "MovieLens " + dir + ": " + sequences.size() + " users, " + clicks.size() + " ratings");
  }

  /**
   * A reference TSV. With event times (the extended format) they are used; without, the users'
   * clicks are interleaved round-robin ({@code k}-th click of every user, then the {@code k+1}-th)
   * {@value #TSV_SPACING_MS} ms apart, which keeps each user's order.
   */
  static Loaded tsv(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("not a file: " + file);
    }
    List<UserSequence> sequences;
    try (TsvReader reader = TsvReader.open(file)) {
      sequences = reader.stream().toList();
    }
    boolean timed =
        sequences.stream().allMatch(u -> u.clicks().stream().allMatch(ClickedItem::hasEventTime));
    List<ClickEvent> clicks;
    if (timed) {
      clicks = ClickStreams.toClickStream(sequences);
    } else {
      clicks = interleave(sequences);
    }
    if (clicks.isEmpty()) {
      throw new IllegalArgumentException("no clicks in " + file);
    }
    return new Loaded(
        clicks,
        "reference TSV "
            + file
            + ": "
            + sequences.size()
            + " users, "
            + clicks.size()
            + " clicks"
            + (timed ? "" : " (no times: interleaved round-robin)"));
  }

  static List<ClickEvent> interleave(List<UserSequence> sequences) {
    List<ClickEvent> out = new ArrayList<>();
    long t = 0;
    for (int k = 0; ; k++) {
      boolean any = false;
      for (UserSequence u : sequences) {
        if (k < u.clicks().size()) {
          any = true;
          ClickedItem c = u.clicks().get(k);
          out.add(
              new ClickEvent(
                  u.userId(),
                  u.province(),
                  u.city(),
                  u.phone(),
                  c.videoId(),
                  c.category(),
                  c.tags(),
                  t,
                  u.userId() + "#" + k,
                  c.searchTokens()));
          t += TSV_SPACING_MS;
        }
      }
      if (!any) {
        return out;
      }
    }
  }
}
