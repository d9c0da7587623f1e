package net.anycast.healthchecker.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;

/** Reads and validates one service-check section into a {@link ServiceConfig}. */
final class ServiceSection {
  // Several prefixes per service: separated by commas and/or whitespace.
  private static final Pattern PREFIX_SEPARATOR = Pattern.compile("[,\\s]+");

  private final SectionValues v;
  private final CommandResolver commands;

  ServiceSection(Ini ini, String name, List<ConfigError> errors, CommandResolver commands) {
    this.v = new SectionValues(ini, name, errors);
    this.commands = commands;
  }

  /**
   * Returns the service, or null when any of its settings is invalid (the errors say why).
   *
   * @param enabled which families {@code [daemon]} enables (ipv4, ipv6)
   */
  ServiceConfig read(Set<IpFamily> enabled) {
    int errorsBefore = v.errorCount();
    CheckSet checks = new CheckSections(v, commands).read();
    List<IpPrefix> prefixes = prefixes(enabled);
    Duration interval = v.seconds("check_interval", false);
    Duration timeout = v.seconds("check_timeout", false);
    Long rise = v.integer("check_rise", 1, 1_000_000);
    Long fall = v.integer("check_fail", 1, 1_000_000);
    Boolean disabled = v.bool("check_disabled");
    OnDisabled onDisabled = onDisabled();
    String iface = v.nonBlank("interface", "the interface that holds the service's address");
    Boolean ipCheckDisabled = v.bool("ip_check_disabled");
    String custom = v.has("custom_bird_reconfigure_cmd") ? customCommand() : null;
    Duration customTimeout = v.seconds("custom_bird_reconfigure_cmd_timeout", false);
    OnDrain onDrain = v.has("on_drain") ? onDrain() : OnDrain.WITHDRAW;
    if (v.errorCount() > errorsBefore) {
      return null;
    }
    return new ServiceConfig(v.section(), checks, interval, timeout, rise.intValue(),
        fall.intValue(), disabled, onDisabled, iface, ipCheckDisabled, prefixes, custom,
        customTimeout, onDrain);
  }

  /** Returns the file that defines this service, for cross-service messages. */
  java.nio.file.Path file(String key) {
    return v.fileOf(key);
  }

  private String customCommand() {
    String cmd = v.nonBlank("custom_bird_reconfigure_cmd",
        "set a command or remove the key to use bird_reconfigure_cmd");
    if (cmd != null) {
      commands.problem(cmd).ifPresent(p -> v.error("custom_bird_reconfigure_cmd", cmd, p));
    }
    return cmd;
  }

  private OnDisabled onDisabled() {
    String text = v.optionalText("on_disabled");
    if (text == null) {
      return null;
    }
    return switch (text) {
      case "withdraw" -> OnDisabled.WITHDRAW;
      case "advertise" -> OnDisabled.ADVERTISE;
      default -> {
        v.error("on_disabled", text, "use withdraw or advertise");
        yield null;
      }
    };
  }

  private OnDrain onDrain() {
    String text = v.optionalText("on_drain");
    return switch (text == null ? "" : text.strip()) {
      case "withdraw" -> OnDrain.WITHDRAW;
      case "keep" -> OnDrain.KEEP;
      default -> {
        v.error("on_drain", text, "use withdraw (the default: a drained service's prefixes are"
            + " withdrawn) or keep (they stay announced; only the status says drained)");
        yield null;
      }
    };
  }

  private List<IpPrefix> prefixes(Set<IpFamily> enabled) {
    String text = v.nonBlank("ip_prefix", "every service check needs the prefix it announces,"
        + " such as 10.52.12.1/32");
    if (text == null) {
      return List.of();
    }
    Set<IpPrefix> prefixes = new LinkedHashSet<>();
    for (String word : PREFIX_SEPARATOR.split(text.strip())) {
      if (word.isEmpty()) {
        continue;
      }
      IpPrefix prefix;
      try {
        prefix = IpPrefix.parse(word);
      } catch (IllegalArgumentException e) {
        v.error("ip_prefix", text, "'" + word + "' is not an IP prefix (" + e.getMessage()
            + "); expected ip/prefixlen such as 10.52.12.1/32 or fd12::1/128");
        continue;
      }
      if (!enabled.contains(prefix.family())) {
        String flag = prefix.family() == IpFamily.IPV4 ? "ipv4" : "ipv6";
        v.error("ip_prefix", text, prefix.family().label() + " support is disabled"
            + " ([daemon] " + flag + " = false) while " + prefix + " is an "
            + prefix.family().label() + " prefix; set " + flag + " = true or remove it");
        continue;
      }
      if (!prefixes.add(prefix)) {
        v.error("ip_prefix", text, prefix + " is listed twice");
      }
    }
    return new ArrayList<>(prefixes);
  }

}
