package net.anycast.healthchecker.config;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code fleet_min_announcers}: how many other nodes must still announce a prefix before the
 * fleet valve lets this node withdraw it for health reasons. Either a whole number of nodes or a
 * percentage of the nodes registered for the prefix (this one included), rounded up.
 *
 * @param count the number of nodes; ignored when {@code percent} is set
 * @param percent the percentage (0 to 100), or null for a plain count
 */
public record MinAnnouncers(int count, BigDecimal percent) {
  private static final Pattern COUNT = Pattern.compile("[0-9]{1,6}");
  private static final Pattern PERCENT = Pattern.compile("([0-9]{1,3}(\\.[0-9]{1,4})?)\\s*%");

  /** The default: at least one other node keeps announcing. */
  public static final MinAnnouncers DEFAULT = new MinAnnouncers(1, null);

  public MinAnnouncers {
    if (count < 0 || (percent != null
        && (percent.signum() < 0 || percent.compareTo(BigDecimal.valueOf(100)) > 0))) {
      throw new IllegalArgumentException("out of range: " + count + " " + percent);
    }
  }

  /**
   * Returns the value of {@code text} ({@code 2}, {@code 30%}, {@code 12.5%}), or empty when it
   * is neither a whole number of nodes nor a percentage from 0 to 100.
   */
  public static Optional<MinAnnouncers> parse(String text) {
    String s = text.strip();
    if (COUNT.matcher(s).matches()) {
      return Optional.of(new MinAnnouncers(Integer.parseInt(s), null));
    }
    var m = PERCENT.matcher(s);
    if (m.matches()) {
      BigDecimal p = new BigDecimal(m.group(1));
      return p.compareTo(BigDecimal.valueOf(100)) > 0 ? Optional.empty()
          : Optional.of(new MinAnnouncers(0, p));
    }
    return Optional.empty();
  }

  /**
   * Returns how many other nodes must announce, given how many nodes are registered for the
   * prefix (this one included). A percentage rounds up: 30 % of 3 nodes is 1 node.
   */
  public int floor(int registered) {
    if (percent == null) {
      return count;
    }
    return percent.multiply(BigDecimal.valueOf(registered))
        .divide(BigDecimal.valueOf(100), 0, RoundingMode.CEILING).intValueExact();
  }

  @Override
  public String toString() {
    return percent == null ? Integer.toString(count) : percent.stripTrailingZeros().toPlainString() + "%";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MinAnnouncers m && m.count == count
        && (percent == null ? m.percent == null
            : m.percent != null && m.percent.compareTo(percent) == 0);
  }

  @Override
  public int hashCode() {
    return percent == null ? count : Objects.hash(percent.stripTrailingZeros());
  }
}
