package dev.freshet.cli.offline;

import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;

/**
 * Picocli converters that check input paths while the command line is parsed, so a missing file is
 * a usage error (one line, exit code 2) before any work starts. Usable by any command:
 * {@code @Option(names = "--in", converter = PathConverters.ReadableFile.class) Path in;}.
 */
public final class PathConverters {

  private PathConverters() {}

  /** An existing, readable regular file. */
  public static final class ReadableFile implements CommandLine.ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
      Path path = Path.of(value);
      if (!Files.exists(path)) {
        throw new CommandLine.TypeConversionException("no such file: " + value);
      }
      if (!Files.isRegularFile(path)) {
        throw new CommandLine.TypeConversionException("not a regular file: " + value);
      }
      if (!Files.isReadable(path)) {
        throw new CommandLine.TypeConversionException("file is not readable: " + value);
      }
      return path;
    }
  }

  /** An existing directory. */
  public static final class ExistingDirectory implements CommandLine.ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
      Path path = Path.of(value);
      if (!Files.isDirectory(path)) {
        throw new CommandLine.TypeConversionException(
            Files.exists(path) ? "not a directory: " + value : "no such directory: " + value);
      }
      return path;
    }
  }
}
