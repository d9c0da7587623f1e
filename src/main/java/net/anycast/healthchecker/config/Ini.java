package net.anycast.healthchecker.config;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import net.anycast.healthchecker.config.IniException.Kind;

/**
 * A merged configuration that behaves like Python's {@code ConfigParser()} with its default
 * settings, because the original daemon's configuration files mean what configparser makes of
 * them: {@code BasicInterpolation}, {@code strict=True}, keys lower-cased, {@code =} and
 * {@code :} delimiters, {@code #} and {@code ;} full-line comments only (an inline {@code ;}
 * stays in the value), empty lines kept inside multi-line values, and a {@code [DEFAULT]}
 * section whose keys every section inherits.
 *
 * <p>Section names are case-sensitive; keys are not. Every value remembers its {@link Origin}.
 * Reading is not thread-safe; build one instance, then only query it.
 */
public final class Ini {

  /** configparser's default_section: its keys are inherited, and it is no section itself. */
  static final String DEFAULT_SECTION = "DEFAULT";

  private record Raw(String value, Origin origin) {}

  private final Map<String, Raw> defaults = new LinkedHashMap<>();
  private final Map<String, Map<String, Raw>> sections = new LinkedHashMap<>();
  private final List<Path> files = new java.util.ArrayList<>();

  private Ini() {}

  /** Returns the files read, in the order they were read. */
  public List<Path> files() {
    return List.copyOf(files);
  }

  /**
   * Returns a configuration holding {@code builtIn}, like {@code read_dict()} on a new {@code
   * ConfigParser()}: sections and keys keep the iteration order of the maps given (pass
   * LinkedHashMaps), keys are lower-cased, and the {@code DEFAULT} entry feeds the defaults.
   *
   * @throws IllegalArgumentException if two keys of a section differ only in case, or a value
   *     has bad {@code %} syntax (configparser checks that on {@code set()})
   */
  public static Ini withDefaults(Map<String, Map<String, String>> builtIn) {
    Ini ini = new Ini();
    builtIn.forEach((section, keys) -> {
      Map<String, Raw> target = ini.sectionForWriting(section);
      Set<String> added = new HashSet<>();
      keys.forEach((key, value) -> {
        String lower = key.toLowerCase(Locale.ROOT);
        Objects.requireNonNull(value, () -> "value of " + section + "." + key);
        if (!added.add(lower)) {
          throw new IllegalArgumentException(
              "option '" + lower + "' in section '" + section + "' given twice");
        }
        requireValidSyntax(section, lower, value);
        target.put(lower, new Raw(value, Origin.BUILT_IN));
      });
    });
    return ini;
  }

  /** configparser's {@code before_set()}: only {@code %%} and {@code %(name)s} may use a %. */
  private static void requireValidSyntax(String section, String key, String value) {
    String unescaped = value.replace("%%", "").replaceAll("%\\(([^)]+)\\)s", "");
    if (unescaped.indexOf('%') >= 0) {
      throw new IllegalArgumentException("option '" + key + "' in section '" + section
          + "': '%' must be followed by '%' or '(name)s' in " + value);
    }
  }

  /**
   * Reads one existing file as UTF-8, like {@code ConfigParser.read([file])} in a UTF-8
   * locale (so a byte-order mark is not skipped: it makes the first line no section header).
   * Within the file a duplicate section or key is an error; across files later values
   * override earlier ones and sections merge. On error nothing of the file is kept.
   */
  public void read(Path file) throws IniException, IOException {
    read(decode(Files.readAllBytes(file), file), file);
    files.add(file);
  }

  /** Reads {@code text} as if it were the content of file {@code nameForErrors}. */
  public void read(String text, Path nameForErrors) throws IniException {
    IniFileParser.Parsed parsed = IniFileParser.parse(text, nameForErrors);
    for (String section : parsed.sectionHeaders()) {
      sectionForWriting(section);
    }
    for (IniFileParser.Assignment a : parsed.assignments()) {
      sectionForWriting(a.section()).put(a.key(), new Raw(a.value(), a.origin()));
    }
  }

  private Map<String, Raw> sectionForWriting(String section) {
    return section.equals(DEFAULT_SECTION)
        ? defaults
        : sections.computeIfAbsent(section, s -> new LinkedHashMap<>());
  }

  /** Decodes strictly, reporting the line of the first bad byte as Python would refuse it. */
  private static String decode(byte[] bytes, Path file) throws IniException {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int line = 1;
      for (int i = 0; i < in.position(); i++) {
        boolean crlf = bytes[i] == '\r' && i + 1 < bytes.length && bytes[i + 1] == '\n';
        line += (bytes[i] == '\n' || (bytes[i] == '\r' && !crlf)) ? 1 : 0;
      }
      throw new IniException(Kind.DECODING, file, line, null, null,
          "not valid UTF-8 (byte " + in.position() + ")");
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  /** Returns the section names in first-seen order; DEFAULT is none, like {@code sections()}. */
  public List<String> sections() {
    return List.copyOf(sections.keySet());
  }

  /** Returns whether the section exists; false for DEFAULT, like {@code has_section()}. */
  public boolean hasSection(String section) {
    return sections.containsKey(section);
  }

  /**
   * Returns whether the key is set in the section or inherited from DEFAULT; false for a
   * section that does not exist. An empty section name means DEFAULT, as in {@code
   * has_option()}.
   */
  public boolean hasOption(String section, String key) {
    return rawEntry(section.isEmpty() ? DEFAULT_SECTION : section, key) != null;
  }

  /**
   * Returns the keys as {@code for key in config[section]} yields them: the section's own
   * keys in first-seen order, then the inherited DEFAULT keys it does not set; for {@code
   * DEFAULT}, the defaults. Empty when the section does not exist.
   */
  public List<String> options(String section) {
    if (section.equals(DEFAULT_SECTION)) {
      return List.copyOf(defaults.keySet());
    }
    Map<String, Raw> own = sections.get(section);
    if (own == null) {
      return List.of();
    }
    List<String> keys = new ArrayList<>(own.keySet());
    defaults.keySet().stream().filter(k -> !own.containsKey(k)).forEach(keys::add);
    return List.copyOf(keys);
  }

  /** Returns the effective value before interpolation, or null when the key is not set. */
  public String raw(String section, String key) {
    Raw raw = rawEntry(section, key);
    return raw == null ? null : raw.value();
  }

  /**
   * Returns where the effective value came from (for an inherited key, where DEFAULT got it),
   * or null when the key is not set.
   */
  public Origin origin(String section, String key) {
    Raw raw = rawEntry(section, key);
    return raw == null ? null : raw.origin();
  }

  /**
   * Returns the value with {@code %(name)s} and {@code %%} expanded like configparser's
   * {@code get()}, or null when the key is not set (where Python raises NoOptionError).
   *
   * @throws IniException naming the section, the key and the value's origin, when a reference
   *     is missing, a {@code %} is not followed by {@code %} or {@code (name)s}, or references
   *     nest deeper than 10 (which is how configparser reports a cycle)
   */
  public String get(String section, String key) throws IniException {
    String lower = key.toLowerCase(Locale.ROOT);
    Raw raw = rawEntry(section, lower);
    if (raw == null) {
      return null;
    }
    return BasicInterpolation.expand(section, lower, raw.origin(), raw.value(), name -> {
      Raw referenced = rawEntry(section, name);
      return referenced == null ? null : referenced.value();
    });
  }

  /**
   * Returns the keys and expanded values in the order {@code for k, v in
   * config[section].items()} yields them (see {@link #options}).
   *
   * @throws IniException for the first value that fails to expand, as {@link #get} does
   */
  public List<Map.Entry<String, String>> items(String section) throws IniException {
    List<Map.Entry<String, String>> items = new ArrayList<>();
    for (String key : options(section)) {
      items.add(Map.entry(key, get(section, key)));
    }
    return List.copyOf(items);
  }

  private Raw rawEntry(String section, String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    if (section.equals(DEFAULT_SECTION)) {
      return defaults.get(lower);
    }
    Map<String, Raw> own = sections.get(section);
    if (own == null) {
      return null;
    }
    Raw raw = own.get(lower);
    return raw != null ? raw : defaults.get(lower);
  }
}
