/**
 * Import of MovieLens data (Harper and Konstan, "The MovieLens Datasets: History and Context", ACM
 * Transactions on Interactive Intelligent Systems 5(4), 2015) in the {@code ml-latest-small} CSV
 * layout into Freshet's click stream and the reference TSV of the {@code youtube_recall} example
 * (after Covington, Adams and Sargin, RecSys 2016).
 *
 * <p>MovieLens is the real, timestamped, public data the project develops and measures on; it is
 * licensed for research use and is read by path, never copied into the repository. A rating is
 * treated as a click (implicit feedback), the movie's first genre as its category and its most
 * frequent user tags as its tags; see {@link dev.freshet.data.movielens.MovieLensImporter} and
 * {@code docs/data.md} for the choices.
 */
package dev.freshet.data.movielens;
