package dev.freshet.streams.internals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Removes, before Kafka Streams starts, the local state of tasks that an earlier run left without a
 * checkpoint: what a {@code kill -9}, a crash or a power loss leaves under {@code exactly_once_v2},
 * where the checkpoint file is written only on a clean close.
 *
 * <p>Kafka Streams would find the same tasks itself: a persistent store without checkpoint offsets
 * may hold writes of a transaction that was never committed, so it throws a {@code
 * TaskCorruptedException}, logs it as an ERROR with a stack trace, wipes the task's state and
 * restores it from the changelog. Nothing is lost either way, and the expected case of a crash
 * should not look like a failure. Doing the wipe first makes Kafka Streams restore those tasks from
 * the changelog like any new task, and the app logs one WARN line naming them.
 *
 * <p>It only touches task directories ({@code <state.dir>/<application.id>/<subtopology>_<part>})
 * that have content but no {@code .checkpoint} file, and only while it holds the application
 * directory's lock file, the one Kafka Streams itself takes: a directory in use by a running
 * instance is left alone.
 */
public final class DirtyStateSweeper {

  private static final Pattern TASK_DIR = Pattern.compile("\\d+_\\d+");
  private static final String CHECKPOINT = ".checkpoint";
  private static final String LOCK = ".lock";

  private DirtyStateSweeper() {}

  /**
   * Sweeps {@code stateDir/applicationId}; returns the task ids whose state was removed (none if
   * the directory does not exist or another process holds its lock).
   */
  public static List<String> sweep(Path stateDir, String applicationId) {
    Objects.requireNonNull(stateDir, "stateDir");
    Objects.requireNonNull(applicationId, "applicationId");
    Path app = stateDir.resolve(applicationId);
    if (!Files.isDirectory(app)) {
      return List.of();
    }
    List<String> removed = new ArrayList<>();
    try (FileChannel channel =
            FileChannel.open(
                app.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock()) {
      if (lock == null) {
        return List.of();
      }
      try (Stream<Path> tasks = Files.list(app)) {
        for (Path task : tasks.sorted().toList()) {
          String name = task.getFileName().toString();
          if (Files.isDirectory(task)
              && TASK_DIR.matcher(name).matches()
              && !Files.exists(task.resolve(CHECKPOINT))
              && hasState(task)) {
            deleteContents(task);
            removed.add(name);
          }
        }
      }
    } catch (OverlappingFileLockException e) {
      return List.of(); // a Kafka Streams instance in this JVM uses the directory
    } catch (IOException e) {
      throw new UncheckedIOException("cannot sweep the state directory " + app, e);
    }
    return removed;
  }

  private static boolean hasState(Path task) throws IOException {
    try (Stream<Path> s = Files.list(task)) {
      return s.anyMatch(p -> !p.getFileName().toString().equals(LOCK));
    }
  }

  private static void deleteContents(Path task) throws IOException {
    List<Path> all;
    try (Stream<Path> walk = Files.walk(task)) {
      all = walk.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path p : all) {
      if (!p.equals(task) && !p.getFileName().toString().equals(LOCK)) {
        Files.delete(p);
      }
    }
  }
}
