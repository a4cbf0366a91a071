package dev.freshet.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code freshet demo} as a user runs it: the launcher jar in its own JVM, default logging, stdout
 * and stderr into files (not a terminal).
 */
class DemoOutputIT {

  @Test
  void shouldPrintNoKafkaWarningsAndNoCarriageReturnsByDefaultWhenWritingToFiles()
      throws Exception {
    Path jar = Path.of("target", "freshet.jar").toAbsolutePath();
    assertThat(jar).as("the launcher jar (built in the package phase)").exists();
    Path work = Files.createTempDirectory(Path.of("target"), "demo-output-it");
    Path out = work.resolve("stdout.txt");
    Path err = work.resolve("stderr.txt");
    String java =
        ProcessHandle.current()
            .info()
            .command()
            .orElse(System.getProperty("java.home") + "/bin/java");
    ProcessBuilder pb =
        new ProcessBuilder(
                List.of(
                    java,
                    "-Xmx1g",
                    "-jar",
                    jar.toString(),
                    "demo",
                    "--duration",
                    "20s",
                    "--dashboard-port",
                    "0",
                    "--dir",
                    work.resolve("demo").toString()))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("OMP_NUM_THREADS", "1");
    Process p = pb.start();
    try {
      assertThat(p.waitFor(150, TimeUnit.SECONDS)).as("the demo stops by itself").isTrue();
    } finally {
      p.destroyForcibly();
    }

    String stdout = Files.readString(out, StandardCharsets.UTF_8);
    String stderr = Files.readString(err, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as("exit code; stderr:%n%s", stderr).isZero();
    assertThat(stdout).contains("Dashboard:", "Sent ", "Stopped.");
    assertThat(stderr.lines().filter(l -> l.contains(" WARN ") || l.contains(" ERROR ")))
        .as("warnings and errors on stderr")
        .isEmpty();
    assertThat(stdout + stderr).doesNotContain("\r");
  }
}
