/**
 * The online trainer: {@link dev.freshet.trainer.OnlineTrainer} consumes training instances, trains
 * the model in mini-batches and publishes versioned snapshots in the same Kafka transaction as its
 * consumer offsets; {@link dev.freshet.trainer.Rollback} republishes an earlier version (by hand,
 * {@code freshet rollback}, or from the trainer's rollback guardrail); {@link
 * dev.freshet.trainer.TrainerConfig} is the typed configuration and {@link
 * dev.freshet.trainer.TrainerApp} the process. docs/architecture.md, "The trainer", has the
 * exactly-once and recovery argument.
 */
package dev.freshet.trainer;
