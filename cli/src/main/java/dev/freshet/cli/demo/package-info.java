/**
 * {@code freshet demo}: the whole online-freshness system in one JVM, with live figures in the
 * terminal and a web dashboard.
 *
 * <p>{@link dev.freshet.cli.demo.Demo} starts an in-process KRaft broker and schema registry, the
 * topic set, the stream app and the online trainer, then a {@link dev.freshet.cli.demo.ClickFeeder}
 * that replays a click source (synthetic generator, MovieLens, reference TSV) onto the wall clock
 * at a chosen rate, so every latency and freshness figure is a real one. A {@link
 * dev.freshet.cli.demo.RecommendationMonitor} reads the {@code recommendations} topic back; a
 * {@link dev.freshet.cli.demo.FrozenModel} keeps a copy of an earlier snapshot and scores the same
 * users on the side, so that {@link dev.freshet.cli.demo.LiveFigures} can show prequential Recall@K
 * ("test, then train", as in the evaluation of streaming learners) of the online model against the
 * frozen one. {@link dev.freshet.cli.demo.DashboardServer} serves the figures as JSON and a small
 * hand-written page (no external assets) that draws them.
 *
 * <p>The model is the deep candidate generation network of Covington, Adams &amp; Sargin, "Deep
 * Neural Networks for YouTube Recommendations" (RecSys 2016). How to run the demo, its defaults and
 * its measured figures are in {@code docs/demo.md}.
 */
package dev.freshet.cli.demo;
