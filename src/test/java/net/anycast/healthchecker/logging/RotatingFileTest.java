package net.anycast.healthchecker.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotatingFileTest {
  @TempDir Path dir;

  @Test
  void write_renameFailsDuringRotation_keepsLogging_andSaysSoOnStderr() throws IOException {
    Path file = dir.resolve("a.log");
    // file.1 is a directory that is not empty: renaming the log over it fails.
    Files.writeString(Files.createDirectories(dir.resolve("a.log.1")).resolve("x"), "x");
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    try (RotatingFile log = new RotatingFile(file, 100, 1,
        new PrintStream(stderr, true, StandardCharsets.UTF_8))) {
      for (int i = 0; i < 40; i++) {
        log.write("record " + i + " padded to about thirty bytes", Severity.INFO);
      }
    }
    assertThat(Files.readAllLines(file).getLast()).startsWith("record 39 ");
    String said = stderr.toString(StandardCharsets.UTF_8);
    assertThat(said).contains("rotating " + file + " failed").contains("logging goes on");
    assertThat(said.lines().count()).as("said once, not per record").isLessThan(5);
  }

  @Test
  void write_rotationWorksAgain_afterTheObstacleIsGone() throws IOException {
    Path file = dir.resolve("a.log");
    Path obstacle = Files.createDirectories(dir.resolve("a.log.1"));
    Files.writeString(obstacle.resolve("x"), "x");
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    try (RotatingFile log = new RotatingFile(file, 100, 1,
        new PrintStream(stderr, true, StandardCharsets.UTF_8))) {
      for (int i = 0; i < 10; i++) {
        log.write("record " + i + " padded to about thirty bytes", Severity.INFO);
      }
      Files.delete(obstacle.resolve("x"));
      Files.delete(obstacle);
      for (int i = 10; i < 40; i++) {
        log.write("record " + i + " padded to about thirty bytes", Severity.INFO);
      }
    }
    assertThat(dir.resolve("a.log.1")).isRegularFile();
    assertThat(Files.size(file)).isLessThan(100);
  }
}
