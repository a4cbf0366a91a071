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

  /** Config bytes formats 2, 3 and 4 append after the seed, for the reference's enum names. */
  private static final int APPENDED_2 = 5 + 6 + 8 + 1 + 1;

  private static final int APPENDED_3 = 8 + 8 + 1 + 8;
  private static final int APPENDED_4 = 4;

  /**
   * The checkpoint of {@code model} rewritten as format {@code version}: the config fields that
   * later formats append after the seed ({@code appended} bytes) cut out, the search-token table
   * (format 4) cut out, the CRC recomputed. The model must not read search tokens.
   */
  private static byte[] asOlderFormat(CandidateModel model, int version, int appended)
      throws IOException {
    assertThat(model.config().searchTokens()).isFalse();
    byte[] current = bytes(model);
    // The config starts after magic and version (12 bytes); its format-1 part is 11 ints, a bool,
    // utf "NCE", an int, a bool, a double, an int, a long, 6 doubles, utf "FLOAT" and a long: 138
    // bytes. Later formats append their fields after it (APPENDED_2, _3, _4).
    int tail = 12 + 138 + (APPENDED_2 + APPENDED_3 + APPENDED_4 - appended);
    byte[] body = new byte[current.length - appended - 8];
    System.arraycopy(current, 0, body, 0, tail);
    System.arraycopy(current, tail + appended, body, tail, current.length - 8 - tail - appended);
    ByteBuffer.wrap(body).putInt(8, version);
    // Tables are written in enum order: ..., tag, search, item_output. Format 4 added "search".
    int search = indexOf(body, utf("search"), tail);
    int output = indexOf(body, utf("item_output"), search);
    int first = indexOf(body, utf("user"), tail);
    ByteBuffer.wrap(body).putInt(first - 4, ByteBuffer.wrap(body).getInt(first - 4) - 1);
    byte[] cut = new byte[body.length - (output - search)];
    System.arraycopy(body, 0, cut, 0, search);
    System.arraycopy(body, output, cut, search, body.length - output);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(cut);
    return ByteBuffer.allocate(cut.length + 8).put(cut).putLong(crc.getValue()).array();
  }

  private static byte[] utf(String s) {
    byte[] b = s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(2 + b.length).putShort((short) b.length).put(b).array();
  }

  private static int indexOf(byte[] hay, byte[] needle, int from) {
    for (int i = from; i <= hay.length - needle.length; i++) {
      if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new AssertionError("pattern not found after " + from);
  }

  @Test
  void shouldRoundTripSearchTokenRowsOfFormatFour() throws IOException {
    ModelConfig cfg = TestData.small().searchDim(3).build();
    CandidateModel original = CandidateModel.create(cfg);
    Random r = new Random(2);
    for (int s = 0; s < 4; s++) {
      original.train(TestData.withSearches(TestData.batch(r, 16, 10, 20, 4)), s);
    }
    CandidateModel restored = load(bytes(original));
    assertThat(restored.config().searchDim()).isEqualTo(3);
    assertThat(original.keys(Table.SEARCH)).contains("s0", "s1", "s2", "s3");
    assertThat(restored.keys(Table.SEARCH)).isEqualTo(original.keys(Table.SEARCH));
    assertSameModel(original, restored);
    List<Instance> more = TestData.withSearches(TestData.batch(new Random(8), 16, 10, 20, 4));
    original.train(more, 9);
    restored.train(more, 9);
    assertSameModel(original, restored);
  }

  @Test
  void shouldReadAFormatThreeCheckpointWithoutSearchTokens() throws IOException {
    CandidateModel original =
        trained(TestData.small().lastItemSkip(true).skipDecay(0.5).historyDropout(0.1).build());
    CandidateModel restored = load(asOlderFormat(original, 3, APPENDED_4));
    assertThat(restored.config()).isEqualTo(original.config());
    assertThat(restored.config().searchDim()).isZero();
    assertSameModel(original, restored);
  }

  @Test
  void shouldReadAFormatOneCheckpointAsTheReferenceNetwork() throws IOException {
    CandidateModel original = trained(TestData.small().build());
    byte[] current = bytes(original);
    // Format 1 ends its config at the seed; the first appended field is utf "MAX".
    assertThat(ByteBuffer.wrap(current, 12 + 138, 2).getShort()).isEqualTo((short) 3);
    CandidateModel restored =
        load(asOlderFormat(original, 1, APPENDED_2 + APPENDED_3 + APPENDED_4));
    assertThat(restored.config()).isEqualTo(original.config());
    assertThat(restored.config().pooling()).isEqualTo(SequencePooling.MAX);
    assertSameModel(original, restored);
  }

  @Test
  void shouldReadAFormatTwoCheckpointAsInnerProductScores() throws IOException {
    // The offsets of asOlderFormat assume the reference's loss, pooling and activation names.
    CandidateModel original = trained(TestData.small().dropout(0.25).build());
    CandidateModel restored = load(asOlderFormat(original, 2, APPENDED_3 + APPENDED_4));
    assertThat(restored.config().dropout()).isEqualTo(0.25);
    assertThat(restored.config()).isEqualTo(original.config());
    assertThat(restored.config().temperature()).isZero();
    assertSameModel(original, restored);
  }
}
