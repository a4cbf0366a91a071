package dev.freshet.model;

/**
 * Outcome of one training step.
 *
 * @param loss mean loss over the trained examples before the update (NaN if none were trained)
 * @param trained instances that contributed to the update (admitted target)
 * @param skipped instances only counted for admission because their target is not admitted
 */
public record TrainStats(double loss, int trained, int skipped) {}
