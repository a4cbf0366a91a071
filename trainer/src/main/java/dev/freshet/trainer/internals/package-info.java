/**
 * The trainer's implementation: recovery by replay of the instance log ({@code Recovery}),
 * checkpoints, input segments, dead letters, metrics, and the rollback guardrail — {@code
 * RecallGuard} decides from the stream app's prequential judgements (per model version, grouped
 * into blocks of at least M judged clicks) whether the newest model is clearly worse than a recent
 * one, and {@code JudgementReader} feeds it from the {@code recommendations} topic. Not a public
 * API.
 */
package dev.freshet.trainer.internals;
