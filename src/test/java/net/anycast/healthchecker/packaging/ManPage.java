package net.anycast.healthchecker.packaging;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Renders anycast-healthchecker(1) in troff from the picocli model, so the options section can
 * never drift from the command line; the other sections are written here. (picocli-codegen's
 * generator writes AsciiDoc, which would need asciidoctor to become a man page.)
 */
final class ManPage {
  private ManPage() {}

  static String render(CommandSpec spec) {
    StringBuilder m = new StringBuilder();
    m.append(".TH ANYCAST\\-HEALTHCHECKER 1 \"\" \"anycast\\-healthchecker\" \"User Commands\"\n");
    m.append(".SH NAME\nanycast\\-healthchecker \\- keep BIRD announcing the routes of healthy"
        + " anycasted services\n");
    m.append(".SH SYNOPSIS\n.B anycast\\-healthchecker\n");
    String synopsis = spec.usageMessage().customSynopsis()[0];
    m.append(escape(synopsis.substring(synopsis.indexOf(' ') + 1))).append('\n');
    m.append(".SH DESCRIPTION\n");
    for (String line : spec.usageMessage().description()) {
      m.append(escape(line)).append('\n');
    }
    m.append(".PP\nOne check loop per service section runs").append(
        " \\fIcheck_cmd\\fR every \\fIcheck_interval\\fR seconds; after \\fIcheck_rise\\fR"
            + " passes the service is UP and its \\fIip_prefix\\fR is written to the BIRD"
            + " prefix file, after \\fIcheck_fail\\fR failures it is DOWN and withdrawn; BIRD is"
            + " reconfigured whenever the set of announced prefixes changes.\n");
    m.append(".SH OPTIONS\n");
    for (OptionSpec option : spec.options()) {
      m.append(".TP\n.B ");
      List<String> names = List.of(option.names());
      m.append(escape(String.join(", ", names)));
      if (option.arity().max() > 0) {
        m.append(" \\fI").append(escape(option.paramLabel())).append("\\fR");
      }
      m.append('\n');
      for (String line : option.description()) {
        m.append(escape(line)).append('\n');
      }
    }
    m.append(SECTIONS);
    return m.toString();
  }

  /** Escapes text for troff: backslashes, hyphens, and a leading dot or quote. */
  static String escape(String text) {
    String t = text.replace("\\", "\\e").replace("-", "\\-");
    if (t.startsWith(".") || t.startsWith("'")) {
      t = "\\&" + t;
    }
    return t;
  }

  private static final String SECTIONS = """
      .SH SIGNALS
      .TP
      .B SIGTERM, SIGINT, SIGABRT, SIGHUP
      Shut down cleanly: remove the pidfile and exit 0. The prefix files are left as they are, so
      routes stay announced. SIGHUP does not reload the configuration (as in 0.9.10).
      .TP
      .B SIGURG
      Run every service check now, without moving the check schedule.
      .SH FILES
      .TP
      .I /etc/anycast\\-healthchecker.conf
      Daemon settings (\\fB[daemon]\\fR and \\fB[DEFAULT]\\fR).
      .TP
      .I /etc/anycast\\-healthchecker.d/*.conf
      Service checks, one section per service.
      .TP
      .I /var/lib/anycast\\-healthchecker/anycast\\-prefixes.conf
      The IPv4 prefix file BIRD includes (\\fIbird_conf\\fR); \\fI6/anycast\\-prefixes.conf\\fR for IPv6.
      .TP
      .I /run/anycast\\-healthchecker/anycast\\-healthchecker.pid
      The pidfile (\\fIpidfile\\fR); beside it \\fIanycast\\-healthchecker.status\\fR, each loop's
      last progress, read by the monitoring check.
      .SH ENVIRONMENT
      .TP
      .B ANYCAST_HEALTHCHECKER_JAVA
      The java binary to run instead of the bundled runtime.
      .TP
      .B ANYCAST_HEALTHCHECKER_JAVA_OPTS
      JVM options replacing the launcher's lean defaults. With
      \\fB\\-Danycast.healthchecker.spawn=jdk\\fR among them, checks are started through the JDK's
      ProcessBuilder and setsid instead of one posix_spawn each (a fallback; it costs about
      three times the CPU per check).
      .TP
      .B NOTIFY_SOCKET, WATCHDOG_USEC
      Set by systemd for \\fBType=notify\\fR units: the daemon reports READY=1, STATUS=, STOPPING=1
      and pings the watchdog only while every loop makes progress.
      .SH EXIT STATUS
      0 on success and on a clean shutdown; 1 on invalid configuration, when another instance
      runs, or on a fatal error.
      .SH SEE ALSO
      .BR bird (8),
      .BR birdc (8),
      .BR systemd.service (5),
      .BR journalctl (1)
      """;
}
