/**
 * A seeded, deterministic generator of synthetic click streams with the structure that deep
 * candidate generation (Covington, Adams and Sargin, RecSys 2016) is meant to exploit: Zipf-like
 * item popularity, users with interests over categories and tags, demographic features (province,
 * city, phone), items that follow one another, new items arriving over time and interests that
 * drift over time.
 *
 * <p>It exists because real data with those properties and an event time per click is scarce: the
 * freshness experiments of the stream app need a stream whose distribution moves, and the model's
 * tests need data where the next click is predictable from the history (so a model can beat
 * popularity). The generative process is documented on {@link
 * dev.freshet.data.synth.SyntheticClickGenerator} and in {@code docs/data.md}.
 */
package dev.freshet.data.synth;
