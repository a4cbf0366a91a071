package dev.freshet.data.movielens;

import java.util.List;
import java.util.Objects;

/**
 * A movie as imported: its id, title, MovieLens genres, the category chosen for it and its
 * normalised tags.
 *
 * @param movieId the MovieLens movie id (used as the video id)
 * @param title the title, unquoted
 * @param genres the genres as listed (may be empty for "(no genres listed)")
 * @param category the category used for clicks, or null if the movie has no genre
 * @param tags the normalised tags used for clicks, most frequent first
 */
public record MovieLensMovie(
    String movieId, String title, List<String> genres, String category, List<String> tags) {

  /** Copies the lists. */
  public MovieLensMovie {
    Objects.requireNonNull(movieId, "movieId");
    Objects.requireNonNull(title, "title");
    genres = List.copyOf(genres);
    tags = List.copyOf(tags);
  }
}
