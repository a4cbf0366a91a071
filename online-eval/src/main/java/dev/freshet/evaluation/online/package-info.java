/**
 * Online quality measured the prequential way, in event time: {@link
 * dev.freshet.evaluation.online.OnlineEvaluation} replays a click log through the real stream app
 * and trainer on an embedded broker in lockstep (no click is sent before everything it may depend
 * on has been emitted), so the wall clock never decides which model or list a click is judged
 * against. Each click is tested against the list the system produced for its user just before it
 * ("test, then train"; Dawid's prequential principle, as used for data streams by Gama, Sebastião
 * and Rodrigues, "On evaluating stream learning algorithms", Machine Learning 90(3), 2013), for the
 * online model, a copy frozen part-way, and online popularity and co-occurrence updated on the same
 * click order.
 *
 * <p>This module sits beside the stream app and the trainer it drives; the {@code freshet
 * evaluate-online} command only parses options and calls it.
 */
package dev.freshet.evaluation.online;
