package dev.freshet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointTest {

  private static CandidateModel trained(ModelConfig cfg) {
    CandidateModel m = CandidateModel.create(cfg);
    Random r = new Random(2);
    for (int s = 0; s < 4; s++) {
      m.train(TestData.batch(r, 16, 10, 20, 4), s);
    }
    return m;
  }

  private static byte[] bytes(CandidateModel m) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    m.save(out);
    return out.toByteArray();
  }

  private static CandidateModel load(byte[] b) throws IOException {
    return CandidateModel.load(new ByteArrayInputStream(b));
  }

  private static void assertSameModel(CandidateModel a, CandidateModel b) throws IOException {
    assertThat(b.config()).isEqualTo(a.config());
    assertThat(b.exportDense()).containsExactlyElementsOf(a.exportDense());
    ItemVectors ia = a.itemVectors();
    ItemVectors ib = b.itemVectors();
    assertThat(ib.ids()).isEqualTo(ia.ids());
    for (int i = 0; i < ia.size(); i++) {
      assertThat(ib.vector(i)).containsExactly(ia.vector(i));
    }
    assertThat(bytes(b)).isEqualTo(bytes(a));
  }

  @Test
  void shouldAdmitNewItemsWithTheSameInitialRowsAfterRestore() throws IOException {
    CandidateModel original = trained(TestData.small().featAppearLimit(2).build());
    CandidateModel restored = load(bytes(original));
    // Items never seen before (ids beyond the 20 of the training world): admitted at their second
    // click, so the first step only counts them; their initial bias depends on the restored counts.
    List<Instance> fresh = TestData.batch(new Random(4), 16, 10, 60, 4);
    for (CandidateModel m : List.of(original, restored)) {
      m.train(fresh, 50);
      m.train(fresh, 51);
    }
    assertThat(restored.itemVectors().ids()).hasSizeGreaterThan(20);
    assertSameModel(original, restored);
  }

  @Test
  void shouldRestoreBitIdenticalOutputsAndIdenticalNextUpdates() throws IOException {
    for (ModelConfig.Precision p : ModelConfig.Precision.values()) {
      CandidateModel original = trained(TestData.small().precision(p).build());
      CandidateModel restored = load(bytes(original));
      assertSameModel(original, restored);
      List<UserContext> users = List.of(TestData.context(1, List.of(TestData.item(1, 4))));
      assertThat(restored.userVectors(users)[0]).containsExactly(original.userVectors(users)[0]);

      List<Instance> next = TestData.batch(new Random(9), 16, 10, 20, 4);
      TrainStats so = original.train(next, 100);
      TrainStats sr = restored.train(next, 100);
      assertThat(sr).isEqualTo(so);
      assertThat(restored.drainChanges()).isEqualTo(original.drainChanges());
      assertSameModel(original, restored);
    }
  }

  @Test
  void shouldSaveAndLoadFiles(@TempDir Path dir) throws IOException {
    CandidateModel m = trained(TestData.small().build());
    Path file = dir.resolve("model.ckpt");
    m.save(file);
    assertSameModel(m, CandidateModel.load(file));
  }

  @Test
  void shouldRejectCorruptCheckpointNamingTheChecksum() throws IOException {
    byte[] b = bytes(trained(TestData.small().build()));
    b[b.length / 2] ^= 0x10;
    assertThatThrownBy(() -> load(b))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("corrupt");
  }

  @Test
  void shouldRejectTruncatedCheckpoint() throws IOException {
    byte[] b = bytes(trained(TestData.small().build()));
    assertThatThrownBy(() -> load(Arrays.copyOf(b, b.length - 20)))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("truncated");
  }

  @Test
  void shouldRejectFilesThatAreNotCheckpoints() {
    assertThatThrownBy(
            () ->
                load("hello, world, not a model".getBytes(java.nio.charset.StandardCharsets.UTF_8)))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("magic");
  }

  @Test
  void shouldRejectUnsupportedFormatVersion() throws IOException {
    byte[] b = bytes(CandidateModel.create(TestData.small().build()));
    ByteBuffer.wrap(b).putInt(8, 99);
    assertThatThrownBy(() -> load(b))
        .isInstanceOf(CheckpointException.class)
        .hasMessageContaining("version 99");
  }

  @Test
  void shouldRoundTripTheTowerAndLossOptionsOfFormatTwo() throws IOException {
    ModelConfig cfg =
        TestData.small()
            .pooling(SequencePooling.MAX_AND_LAST)
            .userActivation(Activation.LINEAR)
            .dropout(0.25)
            .loss(LossType.SHARED_SAMPLED_SOFTMAX)
            .numNegatives(12)
            .inBatchNegatives(true)
            .itemDim(7)
            .tieItemEmbeddings(true)
            .build();
    CandidateModel original = trained(cfg);
    CandidateModel restored = load(bytes(original));
    assertSameModel(original, restored);
    List<Instance> more = TestData.batch(new Random(8), 16, 10, 20, 4);
    original.train(more, 9);
    restored.train(more, 9);
    assertSameModel(original, restored);
  }

  @Test
  void shouldRoundTripTheOptionsOfFormatThree() throws IOException {
    ModelConfig cfg =
        TestData.small()
            .loss(LossType.SHARED_SAMPLED_SOFTMAX)
            .numNegatives(12)
            .inBatchNegatives(true)
            .temperature(0.125)
            .historyDropout(0.3)
            .itemDim(7)
            .userVectorDim(7)
            .tieItemEmbeddings(true)
            .lastItemSkip(true)
            .skipDecay(0.7)
            .build();
    CandidateModel original = trained(cfg);
    CandidateModel restored = load(bytes(original));
    assertThat(restored.config().temperature()).isEqualTo(0.125);
    assertThat(restored.config().historyDropout()).isEqualTo(0.3);
    assertThat(restored.config().lastItemSkip()).isTrue();
    assertThat(restored.config().skipDecay()).isEqualTo(0.7);
    assertSameModel(original, restored);
    List<Instance> more = TestData.batch(new Random(8), 16, 10, 20, 4);
    original.train(more, 9);
    restored.train(more, 9);
    assertSameModel(original, restored);
  }

  /**
   * The checkpoint of {@code model} rewritten as format {@code version}: the config fields that
   * later formats append after the seed ({@code appended} bytes) cut out, the CRC recomputed.
   */
  private static byte[] asOlderFormat(CandidateModel model, int version, int appended)
      throws IOException {
    byte[] current = bytes(model);
    // The config starts after magic and version (12 bytes); its format-1 part is 11 ints, a bool,
    // utf "NCE", an int, a bool, a double, an int, a long, 6 doubles, utf "FLOAT" and a long: 138
    // bytes. Format 2 appended utf pooling, utf activation, double dropout, bool inBatchNegatives,
    // bool tieItemEmbeddings; format 3 double temperature, double historyDropout, bool
    // lastItemSkip, double skipDecay.
    int tail = 12 + 138 + (5 + 6 + 8 + 1 + 1 + 8 + 8 + 1 + 8 - appended);
    byte[] body = new byte[current.length - appended - 8];
    System.arraycopy(current, 0, body, 0, tail);
    System.arraycopy(current, tail + appended, body, tail, current.length - 8 - tail - appended);
    ByteBuffer.wrap(body).putInt(8, version);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(body);
    return ByteBuffer.allocate(body.length + 8).put(body).putLong(crc.getValue()).array();
  }

  @Test
  void shouldReadAFormatOneCheckpointAsTheReferenceNetwork() throws IOException {
    CandidateModel original = trained(TestData.small().build());
    byte[] current = bytes(original);
    // Format 1 ends its config at the seed; the first appended field is utf "MAX".
    assertThat(ByteBuffer.wrap(current, 12 + 138, 2).getShort()).isEqualTo((short) 3);
    CandidateModel restored = load(asOlderFormat(original, 1, 5 + 6 + 8 + 1 + 1 + 8 + 8 + 1 + 8));
    assertThat(restored.config()).isEqualTo(original.config());
    assertThat(restored.config().pooling()).isEqualTo(SequencePooling.MAX);
    assertSameModel(original, restored);
  }

  @Test
  void shouldReadAFormatTwoCheckpointAsInnerProductScores() throws IOException {
    // The offsets of asOlderFormat assume the reference's loss, pooling and activation names.
    CandidateModel original = trained(TestData.small().dropout(0.25).build());
    CandidateModel restored = load(asOlderFormat(original, 2, 8 + 8 + 1 + 8));
    assertThat(restored.config().dropout()).isEqualTo(0.25);
    assertThat(restored.config()).isEqualTo(original.config());
    assertThat(restored.config().temperature()).isZero();
    assertSameModel(original, restored);
  }
}
