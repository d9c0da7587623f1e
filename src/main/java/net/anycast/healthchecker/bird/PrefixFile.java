package net.anycast.healthchecker.bird;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.anycast.healthchecker.net.IpPrefix;

/**
 * The contents of one prefix file: a BIRD {@code define VARIABLE = [ … ];} of the announced
 * prefixes, the dummy prefix first so the list is never empty (BIRD rejects an empty set).
 *
 * <p>Pure: {@link #render} and {@link #parse} do no I/O. The first line of a rendered file
 * carries a timestamp and a PID, like the original's; {@link #sameContent} ignores that line, so
 * re-rendering an unchanged set never rewrites the file nor reconfigures BIRD.
 *
 * @param prefixes the announced prefixes, without the dummy; sorted
 */
public record PrefixFile(String variable, IpPrefix dummy, SortedSet<IpPrefix> prefixes) {
  private static final String GENERATED = "# Generated ";
  private static final Pattern DEFINE = Pattern.compile("^\\s*define\\s+(\\S+?)\\s*=", Pattern.MULTILINE);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");

  public PrefixFile {
    Objects.requireNonNull(variable, "variable");
    Objects.requireNonNull(dummy, "dummy");
    if (!variable.matches("[A-Za-z_][A-Za-z0-9_]*")) {
      throw new IllegalArgumentException("'" + variable + "' is not a BIRD symbol name");
    }
    TreeSet<IpPrefix> copy = new TreeSet<>(prefixes);
    copy.remove(dummy);
    for (IpPrefix p : copy) {
      if (p.family() != dummy.family()) {
        throw new IllegalArgumentException(p + " is not " + dummy.family().label());
      }
    }
    prefixes = java.util.Collections.unmodifiableSortedSet(copy);
  }

  /** Returns a prefix file announcing {@code prefixes} (the dummy is added, never duplicated). */
  public static PrefixFile of(String variable, IpPrefix dummy, Collection<IpPrefix> prefixes) {
    return new PrefixFile(variable, dummy, new TreeSet<>(prefixes));
  }

  /** Returns the whole file: the generated-by line, then {@link #content()}. */
  public String render(LocalDateTime generatedAt, long pid) {
    return GENERATED + STAMP.format(generatedAt) + " by anycast-healthchecker (pid=" + pid + ")\n"
        + content();
  }

  /** Returns the file without its generated-by line: what decides whether a write is needed. */
  public String content() {
    StringBuilder out = new StringBuilder();
    out.append("# ").append(dummy)
        .append(" is a dummy IP Prefix. It should NOT be used and REMOVED from the constant.\n");
    out.append("define ").append(variable).append(" =\n    [\n");
    out.append("        ").append(dummy);
    for (IpPrefix p : prefixes) {
      out.append(",\n        ").append(p);
    }
    out.append("\n    ];\n");
    return out.toString();
  }

  /**
   * Returns true when two file texts differ at most in their generated-by lines, the only
   * lines that change when the same set is rendered again.
   */
  public static boolean sameContent(String a, String b) {
    return withoutGeneratedLine(a).equals(withoutGeneratedLine(b));
  }

  private static String withoutGeneratedLine(String text) {
    return text.lines().filter(l -> !l.startsWith(GENERATED))
        .collect(java.util.stream.Collectors.joining("\n"));
  }

  /**
   * What a prefix file on disk says.
   *
   * @param variable the name after the first {@code define}, empty when there is none
   * @param prefixes every prefix found, the dummy included, in file order without duplicates
   */
  public record Parsed(Optional<String> variable, Set<IpPrefix> prefixes) {
    public Parsed {
      Objects.requireNonNull(variable, "variable");
      prefixes = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(prefixes));
    }
  }

  /**
   * Returns what {@code text} says, read the way the original reads it: every line that,
   * stripped of spaces and commas, is a valid prefix counts; everything else is ignored.
   */
  public static Parsed parse(String text) {
    Set<IpPrefix> found = new LinkedHashSet<>();
    for (String line : text.split("\n", -1)) {
      String s = line.replace(",", "").strip();
      if (!s.isEmpty() && !s.startsWith("#") && IpPrefix.isValid(s)) {
        found.add(IpPrefix.parse(s));
      }
    }
    Matcher m = DEFINE.matcher(text);
    return new Parsed(m.find() ? Optional.of(m.group(1)) : Optional.empty(), found);
  }
}
