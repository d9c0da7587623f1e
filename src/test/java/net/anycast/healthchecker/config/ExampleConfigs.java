package net.anycast.healthchecker.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Copies {@code examples/} into a temp root with every absolute {@code /var/} path moved
 * under it, and creates the directories the daemon expects an operator to have created.
 */
public final class ExampleConfigs {
  private ExampleConfigs() {}

  /** Returns the copied daemon file; its service files are in {@code root/checks}. */
  public static Path copyTo(Path root) throws IOException {
    Path examples = Path.of("examples").toAbsolutePath();
    Path checks = Files.createDirectories(root.resolve("checks"));
    Path daemon = root.resolve("anycast-healthchecker.conf");
    Files.writeString(daemon, rooted(Files.readString(
        examples.resolve("anycast-healthchecker.conf")), root));
    try (Stream<Path> files = Files.list(examples.resolve("anycast-healthchecker.d"))) {
      for (Path f : files.toList()) {
        Files.writeString(checks.resolve(f.getFileName()), rooted(Files.readString(f), root));
      }
    }
    for (String dir : new String[] {"var/run/anycast-healthchecker",
        "var/lib/anycast-healthchecker/6", "var/log/anycast-healthchecker",
        "var/cache/textfile_collector"}) {
      Files.createDirectories(root.resolve(dir));
    }
    return daemon;
  }

  private static String rooted(String text, Path root) {
    return text.replace("= /var/", "= " + root + "/var/");
  }
}
