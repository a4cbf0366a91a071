package dev.freshet.data;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The one definition of which code points an identifier may carry. Identifiers (user, event and
 * item ids, categories, tags, profile values) become Kafka record keys, state-store keys, REST path
 * segments, metric labels and log fields, so a code point that is invisible, reorders text, breaks
 * a line or cannot be encoded is rejected wherever an identifier enters the system: the stream
 * app's click validation, the trainer's instance validation and every reader of click files.
 *
 * <p>Rejected, by kind (the detail names the kind, the code point and its UTF-16 index):
 *
 * <ul>
 *   <li><b>control character</b>: C0 (U+0000–U+001F, including tab and line breaks), DEL (U+007F)
 *       and C1 (U+0080–U+009F) — they end lines, ring terminals and truncate C strings;
 *   <li><b>unpaired surrogate</b>: a lone U+D800–U+DFFF has no UTF-8 encoding, so the key written
 *       to Kafka would not be the key read back;
 *   <li><b>line separator</b> U+2028 and <b>paragraph separator</b> U+2029 — line breaks for
 *       JavaScript, JSON viewers and log shippers;
 *   <li><b>bidirectional control</b>: U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069 — they
 *       make a log line or a dashboard show a different id from the one stored;
 *   <li><b>invisible character</b>: U+200B (zero-width space), U+2060 (word joiner) and U+FEFF
 *       (byte-order mark) — two ids that print the same would be different keys;
 *   <li><b>noncharacter</b>: U+FDD0–U+FDEF and every code point ending in FFFE or FFFF;
 *   <li><b>replacement character</b> U+FFFD — what a decoder puts where the bytes were not UTF-8,
 *       so distinct bad inputs would collapse into one key.
 * </ul>
 *
 * <p>Zero-width joiner U+200D and non-joiner U+200C are allowed: Persian, Indic scripts and emoji
 * sequences need them in ordinary words, and tags and categories are words. Private-use code points
 * and all printable scripts are allowed. Length limits are not checked here; they belong to the
 * caller's configuration.
 */
public final class SafeIds {

  private SafeIds() {}

  /**
   * The first unsafe code point of {@code value} as a sentence such as {@code "userId contains
   * control character U+0007 at index 3"}; empty when {@code value} is null or safe.
   */
  public static Optional<String> problem(String field, CharSequence value) {
    Objects.requireNonNull(field, "field");
    if (value == null) {
      return Optional.empty();
    }
    int n = value.length();
    for (int i = 0; i < n; i++) {
      char c = value.charAt(i);
      int cp = c;
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < n && Character.isLowSurrogate(value.charAt(i + 1))) {
          cp = Character.toCodePoint(c, value.charAt(i + 1));
          String kind = kind(cp);
          if (kind != null) {
            return Optional.of(describe(field, kind, cp, i));
          }
          i++;
          continue;
        }
        return Optional.of(describe(field, "unpaired surrogate", cp, i));
      }
      if (Character.isLowSurrogate(c)) {
        return Optional.of(describe(field, "unpaired surrogate", cp, i));
      }
      String kind = kind(cp);
      if (kind != null) {
        return Optional.of(describe(field, kind, cp, i));
      }
    }
    return Optional.empty();
  }

  /** The first problem among {@code values}, each named {@code field[i]}. */
  public static Optional<String> problem(String field, List<? extends CharSequence> values) {
    Objects.requireNonNull(field, "field");
    if (values == null) {
      return Optional.empty();
    }
    for (int i = 0; i < values.size(); i++) {
      Optional<String> p = problem(field + "[" + i + "]", values.get(i));
      if (p.isPresent()) {
        return p;
      }
    }
    return Optional.empty();
  }

  /**
   * Returns {@code value} if it is safe (or null).
   *
   * @throws IllegalArgumentException with the {@link #problem} sentence otherwise
   */
  public static String require(String field, String value) {
    Optional<String> p = problem(field, value);
    if (p.isPresent()) {
      throw new IllegalArgumentException(p.get());
    }
    return value;
  }

  /** Whether {@code cp} (a scalar value, not a surrogate) is unsafe, and as what. */
  private static String kind(int cp) {
    if (cp <= 0x1F || (cp >= 0x7F && cp <= 0x9F)) {
      return "control character";
    }
    if (cp < 0x061C) {
      return null;
    }
    if (cp == 0x2028) {
      return "line separator";
    }
    if (cp == 0x2029) {
      return "paragraph separator";
    }
    if (cp == 0x061C
        || cp == 0x200E
        || cp == 0x200F
        || (cp >= 0x202A && cp <= 0x202E)
        || (cp >= 0x2066 && cp <= 0x2069)) {
      return "bidirectional control";
    }
    if (cp == 0x200B || cp == 0x2060 || cp == 0xFEFF) {
      return "invisible character";
    }
    if ((cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE) {
      return "noncharacter";
    }
    if (cp == 0xFFFD) {
      return "replacement character";
    }
    return null;
  }

  private static String describe(String field, String kind, int cp, int index) {
    String detail = field + " contains " + kind + " " + codePoint(cp) + " at index " + index;
    return cp == 0xFFFD ? detail + " (the bytes were not valid UTF-8)" : detail;
  }

  /** {@code U+0007}, {@code U+1F600}. */
  static String codePoint(int cp) {
    String hex = Integer.toHexString(cp).toUpperCase(java.util.Locale.ROOT);
    return "U+" + "0000".substring(Math.min(4, hex.length())) + hex;
  }
}
