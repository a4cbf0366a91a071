package dev.freshet.cli.offline;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes vectors as CSV: a header {@code id,v1,...,vD}, then one row {@code id,x1,...,xD} per
 * vector, values with 8 significant digits ({@code float} round-trips to within 1 ulp).
 */
final class VectorCsv implements AutoCloseable {
  private final BufferedWriter out;
  private final int dim;

  VectorCsv(Path file, int dim) throws IOException {
    if (dim < 1) {
      throw new IllegalArgumentException("dim must be >= 1, was " + dim);
    }
    this.out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    this.dim = dim;
    StringBuilder header = new StringBuilder("id");
    for (int i = 1; i <= dim; i++) {
      header.append(",v").append(i);
    }
    out.write(header.append('\n').toString());
  }

  void write(String id, float[] v) throws IOException {
    if (v.length != dim) {
      throw new IllegalArgumentException(
          "vector of " + id + " has " + v.length + " values, not " + dim);
    }
    StringBuilder row = new StringBuilder(id);
    for (float x : v) {
      row.append(',').append(String.format(Locale.ROOT, "%.8g", x));
    }
    out.write(row.append('\n').toString());
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
