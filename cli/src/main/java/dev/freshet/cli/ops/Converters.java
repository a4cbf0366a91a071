package dev.freshet.cli.ops;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/** Parsers for the tools' durations, instants and rates; a bad value is a usage error (exit 2). */
public final class Converters {

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");
  private static final Pattern RATE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(?:/s)?");

  private Converters() {}

  /**
   * {@code 500ms}, {@code 10s}, {@code 5m}, {@code 2h}, {@code 30d}, a bare number of milliseconds,
   * or ISO-8601 ({@code PT10S}).
   */
  public static Duration duration(String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = DURATION.matcher(t);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "ms" : m.group(2);
      return switch (unit) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      Duration d = Duration.parse(text.trim());
      if (d.isNegative()) {
        throw new IllegalArgumentException("negative duration '" + text + "'");
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration (examples: 500ms, 10s, 5m, 2h, 30d, PT10S)");
    }
  }

  /**
   * An instant: ISO-8601 with a zone or offset ({@code 2026-03-01T00:00:00Z}), a date ({@code
   * 2026-03-01}, midnight UTC), or epoch milliseconds.
   */
  public static Instant instant(String text) {
    String t = text.trim();
    if (t.matches("-?\\d{9,}")) {
      return Instant.ofEpochMilli(Long.parseLong(t));
    }
    try {
      if (t.length() == 10) {
        return LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return java.time.OffsetDateTime.parse(t).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "'"
              + text
              + "' is not a time (examples: 2026-03-01T00:00:00Z, 2026-03-01T02:00+02:00,"
              + " 2026-03-01, 1772323200000)");
    }
  }

  /** Clicks per second: {@code 500} or {@code 500/s}; 0 means as fast as possible. */
  public static double rate(String text) {
    Matcher m = RATE.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a rate (examples: 500, 500/s, 0)");
    }
    return Double.parseDouble(m.group(1));
  }

  /** Picocli converter for {@link #duration}. */
  public static final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
      try {
        return duration(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** Picocli converter for {@link #instant}. */
  public static final class InstantConverter implements CommandLine.ITypeConverter<Instant> {
    @Override
    public Instant convert(String value) {
      try {
        return instant(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }

  /** Picocli converter for {@link #rate}. */
  public static final class RateConverter implements CommandLine.ITypeConverter<Double> {
    @Override
    public Double convert(String value) {
      try {
        return rate(value);
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
