package dev.freshet.data.movielens;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A minimal RFC 4180 CSV record reader: comma-separated fields, fields optionally enclosed in
 * double quotes, a doubled quote inside a quoted field is a literal quote, and quoted fields may
 * contain commas and line breaks. Line terminators are {@code \n} or {@code \r\n}.
 *
 * <p>Malformed quoting does not throw: the record is returned with {@link #lastError()} set, so
 * callers can report it with {@link #recordLine()}. Not thread-safe.
 */
public final class CsvReader implements Closeable {

  private final Reader in;
  private long line = 1;
  private long recordLine;
  private String lastError;
  private String lastText = "";
  private int pushback = -2;

  /** A reader over the given character stream (buffer it yourself if it is a file). */
  public CsvReader(Reader in) {
    this.in = Objects.requireNonNull(in, "in");
  }

  /** The 1-based line on which the last returned record started. */
  public long recordLine() {
    return recordLine;
  }

  /** The number of the line after the last record (1-based), i.e. lines consumed + 1. */
  public long nextLine() {
    return line;
  }

  /** Why the last record is malformed, or null if it is well-formed. */
  public String lastError() {
    return lastError;
  }

  /** The raw text of the last record (for error reports). */
  public String lastText() {
    return lastText;
  }

  private int read() throws IOException {
    if (pushback != -2) {
      int c = pushback;
      pushback = -2;
      return c;
    }
    return in.read();
  }

  /**
   * Reads the next record.
   *
   * @return the fields, or null at end of input
   */
  public List<String> next() throws IOException {
    lastError = null;
    recordLine = line;
    int c = read();
    if (c == -1) {
      return null;
    }
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    StringBuilder raw = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    while (true) {
      if (c == -1) {
        if (quoted) {
          lastError = "unterminated quoted field";
        }
        fields.add(field.toString());
        break;
      }
      if (raw.length() < 512) {
        raw.append((char) c);
      }
      if (quoted) {
        if (c == '"') {
          int d = read();
          if (d == '"') {
            field.append('"');
          } else {
            quoted = false;
            pushback = d;
          }
        } else {
          if (c == '\n') {
            line++;
          }
          field.append((char) c);
        }
      } else if (c == ',') {
        fields.add(field.toString());
        field.setLength(0);
        wasQuoted = false;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r') {
          int d = read();
          if (d != '\n') {
            pushback = d;
          }
        }
        line++;
        fields.add(field.toString());
        break;
      } else if (c == '"' && field.length() == 0 && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
      } else {
        if (wasQuoted && lastError == null) {
          lastError = "text after a closing quote";
        } else if (c == '"' && lastError == null) {
          lastError = "quote inside an unquoted field";
        }
        field.append((char) c);
      }
      c = read();
    }
    lastText = raw.toString().strip();
    return fields;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
