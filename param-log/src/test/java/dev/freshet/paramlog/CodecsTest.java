package dev.freshet.paramlog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.freshet.avro.Tensor;
import dev.freshet.model.Activation;
import dev.freshet.model.DenseTensor;
import dev.freshet.model.LossType;
import dev.freshet.model.ModelConfig;
import dev.freshet.model.SequencePooling;
import dev.freshet.model.Table;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

class CodecsTest {

  @Test
  void shouldRoundTripEveryModelConfigField() {
    ModelConfig c =
        ModelConfig.builder()
            .userDim(3)
            .itemDim(5)
            .loss(LossType.SAMPLED_SOFTMAX)
            .numNegatives(9)
            .featAppearLimit(2)
            .rowExpiryMillis(123_000)
            .samplerPower(0.5)
            .seed(99)
            .precision(ModelConfig.Precision.DOUBLE)
            .pooling(SequencePooling.MAX_AND_LAST)
            .userActivation(Activation.LINEAR)
            .dropout(0.25)
            .inBatchNegatives(true)
            .userVectorDim(5)
            .tieItemEmbeddings(true)
            .searchDim(6)
            .build();
    assertThat(ModelConfigCodec.fromJson(ModelConfigCodec.toJson(c))).isEqualTo(c);
    assertThat(ModelConfigCodec.fromJson(ModelConfigCodec.toJson(c)).searchDim()).isEqualTo(6);
  }

  @Test
  void shouldReadAStoredConfigWithoutTheNewerFieldsAsTheReferenceNetwork() {
    // A manifest written before the tower and loss options existed meant the reference network.
    ModelConfig old = ModelConfigCodec.fromJson("{\"userDim\":64,\"loss\":\"NCE\"}");
    assertThat(old).isEqualTo(ModelConfig.reference().build());
    // Settings (the trainer's model.* keys) fill absent fields from the given base instead.
    ModelConfig settings = ModelConfigCodec.fromJson("{\"seed\":5}", ModelConfig.builder());
    assertThat(settings).isEqualTo(ModelConfig.builder().seed(5).build());
  }

  @Test
  void shouldReadNumbersGivenAsTextAndRejectNonsenseWithTheFieldName() {
    assertThat(ModelConfigCodec.fromJson("{\"featAppearLimit\":\"5\"}").featAppearLimit())
        .isEqualTo(5);
    assertThatThrownBy(() -> ModelConfigCodec.fromJson("{\"featAppearLimit\":\"many\"}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("featAppearLimit");
    assertThatThrownBy(() -> ModelConfigCodec.fromJson("{\"colour\":1}"))
        .hasMessageContaining("unknown model config field 'colour'");
    assertThatThrownBy(() -> ModelConfigCodec.fromJson("{\"loss\":\"HINGE\"}"))
        .hasMessageContaining("loss must be one of");
  }

  @Test
  void shouldRoundTripATensorBitForBit() {
    DenseTensor t =
        new DenseTensor("lstm.wx", 2, 3, new float[] {1f, -0f, Float.MIN_VALUE, 3.5f, 1e-30f, -7f});
    assertThat(ParamRecords.fromAvro(ParamRecords.toAvro(t))).isEqualTo(t);
  }

  @Test
  void shouldRejectATensorWhoseDataDoesNotMatchItsShape() {
    Tensor bad = new Tensor("w", List.of(2, 2), ByteBuffer.allocate(12));
    assertThatThrownBy(() -> ParamRecords.fromAvro(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs 16 bytes, has 12");
  }

  @Test
  void shouldParseEveryKeyKindAndKeepSlashesInValues() {
    assertThat(ParamKeys.parse(ParamKeys.row(Table.CITY, "a/b")))
        .isEqualTo(new ParamKeys.Parsed(ParamKeys.Kind.ROW, Table.CITY, "a/b"));
    assertThat(ParamKeys.parse(ParamKeys.item("x")).kind()).isEqualTo(ParamKeys.Kind.ITEM);
    assertThat(ParamKeys.parse("dense").kind()).isEqualTo(ParamKeys.Kind.DENSE);
    assertThat(ParamKeys.parse("manifest").kind()).isEqualTo(ParamKeys.Kind.MANIFEST);
    assertThatThrownBy(() -> ParamKeys.parse("row/nosuchtable/x"))
        .hasMessageContaining("unknown table");
  }
}
