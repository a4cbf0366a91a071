package dev.freshet.data.sequences;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.freshet.data.BadLineCollector;
import dev.freshet.data.ClickedItem;
import dev.freshet.data.ReadSummary;
import dev.freshet.data.SafeIds;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The attribute ids of each item, read from an {@code item2attributes} JSON object ({@code {"4":
 * [1, 2, 3], ...}}). An item's first attribute becomes its category and the remaining ones its tags
 * ({@link #click}); an empty list means no category and no tags.
 *
 * <p>Reading never throws for bad content. An entry whose value is not an array of numbers or
 * strings, whose attribute id cannot be carried by the reference TSV (it contains {@code \t ; : _}
 * or is {@code NULL}), or whose item id was already given is skipped and reported with the line of
 * the offending token in {@link #summary()}. A JSON syntax error ends the read at that point (the
 * entries before it are kept) and is reported the same way. Immutable.
 */
public final class ItemAttributes {

  private static final JsonFactory JSON = new JsonFactory();

  private final Map<String, List<String>> attributes;
  private final ReadSummary summary;

  private ItemAttributes(Map<String, List<String>> attributes, ReadSummary summary) {
    this.attributes = attributes;
    this.summary = summary;
  }

  /** Attributes given directly (for tests and callers with their own source). */
  public static ItemAttributes of(Map<String, List<String>> attributes) {
    Objects.requireNonNull(attributes, "attributes");
    Map<String, List<String>> copy = new HashMap<>();
    attributes.forEach((item, ids) -> copy.put(item, List.copyOf(ids)));
    return new ItemAttributes(copy, new ReadSummary("memory", 0, copy.size(), 0, List.of()));
  }

  /**
   * Reads a UTF-8 JSON file.
   *
   * @throws IOException if the file cannot be opened or read (not for malformed content)
   */
  public static ItemAttributes read(Path file) throws IOException {
    Objects.requireNonNull(file, "file");
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(reader, file.toString());
    }
  }

  /**
   * Reads a JSON object from {@code reader}, reporting bad entries under {@code source}.
   *
   * @throws IOException if reading fails (not for malformed content)
   */
  public static ItemAttributes read(Reader reader, String source) throws IOException {
    Objects.requireNonNull(reader, "reader");
    Objects.requireNonNull(source, "source");
    BadLineCollector bad = new BadLineCollector(source);
    Map<String, List<String>> attributes = new HashMap<>();
    long lastLine = 0;
    try (JsonParser parser = JSON.createParser(reader)) {
      try {
        JsonToken first = parser.nextToken();
        if (first == null) {
          return new ItemAttributes(attributes, bad.summary(0, 0));
        }
        if (first != JsonToken.START_OBJECT) {
          bad.report(
              line(parser),
              "expected a JSON object of item -> attribute ids",
              String.valueOf(first));
          return new ItemAttributes(attributes, bad.summary(line(parser), 0));
        }
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
          String item = parser.currentName();
          long line = line(parser);
          parser.nextToken();
          String problem = readEntry(parser, item, attributes);
          if (problem != null) {
            bad.report(line, problem, item);
          }
          lastLine = line(parser);
        }
        if (token != JsonToken.END_OBJECT) {
          bad.report(line(parser), "unexpected end of the JSON object", "");
        }
        lastLine = line(parser);
      } catch (JsonProcessingException e) {
        long line = e.getLocation() == null ? Math.max(1, lastLine) : e.getLocation().getLineNr();
        bad.report(
            Math.max(1, line),
            "malformed JSON, stopped reading here: " + e.getOriginalMessage(),
            "");
      }
    }
    return new ItemAttributes(attributes, bad.summary(Math.max(lastLine, 0), attributes.size()));
  }

  /** Reads the value after a field name; returns the reason it is bad, or null if it was kept. */
  private static String readEntry(
      JsonParser parser, String item, Map<String, List<String>> attributes) throws IOException {
    if (parser.currentToken() != JsonToken.START_ARRAY) {
      String found = String.valueOf(parser.currentToken());
      parser.skipChildren();
      return "item '" + item + "': expected an array of attribute ids, found " + found;
    }
    List<String> ids = new ArrayList<>();
    String problem = null;
    JsonToken t;
    while ((t = parser.nextToken()) != JsonToken.END_ARRAY) {
      if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_STRING) {
        String id = parser.getText();
        if (problem == null) {
          problem =
              SafeIds.problem("attribute id", id)
                  .map(d -> "item '" + item + "': " + d)
                  .orElse(null);
        }
        if (problem == null && !carriable(id, true)) {
          problem = "item '" + item + "': attribute id '" + id + "' cannot be written to TSV";
        }
        ids.add(id);
      } else {
        if (problem == null) {
          problem = "item '" + item + "': attribute ids must be integers or strings, found " + t;
        }
        parser.skipChildren();
      }
    }
    if (problem != null) {
      return problem;
    }
    if (attributes.containsKey(item)) {
      return "item '" + item + "' given twice (the first entry is kept)";
    }
    Optional<String> unsafe = SafeIds.problem("item id", item);
    if (unsafe.isPresent()) {
      return unsafe.get();
    }
    if (!carriable(item, false)) {
      return "item id '" + item + "' cannot be written to TSV";
    }
    attributes.put(item, List.copyOf(ids));
    return null;
  }

  /**
   * Whether {@code value} can be written to the reference TSV: non-empty, not {@code NULL}, no
   * {@code \t ; :} or line break, and (for an attribute, which may become a tag) no {@code _}.
   */
  private static boolean carriable(String value, boolean attribute) {
    if (value.isEmpty() || value.equals("NULL")) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\t' || c == ';' || c == ':' || c == '\n' || c == '\r' || (attribute && c == '_')) {
        return false;
      }
    }
    return true;
  }

  private static long line(JsonParser parser) {
    return Math.max(1, parser.currentTokenLocation().getLineNr());
  }

  /** Number of items with attributes. */
  public int size() {
    return attributes.size();
  }

  /** Whether the item has an entry (possibly empty). */
  public boolean contains(String item) {
    return attributes.containsKey(Objects.requireNonNull(item, "item"));
  }

  /** The item's attribute ids in file order; empty if it has none or no entry. */
  public List<String> attributes(String item) {
    return attributes.getOrDefault(Objects.requireNonNull(item, "item"), List.of());
  }

  /**
   * A click of {@code item}: category = first attribute, tags = the remaining ones; null category
   * and no tags when the item has no attributes.
   */
  public ClickedItem click(String item) {
    List<String> ids = attributes(item);
    if (ids.isEmpty()) {
      return new ClickedItem(item, null, List.of());
    }
    return new ClickedItem(item, ids.get(0), ids.subList(1, ids.size()));
  }

  /** What the read saw (entries kept as records, bad entries with their lines). */
  public ReadSummary summary() {
    return summary;
  }
}
