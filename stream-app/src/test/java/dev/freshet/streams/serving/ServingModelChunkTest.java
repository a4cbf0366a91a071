package dev.freshet.streams.serving;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.freshet.model.UserTower;
import org.junit.jupiter.api.Test;

class ServingModelChunkTest {

  @Test
  void shouldSplitEvenASmallBatchOverTheWorkers() {
    assertEquals(1, ServingModel.chunkSize(0, 2));
    assertEquals(1, ServingModel.chunkSize(1, 2));
    assertEquals(1, ServingModel.chunkSize(2, 2));
    assertEquals(2, ServingModel.chunkSize(15, 2));
  }

  @Test
  void shouldCutALargeBatchIntoAboutFourChunksPerWorker() {
    assertEquals(2, ServingModel.chunkSize(16, 2));
    assertEquals(13, ServingModel.chunkSize(100, 2));
    assertEquals(7, ServingModel.chunkSize(100, 4));
  }

  @Test
  void shouldNeverExceedThePlainTowersBatchLimit() {
    assertEquals(UserTower.PLAIN_JAVA_MAX_BATCH, ServingModel.chunkSize(10_000, 2));
    assertEquals(
        UserTower.PLAIN_JAVA_MAX_BATCH,
        ServingModel.chunkSize(4 * UserTower.PLAIN_JAVA_MAX_BATCH + 1, 1));
  }
}
