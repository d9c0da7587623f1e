package net.anycast.healthchecker.bird;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Where the BIRD programs for end-to-end tests are: BIRD 2 installed (Debian {@code bird2}),
 * BIRD 1.6 unpacked from Debian's {@code bird} package into {@code target/bird16} (the two
 * packages conflict, so 1.6 is never installed), BIRD 3 built from the vendored source.
 */
final class BirdBinaries {
  static final Path BIRD2 = Path.of("/usr/sbin/bird");
  static final Path BIRDC2 = Path.of("/usr/sbin/birdc");
  private static final Path BIRD16_ROOT = Path.of("target", "bird16").toAbsolutePath();

  private BirdBinaries() {}

  /**
   * Returns the directory holding BIRD 3's bird and birdc: {@code bin/build-bird3} builds them
   * from the vendored source once per machine (cached under /opt) and prints the directory.
   */
  static synchronized Path bird3() throws IOException, InterruptedException {
    Path out = Files.createTempFile("bird3", ".out");
    try {
      Process p = new ProcessBuilder(Path.of("bin", "build-bird3").toAbsolutePath().toString())
          .redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      if (!p.waitFor(30, TimeUnit.MINUTES)) {
        p.destroyForcibly().waitFor();
        throw new IOException("bin/build-bird3 timed out");
      }
      List<String> lines = Files.readAllLines(out);
      if (p.exitValue() != 0 || lines.isEmpty()) {
        throw new IOException("bin/build-bird3 exited " + p.exitValue());
      }
      return Path.of(lines.getLast().strip());
    } finally {
      Files.deleteIfExists(out);
    }
  }

  /** Returns the directory holding BIRD 1.6's bird, bird6, birdc and birdc6, unpacking it once. */
  static synchronized Path bird16() throws IOException, InterruptedException {
    Path sbin = BIRD16_ROOT.resolve("root/usr/sbin");
    if (Files.isExecutable(sbin.resolve("bird6")) && Files.isExecutable(sbin.resolve("birdc6"))) {
      return sbin;
    }
    Path debs = Files.createDirectories(BIRD16_ROOT.resolve("deb"));
    run(debs, "apt-get", "download", "bird");
    Path deb;
    try (var s = Files.list(debs)) {
      deb = s.filter(p -> p.getFileName().toString().matches("bird_1\\.6.*\\.deb")).findFirst()
          .orElseThrow(() -> new IOException("apt-get download bird gave no bird_1.6*.deb in " + debs));
    }
    run(debs, "dpkg-deb", "-x", deb.toString(), BIRD16_ROOT.resolve("root").toString());
    return sbin;
  }

  static void run(Path dir, String... cmd) throws IOException, InterruptedException {
    Path log = Files.createTempFile("cmd", ".log");
    try {
      Process p = new ProcessBuilder(List.of(cmd)).directory(dir.toFile())
          .redirectErrorStream(true).redirectOutput(log.toFile()).start();
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new IOException(String.join(" ", cmd) + " timed out");
      }
      if (p.exitValue() != 0) {
        throw new IOException(String.join(" ", cmd) + " exited " + p.exitValue() + ": "
            + Files.readString(log));
      }
    } finally {
      Files.deleteIfExists(log);
    }
  }
}
