package net.anycast.healthchecker.config;

import java.nio.file.Path;

/**
 * A configuration text that configparser would reject: bad syntax, a duplicate section or key
 * within one file, or a value whose {@code %} interpolation fails.
 *
 * <p>Every part of the location may be unknown (null, or 0 for the line), because a value's
 * interpolation can fail on a built-in default that has no file.
 */
public final class IniException extends Exception {

  /**
   * What went wrong. Each kind corresponds to the configparser exception Python raises in the
   * same situation (named in brackets), which is what the differential test compares.
   */
  enum Kind {
    /** Option text before the first section header [MissingSectionHeaderError]. */
    MISSING_SECTION_HEADER,
    /** A line that is no header, option or continuation, or has no key [ParsingError]. */
    PARSING,
    /** The same section header twice in one file [DuplicateSectionError]. */
    DUPLICATE_SECTION,
    /** The same key twice in one section of one file [DuplicateOptionError]. */
    DUPLICATE_OPTION,
    /** Bytes that are not UTF-8 [UnicodeDecodeError]. */
    DECODING,
    /** {@code %(name)s} naming a key that does not exist [InterpolationMissingOptionError]. */
    INTERPOLATION_MISSING_OPTION,
    /** A {@code %} not followed by {@code %} or {@code (name)s} [InterpolationSyntaxError]. */
    INTERPOLATION_SYNTAX,
    /** References nested deeper than 10, which is how cycles fail [InterpolationDepthError]. */
    INTERPOLATION_DEPTH,
    /** Raised by code outside this reader through the public constructor. */
    OTHER
  }

  private final transient Path file;
  private final int line;
  private final String section;
  private final String key;
  private final String reason;
  private final Kind kind;

  /** Creates an error; pass null (or 0 for {@code line}) for what is unknown. */
  public IniException(Path file, int line, String section, String key, String reason) {
    this(Kind.OTHER, file, line, section, key, reason);
  }

  IniException(Kind kind, Path file, int line, String section, String key, String reason) {
    super(message(file, line, reason));
    this.kind = kind;
    this.file = file;
    this.line = line;
    this.section = section;
    this.key = key;
    this.reason = reason;
  }

  IniException(Kind kind, Origin origin, String section, String key, String reason) {
    this(kind, origin.file(), origin.line(), section, key, reason);
  }

  private static String message(Path file, int line, String reason) {
    StringBuilder where = new StringBuilder();
    if (file != null) {
      where.append(file);
    }
    if (line > 0) {
      where.append(where.isEmpty() ? "line " : ", line ").append(line);
    }
    return where.isEmpty() ? reason : where + ": " + reason;
  }

  public Path file() {
    return file;
  }

  public int line() {
    return line;
  }

  public String section() {
    return section;
  }

  public String key() {
    return key;
  }

  public String reason() {
    return reason;
  }

  Kind kind() {
    return kind;
  }
}
