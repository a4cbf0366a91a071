package dev.freshet.paramlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.avro.ModelContribution;
import dev.freshet.model.Contribution;
import dev.freshet.model.DenseTensor;
import dev.freshet.model.Table;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ContributionCodecTest {

  @Test
  void shouldRoundTripDeltasAndHeaderBitForBit() {
    Contribution c =
        new Contribution(
            Map.of(
                Table.ITEM, Map.of("v1", new float[] {1.5f, -0f, Float.MIN_VALUE}),
                Table.USER, Map.of("u9", new float[] {-2e-7f, 3f})),
            Map.of(Table.ITEM, Map.of("v1", new float[] {0.5f, 2f, 1e-3f})),
            Map.of(Table.ITEM_OUTPUT, Map.of("v1", new float[] {-9.5f, 0.125f})),
            Map.of("v1", 3L, "v2", 1L),
            List.of(new DenseTensor("w", 1, 2, new float[] {0.25f, -1e-30f})));
    ContributionCodec.Header h =
        new ContributionCodec.Header("t1", "inc", 7, 12L, 300, 1_700_000_000_000L, 42);

    ModelContribution m = ContributionCodec.toAvro(h, c);
    Contribution back = ContributionCodec.fromAvro(m);

    assertThat(ContributionCodec.header(m)).isEqualTo(h);
    assertThat(back.rows().keySet()).isEqualTo(c.rows().keySet());
    c.rows()
        .forEach(
            (t, rows) ->
                rows.forEach((k, v) -> assertThat(back.rows().get(t).get(k)).containsExactly(v)));
    assertThat(back.dense()).containsExactlyElementsOf(c.dense());
    assertThat(back.initial().get(Table.ITEM_OUTPUT).get("v1")).containsExactly(-9.5f, 0.125f);
    assertThat(back.itemCounts()).isEqualTo(c.itemCounts());
    assertThat(back.accumulators().get(Table.ITEM).get("v1")).containsExactly(0.5f, 2f, 1e-3f);
  }

  @Test
  void shouldRefuseADeltaThatIsNotWholeFloats() {
    ModelContribution m =
        ContributionCodec.toAvro(
            new ContributionCodec.Header("t1", "inc", 1, null, 0, 0, 0),
            new Contribution(Map.of(Table.ITEM, Map.of("v1", new float[] {1f})), List.of()));
    m.getRows().get(0).setDelta(ByteBuffer.wrap(new byte[] {1, 2, 3}));
    assertThatThrownBy(() -> ContributionCodec.fromAvro(m))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("item/v1")
        .hasMessageContaining("3 bytes");
  }
}
