package dev.freshet.data;

import java.util.List;
import java.util.Objects;

/** Validation of the string values that the TSV format can carry. Package-private helpers. */
final class Fields {

  /** The token that stands for an unknown value in the reference format. */
  static final String NULL_TOKEN = "NULL";

  private Fields() {}

  /**
   * Checks a required value: not null, not empty, not {@code NULL}, and free of the format's
   * separators ({@code \t ; :}) and line breaks, and of the code points {@link SafeIds} rejects.
   */
  static String required(String value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isEmpty()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
    return optional(value, name);
  }

  /** Checks an optional value: null means unknown; otherwise as {@link #required}. */
  static String optional(String value, String name) {
    if (value == null) {
      return null;
    }
    if (value.isEmpty()) {
      throw new IllegalArgumentException(name + " must be null (unknown) or non-empty");
    }
    if (NULL_TOKEN.equals(value)) {
      throw new IllegalArgumentException(
          name + " must not be the literal 'NULL' (use null for unknown)");
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\t' || c == ';' || c == ':' || c == '\n' || c == '\r') {
        throw new IllegalArgumentException(
            name + " must not contain tab, ';', ':' or line breaks: '" + value + "'");
      }
    }
    return SafeIds.require(name, value);
  }

  /** Checks a tag list: each tag is a required value that also must not contain {@code _}. */
  static List<String> tags(List<String> tags) {
    return tokens(tags, "tags", "tag");
  }

  /**
   * Checks a list of search tokens: each token is a required value that also must not contain
   * {@code _} (the same rules as {@link #tags}).
   */
  static List<String> searchTokens(List<String> tokens) {
    return tokens(tokens, "searchTokens", "search token");
  }

  private static List<String> tokens(List<String> values, String listName, String name) {
    Objects.requireNonNull(values, listName);
    List<String> copy = List.copyOf(values);
    for (String value : copy) {
      required(value, name);
      if (value.indexOf('_') >= 0) {
        throw new IllegalArgumentException(name + " must not contain '_': '" + value + "'");
      }
    }
    return copy;
  }
}
