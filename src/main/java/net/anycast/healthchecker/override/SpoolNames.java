package net.anycast.healthchecker.override;

import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * The names of spool files, as hacheck spells them: {@code all}, {@code <service>},
 * {@code <service>:<port>} and {@code <service>:<host>:<port>}.
 *
 * <p>A service called {@code all} cannot be told from the drain of every service; that is
 * hacheck's format, not ours to change.
 */
public final class SpoolNames {
  /** The file that drains every service. */
  public static final String ALL = "all";

  /** hacheck leaves the host out of the name when it is this one. */
  private static final String LOCALHOST = "127.0.0.1";
  private static final Pattern PORT = Pattern.compile("[0-9]+");
  private static final Pattern HOST_PORT = Pattern.compile(".+:[0-9]+");

  private SpoolNames() {}

  /** Returns the name of the file that drains {@code service}. */
  public static String nameFor(String service) {
    return requireValid(service);
  }

  /** Returns the name for {@code service}, or for one port of it when {@code port} is given. */
  public static String nameFor(String service, OptionalInt port) {
    return port.isPresent() ? nameFor(service, LOCALHOST, port.getAsInt()) : nameFor(service);
  }

  /**
   * Returns the name for one host and port of {@code service}; the host is left out when it is
   * 127.0.0.1, as hacheck does.
   */
  public static String nameFor(String service, String host, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port must be 1 to 65535, not " + port);
    }
    if (host.isEmpty() || host.indexOf('/') >= 0 || host.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("host must be non-empty, without '/' or NUL: " + host);
    }
    requireValid(service);
    return requireValid(
        host.equals(LOCALHOST) ? service + ":" + port : service + ":" + host + ":" + port);
  }

  /**
   * Returns {@code name} when it can be a spool file in the directory: not empty, no {@code /},
   * no NUL, and not starting with {@code .}: such names are {@code .} and {@code ..}, or hidden
   * files, which readers skip (our own temp files are named so).
   *
   * @throws IllegalArgumentException naming the rule broken
   */
  public static String requireValid(String name) {
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a spool name must not be empty");
    }
    if (name.indexOf('/') >= 0) {
      throw new IllegalArgumentException("a spool name must not contain '/': " + name);
    }
    if (name.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("a spool name must not contain NUL: " + name);
    }
    if (name.startsWith(".")) {
      throw new IllegalArgumentException(
          "a spool name must not start with '.' (hidden files are not read): " + name);
    }
    return name;
  }

  /**
   * Returns whether the file {@code name} drains the route of {@code service}: it is the
   * service's own file, or the file of one of its ports. A route has no port, so a drain of any
   * port of the service drains it. Matching the rest after {@code service + ":"} against
   * {@code <port>} or {@code <host>:<port>} keeps a section named {@code a:b} apart from a
   * service {@code a}. {@code all} is not matched here.
   */
  public static boolean appliesTo(String name, String service) {
    if (name.equals(service)) {
      return true;
    }
    if (!name.startsWith(service + ":")) {
      return false;
    }
    String rest = name.substring(service.length() + 1);
    return PORT.matcher(rest).matches() || HOST_PORT.matcher(rest).matches();
  }
}
