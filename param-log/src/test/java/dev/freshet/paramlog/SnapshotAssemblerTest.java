package dev.freshet.paramlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.avro.SnapshotManifest;
import dev.freshet.model.DenseTensor;
import dev.freshet.model.ModelConfig;
import dev.freshet.model.Table;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotAssemblerTest {

  private final ServingParams params = new ServingParams();
  private final List<SnapshotAssembler.AppliedSnapshot> applied = new ArrayList<>();
  private final SnapshotAssembler assembler = new SnapshotAssembler(params, applied::add, null);

  @Test
  void shouldHoldDeltasBackUntilTheManifestCompletesThem() {
    assembler.accept(
        ParamKeys.row(Table.TAG, "jazz"),
        ParamRecords.row(1, Table.TAG, "jazz", new float[] {1, 2}));
    assembler.accept(
        ParamKeys.item("v1"),
        ParamRecords.item(ParamRecords.itemVector(1, "v1", new float[] {0.5f, 1}, 0)));

    assertThat(params.row(Table.TAG, "jazz")).isNull();
    assertThat(params.items()).isEmpty();
    assertThat(assembler.pending()).isEqualTo(2);

    assembler.accept(ParamKeys.MANIFEST, ParamRecords.manifest(manifest(1)));

    assertThat(params.row(Table.TAG, "jazz")).containsExactly(1, 2);
    assertThat(params.items().get("v1")).containsExactly(0.5f, 1);
    assertThat(params.version()).isEqualTo(1);
    assertThat(applied).hasSize(1);
    assertThat(applied.get(0).changedItems()).containsExactly("v1");
    assertThat(applied.get(0).changedRows().get(Table.TAG)).containsExactly("jazz");
    assertThat(applied.get(0).config()).isEqualTo(ModelConfig.builder().build());
  }

  @Test
  void shouldRemoveRowsAndItemsOnTombstones() {
    assembler.accept(
        ParamKeys.item("v1"),
        ParamRecords.item(ParamRecords.itemVector(1, "v1", new float[] {1}, 0)));
    assembler.accept(ParamKeys.MANIFEST, ParamRecords.manifest(manifest(1)));
    assembler.accept(ParamKeys.item("v1"), null);
    assembler.accept(ParamKeys.MANIFEST, ParamRecords.manifest(manifest(2)));

    assertThat(params.items()).isEmpty();
    assertThat(applied.get(1).removedItems()).containsExactly("v1");
  }

  @Test
  void shouldReplaceDenseTensorsAndReportTheChange() {
    DenseTensor w = new DenseTensor("fc1.w", 2, 2, new float[] {1, 2, 3, 4});
    assembler.accept(ParamKeys.DENSE, ParamRecords.dense(1, List.of(w)));
    assembler.accept(ParamKeys.MANIFEST, ParamRecords.manifest(manifest(1)));
    assembler.accept(ParamKeys.MANIFEST, ParamRecords.manifest(manifest(2)));

    assertThat(params.dense()).containsExactly(w);
    assertThat(applied.get(0).denseChanged()).isTrue();
    assertThat(applied.get(1).denseChanged()).isFalse();
  }

  @Test
  void shouldRejectAValueThatDoesNotMatchItsKey() {
    assertThatThrownBy(
            () ->
                assembler.accept(
                    ParamKeys.DENSE, ParamRecords.row(1, Table.TAG, "x", new float[] {1})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("EmbeddingRow");
    assertThatThrownBy(() -> assembler.accept("nonsense", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a model-params key");
  }

  private static SnapshotManifest manifest(long version) {
    return SnapshotManifest.newBuilder()
        .setVersion(version)
        .setPreviousVersion(version - 1)
        .setInstancesApplied(version * 10)
        .setMaxItemNorm(1f)
        .setItemCount(1)
        .setModelConfig(ModelConfigCodec.toJson(ModelConfig.builder().build()))
        .setCreatedAt(Instant.EPOCH)
        .build();
  }
}
