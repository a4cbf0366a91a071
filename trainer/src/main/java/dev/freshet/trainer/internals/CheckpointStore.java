package dev.freshet.trainer.internals;

import dev.freshet.model.CandidateModel;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Full model checkpoints on local disk, one file per snapshot version ({@code
 * snapshot-<version>.ckpt}), written after that version was committed. They only speed up restarts:
 * the topics stay the source of truth, and a restart replays the snapshots after the newest
 * checkpoint from the training-instance log.
 */
public final class CheckpointStore {

  private static final Pattern NAME = Pattern.compile("snapshot-(\\d+)\\.ckpt");

  private final Path dir;
  private final int kept;

  public CheckpointStore(Path dir, int kept) {
    this.dir = Objects.requireNonNull(dir, "dir");
    if (kept < 1) {
      throw new IllegalArgumentException("kept must be >= 1, was " + kept);
    }
    this.kept = kept;
  }

  /** The file of {@code version}'s checkpoint (whether it exists or not). */
  public Path file(long version) {
    return dir.resolve(String.format("snapshot-%012d.ckpt", version));
  }

  /** Writes {@code model} as the checkpoint of {@code version}, then prunes old ones. */
  public void save(long version, CandidateModel model) throws IOException {
    Files.createDirectories(dir);
    model.save(file(version));
    List<Long> versions = versions();
    for (int i = 0; i < versions.size() - kept; i++) {
      Files.deleteIfExists(file(versions.get(i)));
    }
  }

  /** The newest checkpointed version that is at most {@code maxVersion}. */
  public OptionalLong newestAtMost(long maxVersion) throws IOException {
    OptionalLong best = OptionalLong.empty();
    for (long v : versions()) {
      if (v <= maxVersion) {
        best = OptionalLong.of(v);
      }
    }
    return best;
  }

  /** Every checkpointed version, ascending. */
  public List<Long> versions() throws IOException {
    List<Long> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "snapshot-*.ckpt")) {
      for (Path f : files) {
        Matcher m = NAME.matcher(f.getFileName().toString());
        if (m.matches()) {
          out.add(Long.parseLong(m.group(1)));
        }
      }
    }
    out.sort(null);
    return out;
  }

  /** Loads the checkpoint of {@code version}. */
  public CandidateModel load(long version) throws IOException {
    return CandidateModel.load(file(version));
  }
}
