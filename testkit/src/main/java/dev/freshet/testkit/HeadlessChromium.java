package dev.freshet.testkit;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium for the dashboards' browser tests: finds it on the {@code PATH} ({@code apt-get
 * install chromium}; {@code .ci/run} installs it) and runs it once on a page, with a virtual-time
 * budget so the page's scripts load their data and draw.
 */
public final class HeadlessChromium {

  private final Path executable;
  private final Path tmp;

  private HeadlessChromium(Path executable, Path tmp) {
    this.executable = executable;
    this.tmp = tmp;
  }

  /** Chromium on the {@code PATH}, working in {@code tmp}; empty when it is not installed. */
  public static Optional<HeadlessChromium> find(Path tmp) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      for (String name : List.of("chromium", "chromium-browser")) {
        Path p = Path.of(dir, name);
        if (Files.isExecutable(p)) {
          return Optional.of(new HeadlessChromium(p, tmp));
        }
      }
    }
    return Optional.empty();
  }

  /** The page's DOM after its scripts ran. */
  public String dumpDom(String url) throws IOException, InterruptedException {
    return run(List.of("--dump-dom", url));
  }

  /** A screenshot of the page into {@code png}. */
  public void screenshot(String url, Path png) throws IOException, InterruptedException {
    run(List.of("--screenshot=" + png, "--window-size=1400,1000", url));
  }

  private String run(List<String> extra) throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                executable.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium"),
                "--virtual-time-budget=8000"));
    cmd.addAll(extra);
    Path out = Files.createTempFile(tmp, "chromium", ".out");
    Path err = Files.createTempFile(tmp, "chromium", ".err");
    Process p =
        new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(90, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish within 90 s: " + cmd);
    }
    if (p.exitValue() != 0) {
      throw new AssertionError(
          "chromium exited with "
              + p.exitValue()
              + "; stderr:\n"
              + Files.readString(err, StandardCharsets.UTF_8));
    }
    return Files.readString(out, StandardCharsets.UTF_8);
  }
}
