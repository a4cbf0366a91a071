package dev.freshet.streams.internals;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirtyStateSweeperTest {

  @TempDir Path state;

  private Path task(String id, boolean checkpoint) throws IOException {
    Path store = state.resolve("app").resolve(id).resolve("rocksdb").resolve("user-history");
    Files.createDirectories(store);
    Files.writeString(store.resolve("000001.sst"), "data");
    if (checkpoint) {
      Files.writeString(state.resolve("app").resolve(id).resolve(".checkpoint"), "0\n0\n");
    }
    return state.resolve("app").resolve(id);
  }

  @Test
  void shouldRemoveTheStateOfTasksLeftWithoutACheckpointAndKeepTheRest() throws IOException {
    Path dirty = task("0_1", false);
    Path clean = task("0_2", true);
    Files.createDirectories(state.resolve("app").resolve("0_3")); // empty: nothing to restore
    Files.writeString(state.resolve("app").resolve("kafka-streams-process-metadata"), "{}");

    assertThat(DirtyStateSweeper.sweep(state, "app")).containsExactly("0_1");

    assertThat(dirty).isEmptyDirectory();
    assertThat(clean.resolve("rocksdb/user-history/000001.sst")).exists();
    assertThat(state.resolve("app/kafka-streams-process-metadata")).exists();
    assertThat(DirtyStateSweeper.sweep(state, "app")).isEmpty();
  }

  @Test
  void shouldDoNothingWithoutAStateDirectory() {
    assertThat(DirtyStateSweeper.sweep(state, "never-ran")).isEmpty();
  }

  @Test
  void shouldLeaveADirectoryAloneWhileItsLockIsHeld() throws IOException {
    Path dirty = task("1_0", false);
    try (FileChannel c =
            FileChannel.open(
                state.resolve("app/.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = c.lock()) {
      assertThat(lock.isValid()).isTrue();
      assertThat(DirtyStateSweeper.sweep(state, "app")).isEmpty();
    }
    assertThat(dirty.resolve("rocksdb")).exists();
  }
}
