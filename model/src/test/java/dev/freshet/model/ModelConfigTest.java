package dev.freshet.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ModelConfigTest {

  @Test
  void shouldKeepTheReferenceNetworkAsAPreset() {
    ModelConfig c = ModelConfig.reference().build();
    assertThat(c.userDim()).isEqualTo(64);
    assertThat(c.provinceDim()).isEqualTo(8);
    assertThat(c.cityDim()).isEqualTo(16);
    assertThat(c.phoneDim()).isEqualTo(16);
    assertThat(c.itemDim()).isEqualTo(64);
    assertThat(c.categoryDim()).isEqualTo(8);
    assertThat(c.tagDim()).isEqualTo(64);
    assertThat(c.lstmHidden()).isEqualTo(64);
    assertThat(c.hiddenDim()).isEqualTo(256);
    assertThat(c.userVectorDim()).isEqualTo(31);
    assertThat(c.vectorDim()).isEqualTo(32);
    assertThat(c.numNegatives()).isEqualTo(5);
    assertThat(c.featAppearLimit()).isEqualTo(20);
    assertThat(c.loss()).isEqualTo(LossType.NCE);
    assertThat(c.useExampleAge()).isFalse();
    assertThat(c.concatDim()).isEqualTo(64 + 8 + 16 + 16 + 64 + 8 + 64);
    assertThat(c.pooling()).isEqualTo(SequencePooling.MAX);
    assertThat(c.userActivation()).isEqualTo(Activation.RELU);
    assertThat(c.dropout()).isZero();
    assertThat(c.tieItemEmbeddings()).isFalse();
    assertThat(c.inBatchNegatives()).isFalse();
    assertThat(c.samplerPower()).isEqualTo(0.75);
    assertThat(c.adagradInitialAccumulator()).isEqualTo(0.1);
    assertThat(c.temperature()).isZero();
    assertThat(c.cosineScores()).isFalse();
    assertThat(c.historyDropout()).isZero();
    assertThat(c.lastItemSkip()).isFalse();
    assertThat(c.skipDecay()).isZero();
    assertThat(ModelPreset.REFERENCE.builder().build()).isEqualTo(c);
  }

  @Test
  void shouldDefaultToTheMeasuredModel() {
    ModelConfig c = ModelConfig.builder().build();
    assertThat(c.pooling()).isEqualTo(SequencePooling.LAST);
    assertThat(c.userActivation()).isEqualTo(Activation.LINEAR);
    assertThat(c.tieItemEmbeddings()).isTrue();
    assertThat(c.lastItemSkip()).isTrue();
    assertThat(c.skipDecay()).isZero();
    assertThat(c.temperature()).isZero();
    assertThat(c.itemDim()).isEqualTo(c.userVectorDim());
    assertThat(c.loss()).isEqualTo(LossType.SHARED_SAMPLED_SOFTMAX);
    assertThat(c.inBatchNegatives()).isTrue();
    assertThat(c.featAppearLimit()).isEqualTo(1);
    assertThat(ModelPreset.DEFAULT.builder().build()).isEqualTo(c);
    assertThat(c).isNotEqualTo(ModelConfig.reference().build());
  }

  @Test
  void shouldRejectTiedEmbeddingsOfAnotherWidthThanU() {
    assertThatThrownBy(() -> ModelConfig.builder().itemDim(32).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tieItemEmbeddings needs itemDim == userVectorDim");
    assertThatThrownBy(() -> ModelConfig.builder().dropout(1).build())
        .hasMessageContaining("dropout");
  }

  @Test
  void shouldRejectCosineScoresWithAPerExampleLossAndOutOfRangeRates() {
    assertThatThrownBy(() -> ModelConfig.reference().temperature(0.1).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("temperature > 0 (cosine scores) needs loss")
        .hasMessageContaining("NCE");
    assertThatThrownBy(() -> ModelConfig.builder().temperature(-1).build())
        .hasMessageContaining("temperature must be finite and >= 0");
    assertThatThrownBy(() -> ModelConfig.builder().historyDropout(1).build())
        .hasMessageContaining("historyDropout must be in [0, 1)");
    assertThatThrownBy(() -> ModelConfig.builder().skipDecay(1).build())
        .hasMessageContaining("skipDecay must be in [0, 1)");
  }

  @Test
  void shouldNameTheInvalidFieldInTheError() {
    assertThatThrownBy(() -> ModelConfig.builder().tagDim(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("tagDim");
    assertThatThrownBy(() -> ModelConfig.builder().samplerPower(1.5).build())
        .hasMessageContaining("samplerPower");
    assertThatThrownBy(() -> ModelConfig.builder().rowExpiryMillis(-1).build())
        .hasMessageContaining("rowExpiryMillis");
    assertThatThrownBy(() -> ModelConfig.builder().denseLearningRate(Double.NaN).build())
        .hasMessageContaining("denseLearningRate");
    assertThatThrownBy(() -> ModelConfig.builder().adamBeta2(1).build())
        .hasMessageContaining("adamBeta2");
  }

  @Test
  void shouldRoundTripThroughToBuilder() {
    ModelConfig c = ModelConfig.builder().seed(3).loss(LossType.SAMPLED_SOFTMAX).build();
    assertThat(c.toBuilder().build()).isEqualTo(c);
    assertThat(c.toBuilder().seed(4).build()).isNotEqualTo(c);
  }
}
