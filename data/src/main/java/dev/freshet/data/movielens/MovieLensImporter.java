package dev.freshet.data.movielens;

import dev.freshet.data.BadLineCollector;
import dev.freshet.data.ClickEvent;
import dev.freshet.data.ClickStreams;
import dev.freshet.data.ReadSummary;
import dev.freshet.data.SafeIds;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Imports MovieLens data in the {@code ml-latest-small} layout ({@code movies.csv}: {@code
 * movieId,title,genres} with {@code |}-separated genres; {@code ratings.csv}: {@code
 * userId,movieId,rating,timestamp}; {@code tags.csv}: {@code userId,movieId,tag,timestamp}, seconds
 * since the epoch) into a time-ordered click stream.
 *
 * <ul>
 *   <li>Every rating at or above {@code minRating} is one click at its timestamp (milliseconds =
 *       seconds × 1000). Clicks are ordered by time, then user id; ratings of one user with the
 *       same timestamp keep their file order. Event ids are {@code ml-<userId>-<movieId>}.
 *   <li>The category is the movie's <em>first listed</em> genre; {@code (no genres listed)} gives
 *       an unknown category. MovieLens lists genres alphabetically, so "first" is "alphabetically
 *       first" (Toy Story → Adventure), a crude but stable choice: one category per item, as in the
 *       reference.
 *   <li>Tags are normalised ({@link #normaliseTag}) and ranked per movie by the number of distinct
 *       users who applied them (ties alphabetically); the top {@code maxTagsPerItem} are kept. Tags
 *       are treated as static item metadata, so a tag applied after a rating is still attached to
 *       that click.
 *   <li>Province, city and phone are unknown ({@code NULL}): MovieLens has no demographics.
 *   <li>Ratings of movies missing from {@code movies.csv} keep an unknown category and no tags.
 * </ul>
 *
 * <p>Quoted CSV fields (titles with commas or quotes) are handled. A malformed line never throws:
 * it is counted and reported with its line number in the file's {@link ReadSummary}. A header line
 * (first field {@code userId} or {@code movieId}) is skipped.
 */
public final class MovieLensImporter {

  /** The default number of tags kept per movie. */
  public static final int DEFAULT_MAX_TAGS = 3;

  private static final String NO_GENRES = "(no genres listed)";
  private static final Pattern SEPARATORS = Pattern.compile("[\\s;:_]+");
  private static final Pattern DASHES = Pattern.compile("-{2,}");

  private final int maxTagsPerItem;
  private final double minRating;

  /**
   * An importer.
   *
   * @param maxTagsPerItem tags kept per movie, {@code >= 0}
   * @param minRating ratings below this are dropped (use 0 to keep every rating)
   */
  public MovieLensImporter(int maxTagsPerItem, double minRating) {
    if (maxTagsPerItem < 0) {
      throw new IllegalArgumentException("maxTagsPerItem must be >= 0, was " + maxTagsPerItem);
    }
    if (!Double.isFinite(minRating)) {
      throw new IllegalArgumentException("minRating must be finite, was " + minRating);
    }
    this.maxTagsPerItem = maxTagsPerItem;
    this.minRating = minRating;
  }

  /** An importer keeping every rating and {@link #DEFAULT_MAX_TAGS} tags per movie. */
  public static MovieLensImporter defaults() {
    return new MovieLensImporter(DEFAULT_MAX_TAGS, 0);
  }

  /**
   * Imports {@code movies.csv}, {@code ratings.csv} and, if present, {@code tags.csv} from a
   * directory (UTF-8).
   */
  public MovieLensData importDirectory(Path dir) throws IOException {
    Objects.requireNonNull(dir, "dir");
    Path tags = dir.resolve("tags.csv");
    try (Reader movies = open(dir.resolve("movies.csv"));
        Reader ratings = open(dir.resolve("ratings.csv"));
        Reader tagReader = Files.exists(tags) ? open(tags) : Reader.nullReader()) {
      return importFrom(movies, ratings, tagReader);
    }
  }

  private static Reader open(Path path) throws IOException {
    return Files.newBufferedReader(path, StandardCharsets.UTF_8);
  }

  /**
   * Imports from readers (not closed here). Pass {@link Reader#nullReader()} for no tags.
   *
   * @return the clicks, movies and per-file summaries
   */
  public MovieLensData importFrom(Reader movies, Reader ratings, Reader tags) throws IOException {
    Objects.requireNonNull(movies, "movies");
    Objects.requireNonNull(ratings, "ratings");
    Objects.requireNonNull(tags, "tags");
    List<ReadSummary> summaries = new ArrayList<>();
    Map<String, String[]> movieRows = new LinkedHashMap<>();
    summaries.add(readMovies(movies, movieRows));
    Map<String, Map<String, Set<String>>> tagUsers = new HashMap<>();
    summaries.add(readTags(tags, tagUsers));
    Map<String, MovieLensMovie> catalogue = new HashMap<>();
    for (Map.Entry<String, String[]> e : movieRows.entrySet()) {
      String[] row = e.getValue();
      List<String> genres = parseGenres(row[1]);
      String category = genres.isEmpty() ? null : normaliseTag(genres.get(0), false);
      catalogue.put(
          e.getKey(),
          new MovieLensMovie(
              e.getKey(),
              row[0],
              genres,
              category,
              topTags(tagUsers.getOrDefault(e.getKey(), Map.of()))));
    }
    List<ClickEvent> clicks = new ArrayList<>();
    summaries.add(readRatings(ratings, catalogue, clicks));
    clicks.sort(ClickStreams.TIME_ORDER);
    return new MovieLensData(clicks, catalogue, summaries);
  }

  private static List<String> parseGenres(String field) {
    List<String> genres = new ArrayList<>();
    if (field.isBlank() || field.strip().equals(NO_GENRES)) {
      return genres;
    }
    for (String g : field.split("\\|")) {
      if (!g.isBlank()) {
        genres.add(g.strip());
      }
    }
    return genres;
  }

  private ReadSummary readMovies(Reader in, Map<String, String[]> rows) throws IOException {
    BadLineCollector bad = new BadLineCollector("movies.csv");
    long records = 0;
    CsvReader csv = new CsvReader(buffered(in));
    List<String> f;
    while ((f = csv.next()) != null) {
      if (skip(csv, f, "movieId")) {
        continue;
      }
      String problem =
          csv.lastError() != null
              ? csv.lastError()
              : f.size() != 3 ? "expected 3 fields, found " + f.size() : checkId(f.get(0));
      if (problem == null) {
        problem = SafeIds.problem("genres", f.get(2)).orElse(null);
      }
      if (problem == null && rows.containsKey(f.get(0).strip())) {
        problem = "duplicate movieId " + f.get(0).strip();
      }
      if (problem != null) {
        bad.report(csv.recordLine(), problem, csv.lastText());
        continue;
      }
      rows.put(f.get(0).strip(), new String[] {f.get(1), f.get(2)});
      records++;
    }
    return bad.summary(csv.nextLine() - 1, records);
  }

  private ReadSummary readTags(Reader in, Map<String, Map<String, Set<String>>> tagUsers)
      throws IOException {
    BadLineCollector bad = new BadLineCollector("tags.csv");
    long records = 0;
    CsvReader csv = new CsvReader(buffered(in));
    List<String> f;
    while ((f = csv.next()) != null) {
      if (skip(csv, f, "userId")) {
        continue;
      }
      String problem =
          csv.lastError() != null
              ? csv.lastError()
              : f.size() != 4 ? "expected 4 fields, found " + f.size() : checkId(f.get(0));
      if (problem == null) {
        problem = checkId(f.get(1));
      }
      String tag = problem == null ? normaliseTag(f.get(2), true) : null;
      if (problem == null && tag == null) {
        problem = "tag is empty after normalisation: '" + f.get(2) + "'";
      }
      if (problem == null) {
        problem = SafeIds.problem("tag", tag).orElse(null);
      }
      if (problem != null) {
        bad.report(csv.recordLine(), problem, csv.lastText());
        continue;
      }
      tagUsers
          .computeIfAbsent(f.get(1).strip(), k -> new HashMap<>())
          .computeIfAbsent(tag, k -> new HashSet<>())
          .add(f.get(0).strip());
      records++;
    }
    return bad.summary(csv.nextLine() - 1, records);
  }

  private ReadSummary readRatings(
      Reader in, Map<String, MovieLensMovie> catalogue, List<ClickEvent> clicks)
      throws IOException {
    BadLineCollector bad = new BadLineCollector("ratings.csv");
    long records = 0;
    CsvReader csv = new CsvReader(buffered(in));
    List<String> f;
    while ((f = csv.next()) != null) {
      if (skip(csv, f, "userId")) {
        continue;
      }
      String problem =
          csv.lastError() != null
              ? csv.lastError()
              : f.size() != 4 ? "expected 4 fields, found " + f.size() : checkId(f.get(0));
      if (problem == null) {
        problem = checkId(f.get(1));
      }
      double rating = Double.NaN;
      long seconds = 0;
      if (problem == null) {
        try {
          rating = Double.parseDouble(f.get(2).strip());
          seconds = Long.parseLong(f.get(3).strip());
        } catch (NumberFormatException e) {
          problem = "malformed rating or timestamp: " + e.getMessage();
        }
      }
      if (problem == null && (!Double.isFinite(rating) || seconds < 0)) {
        problem = "rating must be finite and timestamp >= 0";
      }
      if (problem != null) {
        bad.report(csv.recordLine(), problem, csv.lastText());
        continue;
      }
      records++;
      if (rating < minRating) {
        continue;
      }
      String user = f.get(0).strip();
      String movieId = f.get(1).strip();
      MovieLensMovie movie = catalogue.get(movieId);
      clicks.add(
          new ClickEvent(
              user,
              null,
              null,
              null,
              movieId,
              movie == null ? null : movie.category(),
              movie == null ? List.of() : movie.tags(),
              Math.multiplyExact(seconds, 1000L),
              "ml-" + user + "-" + movieId));
    }
    return bad.summary(csv.nextLine() - 1, records);
  }

  private static Reader buffered(Reader in) {
    return in instanceof BufferedReader ? in : new BufferedReader(in, 1 << 16);
  }

  private static boolean skip(CsvReader csv, List<String> f, String headerFirstField) {
    boolean blank = f.size() == 1 && f.get(0).isBlank() && csv.lastError() == null;
    boolean header = csv.recordLine() == 1 && f.get(0).strip().equals(headerFirstField);
    return blank || header;
  }

  private static String checkId(String id) {
    String s = id.strip();
    if (s.isEmpty()) {
      return "empty id";
    }
    for (int i = 0; i < s.length(); i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return "id is not a number: '" + s + "'";
      }
    }
    return null;
  }

  private List<String> topTags(Map<String, Set<String>> users) {
    List<Map.Entry<String, Set<String>>> entries = new ArrayList<>(users.entrySet());
    entries.sort(
        (a, b) -> {
          int cmp = Integer.compare(b.getValue().size(), a.getValue().size());
          return cmp != 0 ? cmp : a.getKey().compareTo(b.getKey());
        });
    List<String> out = new ArrayList<>();
    for (int i = 0; i < entries.size() && i < maxTagsPerItem; i++) {
      out.add(entries.get(i).getKey());
    }
    return out;
  }

  /**
   * Normalises a free-text tag (or genre) into a token the TSV format can carry: trimmed, runs of
   * whitespace and of the format's separators ({@code \t ; : _}) become {@code -}, repeated dashes
   * collapse, leading and trailing dashes go. Tags are also lower-cased ({@link Locale#ROOT}).
   *
   * @param raw the text
   * @param lowerCase whether to lower-case (tags yes, genres keep their spelling)
   * @return the token, or null if nothing is left or the result is the reserved {@code NULL}
   */
  public static String normaliseTag(String raw, boolean lowerCase) {
    Objects.requireNonNull(raw, "raw");
    String s = lowerCase ? raw.strip().toLowerCase(Locale.ROOT) : raw.strip();
    s = SEPARATORS.matcher(s).replaceAll("-");
    s = DASHES.matcher(s).replaceAll("-");
    int from = 0;
    int to = s.length();
    while (from < to && s.charAt(from) == '-') {
      from++;
    }
    while (to > from && s.charAt(to - 1) == '-') {
      to--;
    }
    s = s.substring(from, to);
    return s.isEmpty() || s.equals("NULL") ? null : s;
  }
}
