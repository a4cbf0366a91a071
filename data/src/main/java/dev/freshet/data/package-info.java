/**
 * Click data in the shape the candidate-generation model consumes: the reference's TSV format and a
 * flat, time-ordered click stream.
 *
 * <p>The TSV format is the one of PaddlePaddle's {@code youtube_recall} example, which rebuilds the
 * candidate-generation network of Covington, Adams and Sargin, "Deep Neural Networks for YouTube
 * Recommendations" (RecSys 2016): one line per user, {@code user \t province \t city \t
 * video:category:tag1_tag2;... \t phone}, with {@code NULL} for unknown values. {@link
 * dev.freshet.data.UserSequence} and {@link dev.freshet.data.ClickedItem} are its in-memory form;
 * {@link dev.freshet.data.TsvReader} streams it (bad lines are counted and reported with their line
 * number, never thrown) and {@link dev.freshet.data.TsvWriter} writes it. {@link
 * dev.freshet.data.ClickEvent} is the per-click view that producers feed into Kafka, and {@link
 * dev.freshet.data.ClickStreams} converts between the two views.
 *
 * <p>{@link dev.freshet.data.SafeIds} is the one definition of the code points an identifier may
 * not carry (control characters, bidi controls, unpaired surrogates, ...); the readers here, the
 * stream app, the trainer and the CLI all apply it.
 *
 * <p>Everything here is plain Java (no Kafka, no ND4J) so that the model, the stream app, the CLI
 * and the tests can all share one definition of the data. Sources of data live in sub-packages:
 * {@code synth} (a seeded synthetic generator), {@code movielens} (an importer for the MovieLens
 * format of Harper and Konstan, "The MovieLens Datasets: History and Context", ACM TiiS 2015) and
 * {@code eval} (next-click metrics and baselines).
 */
package dev.freshet.data;
