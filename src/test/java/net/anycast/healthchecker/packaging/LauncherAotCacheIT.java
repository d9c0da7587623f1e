package net.anycast.healthchecker.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's AOT cache, on copies of the built jar: {@code train-aot-cache} writes one with
 * the key of the jar it was trained for, the launcher uses it, and a stale, broken or missing
 * cache costs the operator nothing but the speed (the new classes run, no word on the terminal).
 */
@Timeout(300)
class LauncherAotCacheIT {
  private static final Path LAUNCHER = Path.of("bin/anycast-healthchecker").toAbsolutePath();

  @TempDir static Path dir;
  private static Path jar;
  private static Path cache;
  private static Result training;

  record Result(int exit, String output) {}

  @BeforeAll
  static void train() throws Exception {
    jar = Files.copy(Path.of("target/anycast-healthchecker.jar"), dir.resolve("ahc.jar"));
    cache = dir.resolve("ahc.aot");
    training = launch(jar, cache, Map.of(), "train-aot-cache");
  }

  private static Result launch(Path jar, Path cache, Map<String, String> extraEnv,
      String... args) throws Exception {
    ProcessBuilder pb = new ProcessBuilder(Stream.concat(Stream.of(LAUNCHER.toString()),
        Stream.of(args)).toList()).redirectErrorStream(true);
    pb.environment().remove("ANYCAST_HEALTHCHECKER_JAVA_OPTS");
    pb.environment().remove("JAVA_TOOL_OPTIONS");
    pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
    pb.environment().put("ANYCAST_HEALTHCHECKER_JAR", jar.toString());
    pb.environment().put("ANYCAST_HEALTHCHECKER_AOT_CACHE", cache.toString());
    pb.environment().putAll(extraEnv);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(240, TimeUnit.SECONDS)).as("launcher %s ended", List.of(args)).isTrue();
    return new Result(p.exitValue(), out);
  }

  /** How many of the daemon's own classes the JVM took from an AOT cache for --version. */
  private static long classesFromTheCache(Path jar, Path cache) throws Exception {
    return classesFromTheCache(launch(jar, cache,
        Map.of("JAVA_TOOL_OPTIONS", "-Xlog:class+load=info"), "--version").output());
  }

  /** Counts the daemon's own classes a {@code -Xlog:class+load} output says came from a cache. */
  static long classesFromTheCache(String classLoadLog) {
    return classLoadLog.lines().filter(l -> l.contains(" net.anycast.healthchecker.")
        && l.endsWith("source: shared objects file")).count();
  }

  @Test
  void trainAotCache_writesACacheAndItsKey_andLeavesNothingElse() throws Exception {
    assertThat(training.exit()).as(training.output()).isZero();
    assertThat(training.output()).matches(
        "(?s)anycast-healthchecker: AOT cache trained on \\d+ route changes: \\Q" + cache
            + "\\E \\(\\d+ bytes\\)\n");
    assertThat(Files.size(cache)).isGreaterThan(1_000_000);
    for (Path f : List.of(cache, dir.resolve("ahc.aot.key"))) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f)))
          .isEqualTo("rw-r--r--");
    }
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("ahc.jar", "ahc.aot", "ahc.aot.key");
    }
  }

  /** The final value of a JVM flag as the launcher set it (-XX:+PrintFlagsFinal). */
  private static String flag(String name, Map<String, String> env) throws Exception {
    Map<String, String> all = new HashMap<>(env);
    all.put("JAVA_TOOL_OPTIONS", "-XX:+PrintFlagsFinal");
    return launch(jar, cache, all, "--version").output().lines()
        .filter(l -> l.matches("\\s*\\S+\\s+" + name + "\\s+=.*"))
        .map(l -> l.replaceAll(".*=\\s*(\\S*).*", "$1")).findFirst().orElse("");
  }

  @Test
  void launcher_usesTheCache_compilesItsMethodsEagerly_andPrintsWhatItPrintsWithout()
      throws Exception {
    assertThat(classesFromTheCache(jar, cache)).isGreaterThan(100);
    assertThat(flag("AOTCompileEagerly", Map.of())).isEqualTo("true");
    // Without the cache the experimental switch is not even unlocked (so not printed).
    assertThat(flag("AOTCompileEagerly", Map.of("ANYCAST_HEALTHCHECKER_AOT_CACHE", "")))
        .isIn("", "false");

    // The code cache is collected after half of it was filled anew (no full GC 2 s after start).
    assertThat(flag("SweeperThreshold", Map.of())).startsWith("50.");
    // Method handles are never customized, with the cache (trained with the same options) or not.
    for (Map<String, String> env : List.of(Map.<String, String>of(),
        Map.of("ANYCAST_HEALTHCHECKER_AOT_CACHE", ""))) {
      Map<String, String> all = new HashMap<>(env);
      all.put("JDK_JAVA_OPTIONS", "-XshowSettings:properties");
      assertThat(launch(jar, cache, all, "--version").output())
          .contains("java.lang.invoke.MethodHandle.CUSTOMIZE_THRESHOLD = -1");
    }

    Result with = launch(jar, cache, Map.of(), "--version");
    Result without = launch(jar, cache, Map.of("ANYCAST_HEALTHCHECKER_AOT_CACHE", ""), "--version");
    assertThat(with).isEqualTo(without);
    assertThat(with.exit()).isZero();
  }

  /**
   * The hazard the key guards against: JDK 25 maps a cache trained on an older jar and runs the
   * older jar's classes. A class of the copy is changed after its training (a default, as an
   * upgrade would); the launcher must run the changed class, and take nothing from the cache.
   */
  @Test
  void launcher_jarChangedAfterTheTraining_runsTheNewClasses_notTheCachedOnes(@TempDir Path own)
      throws Exception {
    Path jar2 = Files.copy(jar, own.resolve("b.jar"));
    Path cache2 = own.resolve("b.aot");
    assertThat(launch(jar2, cache2, Map.of(), "train-aot-cache").exit()).isZero();
    assertThat(launch(jar2, cache2, Map.of(), "-p").output()).contains("check_interval = 10\n");

    try (FileSystem zip = FileSystems.newFileSystem(jar2)) {
      Path defaults = zip.getPath("net/anycast/healthchecker/config/Defaults.class");
      byte[] bytes = Files.readAllBytes(defaults);
      byte[] ten = {1, 0, 2, '1', '0'}; // the constant pool's UTF-8 "10"
      int at = indexOf(bytes, ten);
      assertThat(at).as("the constant \"10\" in Defaults.class").isNotNegative();
      bytes[at + 3] = '7';
      bytes[at + 4] = '7';
      Files.write(defaults, bytes);
    }

    assertThat(launch(jar2, cache2, Map.of(), "-p").output()).contains("check_interval = 77\n");
    assertThat(classesFromTheCache(jar2, cache2)).isZero();
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Test
  void launcher_brokenOrMissingCache_startsAsWithoutOne_silently() throws Exception {
    Path saved = Files.copy(cache, dir.resolveSibling(dir.getFileName() + "-saved.aot"));
    try {
      Result clean = launch(jar, cache, Map.of("ANYCAST_HEALTHCHECKER_AOT_CACHE", ""),
          "--version");

      Files.writeString(cache, "not an AOT cache"); // the key still matches: the JVM refuses it
      assertThat(launch(jar, cache, Map.of(), "--version")).isEqualTo(clean);

      Files.delete(cache);
      assertThat(launch(jar, cache, Map.of(), "--version")).isEqualTo(clean);
    } finally {
      Files.move(saved, cache, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  @Test
  void trainAotCache_withTheCacheTurnedOff_refusesAndSaysWhy() throws Exception {
    Result r = launch(jar, cache, Map.of("ANYCAST_HEALTHCHECKER_AOT_CACHE", ""),
        "train-aot-cache");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.output()).contains("ANYCAST_HEALTHCHECKER_AOT_CACHE is empty");
  }
}
