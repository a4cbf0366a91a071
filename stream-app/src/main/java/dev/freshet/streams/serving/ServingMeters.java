package dev.freshet.streams.serving;

import dev.freshet.streams.retrieval.IndexStats;
import dev.freshet.streams.retrieval.SearchStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * The served model's meters: which version is served and indexed, how many items, and the item
 * index's search counters (how often the norm-bound scan proved the exact top-N, how often it gave
 * up). Read from the {@link ServingModel} at every scrape; nothing is recorded on the click path.
 */
public final class ServingMeters implements MeterBinder {

  private final ServingModel model;

  public ServingMeters(ServingModel model) {
    this.model = Objects.requireNonNull(model, "model");
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("freshet.serving.model.version", model, ServingModel::version)
        .description("Model version being served (-1 before the first snapshot)")
        .register(registry);
    Gauge.builder("freshet.serving.model.indexed.version", model, ServingModel::indexedVersion)
        .description("Newest model version whose item vectors are all in the index")
        .register(registry);
    Gauge.builder("freshet.serving.items", model, ServingModel::items)
        .description("Items in the serving index")
        .baseUnit("items")
        .register(registry);
    Gauge.builder("freshet.index.hnsw", model, m -> stats(m, s -> "hnsw".equals(s.kind()) ? 1 : 0))
        .description("1 when the item index is the HNSW graph, 0 when it is the exact scan")
        .register(registry);
    counter(
        registry, "freshet.index.searches", "Top-N searches of the item index", q -> q.queries());
    counter(
        registry,
        "freshet.index.searches.proven.exact",
        "Searches the norm-bound scan answered with a proven exact top-N",
        SearchStats::provenExact);
    counter(
        registry,
        "freshet.index.scans.given.up",
        "Norm-bound scans given up for the graph (item norms spread too little)",
        SearchStats::refineSkipped);
    counter(
        registry,
        "freshet.index.graph.nodes.scored",
        "Graph nodes scored by HNSW searches",
        SearchStats::visitedNodes);
    counter(
        registry,
        "freshet.index.scan.items.scored",
        "Items scored by norm-bound scans",
        SearchStats::scannedItems);
    FunctionCounter.builder("freshet.tower.cache.hits", model, m -> m.projections().hits())
        .description("Window items whose LSTM input row the user tower found in its cache")
        .register(registry);
    FunctionCounter.builder("freshet.tower.cache.misses", model, m -> m.projections().misses())
        .description(
            "Window items whose LSTM input row the user tower computed (not cached, evicted, or"
                + " its row or the dense weights replaced by a newer snapshot)")
        .register(registry);
    FunctionCounter.builder("freshet.index.rebuilds", model, m -> stats(m, IndexStats::rebuilds))
        .description("Rebuilds of the item index")
        .register(registry);
  }

  private void counter(
      MeterRegistry registry, String name, String description, ToLongFunction<SearchStats> f) {
    FunctionCounter.builder(name, model, m -> stats(m, s -> f.applyAsLong(s.search())))
        .description(description)
        .register(registry);
  }

  private static double stats(ServingModel m, ToLongFunction<IndexStats> f) {
    return m.indexStats().map(f::applyAsLong).orElse(0L);
  }
}
