package net.anycast.healthchecker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.anycast.healthchecker.config.IniException.Kind;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Reads every case of the corpus in {@code src/test/resources/ini/} with {@link Ini} and with
 * Python's configparser ({@code python3} on PATH, one process for the whole corpus, through
 * {@code configparser_dump.py}) and requires the same result: the same sections, keys in the
 * same order, the same expanded values, the same keys failing to expand with the same kind of
 * error, and a rejected case rejected by both with the same kind of error.
 */
class IniDifferentialTest {

  /** The configparser exception raised for each kind of error (see {@link Kind}). */
  private static final Map<Kind, String> PYTHON_CLASS = Map.of(
      Kind.MISSING_SECTION_HEADER, "MissingSectionHeaderError",
      Kind.PARSING, "ParsingError",
      Kind.DUPLICATE_SECTION, "DuplicateSectionError",
      Kind.DUPLICATE_OPTION, "DuplicateOptionError",
      Kind.DECODING, "UnicodeDecodeError",
      Kind.INTERPOLATION_MISSING_OPTION, "InterpolationMissingOptionError",
      Kind.INTERPOLATION_SYNTAX, "InterpolationSyntaxError",
      Kind.INTERPOLATION_DEPTH, "InterpolationDepthError");

  private static final int MINIMUM_CASES = 40;

  @TestFactory
  Stream<DynamicTest> everyCorpusCase_readsLikePythonConfigparser() throws Exception {
    Path corpus = resource("ini");
    Map<String, List<Path>> cases = cases(corpus);
    assertThat(cases).hasSizeGreaterThanOrEqualTo(MINIMUM_CASES);
    Map<String, String> python = runPython(corpus);
    assertThat(python.keySet()).as("cases python3 dumped")
        .containsExactlyElementsOf(cases.keySet());
    return cases.entrySet().stream().map(c -> DynamicTest.dynamicTest(c.getKey(),
        () -> assertSameReading(python.get(c.getKey()), render(c.getValue()))));
  }

  /** Compares full renderings, except that a rejection's message may differ (not its line). */
  private static void assertSameReading(String expected, String actual) {
    String both = "\n--- python3 configparser:\n" + expected + "\n--- Ini:\n" + actual;
    assertThat(comparable(actual)).as(both).isEqualTo(comparable(expected));
  }

  private static String comparable(String rendering) {
    if (rendering.startsWith("ERROR\t")) {
      String[] fields = rendering.split("\t", 4);
      return fields[0] + "\t" + fields[1] + "\t" + fields[2];
    }
    return rendering;
  }

  /** Returns the cases by name: a file {@code NN-name.ini}, or a directory of files in order. */
  private static Map<String, List<Path>> cases(Path corpus) throws IOException {
    Map<String, List<Path>> cases = new LinkedHashMap<>();
    try (Stream<Path> entries = Files.list(corpus)) {
      for (Path entry : entries.sorted().toList()) {
        String name = entry.getFileName().toString();
        if (!name.matches("\\d\\d-.*")) {
          continue;
        }
        if (Files.isDirectory(entry)) {
          try (Stream<Path> files = Files.list(entry)) {
            cases.put(name, files.sorted().toList());
          }
        } else {
          cases.put(name, List.of(entry));
        }
      }
    }
    return cases;
  }

  private static String render(List<Path> files) throws IOException {
    Ini ini = Ini.withDefaults(Map.of());
    try {
      for (Path file : files) {
        ini.read(file);
      }
    } catch (IniException e) {
      // Python's UnicodeDecodeError carries no line.
      int line = e.kind() == Kind.DECODING ? 0 : e.line();
      return line("ERROR", PYTHON_CLASS.getOrDefault(e.kind(), e.kind().name()),
          Integer.toString(line), e.getMessage());
    }
    StringBuilder out = new StringBuilder();
    List<String> sections = new ArrayList<>(List.of(Ini.DEFAULT_SECTION));
    sections.addAll(ini.sections());
    for (String section : sections) {
      out.append(line("SECTION", section)).append('\n');
      for (String key : ini.options(section)) {
        try {
          out.append(line("VALUE", key, ini.get(section, key)));
        } catch (IniException e) {
          out.append(line("FAIL", key, PYTHON_CLASS.get(e.kind())));
        }
        out.append('\n');
      }
    }
    return out.toString().strip();
  }

  /** One record, escaped exactly as configparser_dump.py's escape() does. */
  private static String line(String... fields) {
    List<String> escaped = new ArrayList<>();
    for (String field : fields) {
      StringBuilder out = new StringBuilder();
      field.codePoints().forEach(c -> {
        if (c == '\\') {
          out.append("\\\\");
        } else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029) {
          out.append("\\u{").append(Integer.toHexString(c)).append('}');
        } else {
          out.appendCodePoint(c);
        }
      });
      escaped.add(out.toString());
    }
    return String.join("\t", escaped);
  }

  /** Runs the dump script once and returns each case's records (between CASE and END). */
  private static Map<String, String> runPython(Path corpus) throws Exception {
    Path script = corpus.resolve("configparser_dump.py");
    Process python = new ProcessBuilder("python3", script.toString(), corpus.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
    python.getOutputStream().close();
    String output = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(python.waitFor(60, TimeUnit.SECONDS)).as("python3 finished").isTrue();
    assertThat(python.exitValue()).as("python3 exit status").isZero();
    Map<String, String> cases = new LinkedHashMap<>();
    String name = null;
    StringBuilder records = new StringBuilder();
    for (String record : output.split("\n", -1)) {
      if (record.startsWith("CASE\t")) {
        name = record.substring("CASE\t".length());
        records.setLength(0);
      } else if (record.equals("END")) {
        cases.put(name, records.toString().strip());
      } else if (!record.isEmpty()) {
        records.append(record).append('\n');
      }
    }
    return cases;
  }

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(IniDifferentialTest.class.getResource("/" + name).toURI());
  }
}
