package dev.freshet.streams;

import dev.freshet.avro.SnapshotManifest;
import dev.freshet.model.CandidateModel;
import dev.freshet.model.Instance;
import dev.freshet.model.Item;
import dev.freshet.model.ModelConfig;
import dev.freshet.model.UserContext;
import dev.freshet.paramlog.ModelConfigCodec;
import dev.freshet.paramlog.ParamKeys;
import dev.freshet.paramlog.ParamRecords;
import dev.freshet.paramlog.SnapshotDeltas;
import dev.freshet.streams.serving.ServingModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Small trained models and a way to hand them to a {@link ServingModel} as the trainer would. */
final class TestSnapshots {

  private TestSnapshots() {}

  static ModelConfig smallConfig() {
    return ModelConfig.builder()
        .userDim(4)
        .provinceDim(2)
        .cityDim(2)
        .phoneDim(2)
        .itemDim(5)
        .categoryDim(2)
        .tagDim(4)
        .lstmHidden(6)
        .hiddenDim(8)
        .userVectorDim(5)
        .maxWindow(5)
        .featAppearLimit(1)
        .numNegatives(3)
        .seed(3)
        .build();
  }

  /** A model trained a little on chains over items v0..v(items-1). */
  static CandidateModel trained(int items) {
    CandidateModel m = CandidateModel.create(smallConfig());
    List<Instance> batch = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      batch.add(chainStep(i, i % items, items));
      if (batch.size() == 20) {
        m.train(batch, 1000L + i);
        batch.clear();
      }
    }
    return m;
  }

  /** Trains {@code model} on one more batch of its chains, moving its rows and dense weights. */
  static void trainMore(CandidateModel model, long eventTime) {
    List<Instance> batch = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      batch.add(chainStep(i, (i * 5) % 12, 12));
    }
    model.train(batch, eventTime);
  }

  /**
   * Instance {@code i} of the chains: user {@code i % 7} clicked v{@code a}, then the next item.
   */
  private static Instance chainStep(int i, int a, int items) {
    int b = (a + 1) % items;
    UserContext ctx =
        new UserContext(
            "u" + (i % 7),
            "p",
            "c",
            "ph",
            List.of(new Item("v" + a, "cat" + a % 3, List.of("t" + a))));
    return new Instance(ctx, new Item("v" + b, "cat" + b % 3, List.of("t" + b)));
  }

  /** Publishes everything that changed in {@code model} as snapshot {@code version}. */
  static void publish(CandidateModel model, ServingModel serving, long version) {
    publish(model, version, serving);
  }

  /** Publishes everything that changed in {@code model} as snapshot {@code version} to each. */
  static void publish(CandidateModel model, long version, ServingModel... servings) {
    SnapshotDeltas d = SnapshotDeltas.of(model, model.drainChanges(), version, 0);
    for (ServingModel serving : servings) {
      publish(model, d, serving, version);
    }
  }

  private static void publish(
      CandidateModel model, SnapshotDeltas d, ServingModel serving, long version) {
    for (SnapshotDeltas.KeyedUpdate u : d.paramRecords()) {
      serving.assembler().accept(u.key(), u.value());
    }
    SnapshotManifest manifest =
        SnapshotManifest.newBuilder()
            .setVersion(version)
            .setPreviousVersion(version - 1)
            .setInstancesApplied(200)
            .setMaxItemNorm(1f)
            .setItemCount(model.itemVectors().size())
            .setModelConfig(ModelConfigCodec.toJson(model.config()))
            .setCreatedAt(Instant.EPOCH)
            .build();
    serving.assembler().accept(ParamKeys.MANIFEST, ParamRecords.manifest(manifest));
  }
}
