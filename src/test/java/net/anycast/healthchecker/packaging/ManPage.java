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
    String[] synopses = spec.usageMessage().customSynopsis();
    for (int i = 0; i < synopses.length; i++) {
      if (i > 0) {
        m.append(".br\n.B anycast\\-healthchecker\n");
      }
      m.append(escape(synopses[i].substring(synopses[i].indexOf(' ') + 1))).append('\n');
    }
    m.append(".SH DESCRIPTION\n");
    for (String line : spec.usageMessage().description()) {
      m.append(escape(line)).append('\n');
    }
    m.append(".PP\nOne check loop per service section runs").append(
        " \\fIcheck_cmd\\fR every \\fIcheck_interval\\fR seconds; after \\fIcheck_rise\\fR"
            + " passes the service is UP and its \\fIip_prefix\\fR is written to the BIRD"
            + " prefix file, after \\fIcheck_fail\\fR failures it is DOWN and withdrawn; BIRD is"
            + " reconfigured whenever the set of announced prefixes changes. A service may"
            + " use built-in HTTP(S), TCP and DNS checks instead of, or besides,"
            + " \\fIcheck_cmd\\fR (see CHECKS).\n");
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
    m.append(".SH COMMANDS\n");
    spec.subcommands().forEach((name, sub) -> {
      m.append(".TP\n.B ").append(escape(name)).append('\n');
      for (String line : sub.getCommandSpec().usageMessage().description()) {
        m.append(escape(line)).append('\n');
      }
      for (OptionSpec option : sub.getCommandSpec().options()) {
        if (List.of("-f", "-d", "-F").contains(option.shortestName())) {
          continue; // the same as the main command's, listed above
        }
        m.append(".RS\n.TP\n.B ").append(escape(String.join(", ", option.names())));
        if (option.arity().max() > 0) {
          m.append(" \\fI").append(escape(option.paramLabel())).append("\\fR");
        }
        m.append('\n');
        for (String line : option.description()) {
          m.append(escape(line)).append('\n');
        }
        m.append(".RE\n");
      }
    });
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
      .SH CHECKS
      A service section configures \\fIcheck_cmd\\fR (a program run without a shell; exit 0
      passes), and at most one check of each built-in kind, switched on by the kind's first key
      (\\fIcheck_http_url\\fR, \\fIcheck_tcp_address\\fR, \\fIcheck_dns_server\\fR). The other keys
      of a kind are optional; set in a section without the first key they are an error, set in
      \\fB[DEFAULT]\\fR they apply to the sections that have the kind. \\fIcheck_timeout\\fR is one
      deadline for each whole run; several checks of a service run at once; \\fIcheck_rise\\fR
      and \\fIcheck_fail\\fR count runs of the service. Every key is validated with a one\\-line
      error naming file, section, key and value; \\fB\\-P\\fR prints them as written.
      .TP
      .B check_env_passthrough = PATH, LANG ...
      (\\fB[daemon]\\fR) The only variables of the daemon's environment a check gets; default
      PATH HOME USER LOGNAME SHELL LANG LANGUAGE LC_ALL LC_CTYPE LC_MESSAGES TZ TMPDIR, never
      NOTIFY_SOCKET. Example: \\fIcheck_env_passthrough = PATH, LANG, http_proxy\\fR.
      .TP
      .B check_user = USER
      (\\fB[daemon]\\fR) Run every check as this user with its own groups (the daemon needs root
      or CAP_SETUID and CAP_SETGID; otherwise a warning and checks run as the daemon's user).
      Without it a daemon that may drops the group \\fBbird\\fR for its checks.
      Example: \\fIcheck_user = nobody\\fR.
      .TP
      .B check_mode = all | any | N
      With several checks: all must pass (default), one is enough, or at least \\fIN\\fR.
      Example: \\fIcheck_mode = any\\fR.
      .TP
      .B check_http_url = URL
      An \\fBhttp://\\fR or \\fBhttps://\\fR URL; prefer an IP literal and put the name in
      \\fBHost:\\fR. Example: \\fIcheck_http_url = https://127.0.0.1:8443/health\\fR.
      .TP
      .B check_http_method = GET
      One of GET HEAD POST PUT DELETE OPTIONS PATCH; no body is sent. Example:
      \\fIcheck_http_method = HEAD\\fR.
      .TP
      .B check_http_headers = Name: value
      One header per (indented continuation) line, \\fBHost\\fR included. Example:
      \\fIcheck_http_headers = Host: www.example.com\\fR.
      .TP
      .B check_http_expect_status = 200\\-299
      Codes and ranges that pass. Example: \\fIcheck_http_expect_status = 200, 204, 301\\-302\\fR.
      .TP
      .B check_http_body_regex = REGEX
      A Java regular expression searched for in the first 64 KiB of the body. Example:
      \\fIcheck_http_body_regex = "status": *"ok"\\fR.
      .TP
      .B check_http_follow_redirects = false
      Follow 3xx; the final status then counts. Example:
      \\fIcheck_http_follow_redirects = true\\fR.
      .TP
      .B check_http_tls_verify = true
      Check the certificate chain and name. Example: \\fIcheck_http_tls_verify = false\\fR.
      .TP
      .B check_http_tls_server_name = NAME
      The SNI sent and the name the certificate must carry (default: the URL's host). Example:
      \\fIcheck_http_tls_server_name = www.example.com\\fR.
      .TP
      .B check_http_ca_file = FILE
      PEM certificates trusted instead of the JDK's. Example:
      \\fIcheck_http_ca_file = /etc/ssl/private/internal\\-ca.pem\\fR.
      .TP
      .B check_http_source_address = IP
      The local address to connect from. Example: \\fIcheck_http_source_address = 10.52.12.1\\fR.
      .TP
      .B check_tcp_address = IP:PORT
      Connect to it (\\fB[::1]:443\\fR for IPv6; names are refused). Example:
      \\fIcheck_tcp_address = 127.0.0.1:5432\\fR.
      .TP
      .B check_tcp_tls = false
      A TLS handshake after connecting. Example: \\fIcheck_tcp_tls = true\\fR.
      .TP
      .B check_tcp_tls_verify = true
      As for HTTP. Example: \\fIcheck_tcp_tls_verify = false\\fR.
      .TP
      .B check_tcp_tls_server_name = NAME
      As for HTTP. Example: \\fIcheck_tcp_tls_server_name = ldap.example.com\\fR.
      .TP
      .B check_tcp_ca_file = FILE
      As for HTTP. Example: \\fIcheck_tcp_ca_file = /etc/ssl/private/internal\\-ca.pem\\fR.
      .TP
      .B check_tcp_send = BYTES
      Sent after connecting; escapes \\fB\\er \\en \\et \\e0 \\e\\e \\exHH\\fR. Example:
      \\fIcheck_tcp_send = PING\\er\\en\\fR.
      .TP
      .B check_tcp_expect = BYTES
      Must arrive within the first 64 KiB; the same escapes. Example:
      \\fIcheck_tcp_expect = +PONG\\fR.
      .TP
      .B check_dns_server = IP[:PORT]
      Ask this server (port 53 by default) over UDP, again over TCP when the answer is
      truncated. Example: \\fIcheck_dns_server = 127.0.0.1\\fR.
      .TP
      .B check_dns_name = NAME
      The name asked for (required with the DNS check). Example:
      \\fIcheck_dns_name = example.com\\fR.
      .TP
      .B check_dns_type = A
      The query type. Example: \\fIcheck_dns_type = SOA\\fR.
      .TP
      .B check_dns_expect_rcode = NOERROR
      The response code that passes. Example: \\fIcheck_dns_expect_rcode = NXDOMAIN\\fR.
      .TP
      .B check_dns_expect_answer = TEXT
      An answer record of the type whose data is exactly this text. Example:
      \\fIcheck_dns_expect_answer = 192.0.2.1\\fR.
      .PP
      With \\fIhttp_listen\\fR, hacheck's \\fB/http/\\fR\\fISERVICE/PORT/PATH\\fR,
      \\fB/https/\\fR... and \\fB/tcp/\\fR\\fISERVICE/PORT/\\fR answer from the spool, then from
      the same HTTP and TCP checks of that port on 127.0.0.1 (see docs/api.md).
      .SH MAINTENANCE
      A drain takes a service (or, with \\fB\\-\\-all\\fR, every service of the node) out of the
      anycast set without touching its configuration: its prefixes are withdrawn (with
      \\fIon_drain = keep\\fR they stay and only the status says drained) while its checks keep
      running. Drains are files in \\fIspool_dir\\fR (default
      \\fI/var/spool/anycast\\-healthchecker\\fR) in the format of hacheck's spool: names
      \\fBall\\fR, \\fISERVICE\\fR or \\fISERVICE:PORT\\fR; content JSON with \\fBreason\\fR,
      \\fBexpiration\\fR and \\fBcreation\\fR (Unix times) or plain text (the reason). With
      \\fIspool_dir = /var/spool/hacheck\\fR the \\fBhadown\\fR and \\fBhaup\\fR tools drive the
      daemon. The daemon notices a change within a second, ends expired drains at their second,
      and reads the spool before its first pass, so a drain survives a restart without a flap.
      .SH HTTP API AND STATUS PAGE
      With \\fIhttp_listen = host:port\\fR the daemon serves a status page on \\fB/\\fR (live
      through Server\\-Sent Events, with drain and undrain buttons), a JSON API under
      \\fB/api/v1/\\fR (status, one service, drain and undrain, events), hacheck's \\fB/spool/\\fR
      and \\fB/status\\fR, and \\fB/metrics\\fR. Reads are open to whoever reaches the listener.
      Writes need \\fBAuthorization: Bearer\\fR with the token in \\fIhttp_token_file\\fR (one line,
      mode 0600, else the daemon does not start); without it every write is refused. hacheck's
      POST also needs \\fIallow_remote_spool_changes = true\\fR. Drains made through the API are
      the same spool files \\fBdrain\\fR writes. See docs/api.md.
      .SH FLEET SAFETY VALVE
      With \\fIfleet_etcd_endpoints\\fR (comma\\-separated etcd client URLs) nodes that announce
      the same prefixes never all withdraw one because of their health checks: before a
      health\\-driven withdrawal a node asks etcd, and may withdraw only while at least
      \\fIfleet_min_announcers\\fR other nodes (a number, default 1, or a percentage such as
      \\fB30%\\fR of the nodes registered for the prefix) still announce it; the check is one etcd
      transaction, safe when many nodes decide at once. A refused prefix stays announced, is
      logged as held, shows in \\fIanycast_healthchecker_fleet_held\\fR and the status API, and is
      asked about again every second. Drains, \\fIon_disabled\\fR and \\fIon_shutdown =
      withdraw\\fR are never held. The node's keys live under a lease of
      \\fIfleet_lease_ttl\\fR seconds (default 10) below \\fIfleet_key_prefix\\fR (default
      \\fB/anycast\\-healthchecker\\fR), named by \\fIfleet_node_name\\fR (default the host name).
      When etcd does not answer for \\fIfleet_lease_ttl\\fR the node decides alone (logged;
      \\fIanycast_healthchecker_fleet_deciding_alone\\fR is 1) until etcd answers again. TLS:
      \\fIfleet_etcd_ca_file\\fR, \\fIfleet_etcd_cert_file\\fR, \\fIfleet_etcd_key_file\\fR
      (PEM; the key in PKCS#8). Authentication: \\fIfleet_etcd_user\\fR and
      \\fIfleet_etcd_password_file\\fR (mode 0600). Every fleet option needs a restart.
      .SH RELOADING
      \\fBsystemctl reload\\fR, \\fBanycast\\-healthchecker reload\\fR and SIGHUP make the daemon
      read the files it was started with again. The new configuration is validated completely
      first: with any error nothing changes, every error is logged as \\fB\\-c\\fR prints it, and
      \\fBreload\\fR prints them and exits 1. Otherwise it applies at once, without a restart: a
      service whose check did not change keeps its loop, its schedule, its health and its
      rise/fall counters; one whose check changed keeps its health until the new check decides;
      one whose \\fIip_prefix\\fR changed moves its routes in one reconfigure; a removed service is
      withdrawn; a new one is announced only after it rises. When the set of announced prefixes
      does not change, neither the prefix file nor BIRD is touched. The BIRD settings of each
      family (variable, reconfigure command, socket, dummy prefix, history), \\fIloglevel\\fR,
      \\fIsplay_startup\\fR, \\fIon_shutdown\\fR and \\fIshutdown_grace\\fR apply too; any other
      \\fB[daemon]\\fR setting (pidfile, ipv4/ipv6, bird_conf, log destinations, prometheus_*,
      spool_dir, purge_ip_prefixes) keeps its running value and is reported as needing a
      restart. The metrics \\fIanycast_healthchecker_config_reload_success\\fR and
      \\fIanycast_healthchecker_config_last_reload_timestamp_seconds\\fR show the latest reload.
      .SH SIGNALS
      .TP
      .B SIGTERM, SIGINT, SIGABRT
      Shut down cleanly: remove the pidfile and exit 0. From that instant no check result moves
      a route. With \\fIon_shutdown = keep\\fR (the default, as in 0.9.10) the prefix files are
      left as they are, so routes stay announced; with \\fIon_shutdown = withdraw\\fR every prefix
      is withdrawn, BIRD's confirmation awaited (at most 30 s), then \\fIshutdown_grace\\fR
      seconds, before the exit. A second such signal exits at once. A check killed by SIGTERM,
      SIGINT or SIGHUP from outside the daemon is never counted as a failure.
      .TP
      .B SIGHUP
      Reload the configuration (see RELOADING). The original 0.9.10 stopped on SIGHUP.
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
      last progress, each service's health and each family's BIRD state, read by the monitoring
      check and by \\fBstatus\\fR; and \\fIanycast\\-healthchecker.reload\\fR, the outcome of the
      latest reload, read by \\fBreload\\fR.
      .TP
      .I /var/spool/anycast\\-healthchecker/
      Drain files (\\fIspool_dir\\fR), written by \\fBdrain\\fR and \\fBundrain\\fR.
      .TP
      .I /var/cache/anycast\\-healthchecker/anycast\\-healthchecker.aot
      The JVM's AOT cache (classes loaded and linked, method profiles) from a run that made route
      changes, so that the first changes after a start are about as fast as later ones; beside it
      \\fIanycast\\-healthchecker.aot.key\\fR names the jar and java it was trained for, and the
      launcher uses the cache only for those. \\fBanycast\\-healthchecker train\\-aot\\-cache\\fR
      (a command of the launcher, run by the package at every install and upgrade, about 10 s, no
      BIRD involved and beside a running daemon) writes both; without them the daemon runs as
      well, its first changes slower.
      .SH ENVIRONMENT
      .TP
      .B ANYCAST_HEALTHCHECKER_JAVA
      The java binary to run instead of the bundled runtime.
      .TP
      .B ANYCAST_HEALTHCHECKER_JAVA_OPTS
      JVM options replacing the launcher's lean defaults and its AOT cache (repeat
      \\fB\\-XX:CompileThresholdScaling=0.005\\fR and
      \\fB\\-Djava.lang.invoke.MethodHandle.CUSTOMIZE_THRESHOLD=\\-1\\fR among yours). With
      \\fB\\-Danycast.healthchecker.spawn=jdk\\fR among them, checks are started through the JDK's
      ProcessBuilder, a gate shell and setsid instead of one posix_spawn each (a fallback; it
      costs about four times the CPU per check).
      .TP
      .B ANYCAST_HEALTHCHECKER_AOT_CACHE
      The AOT cache to use and to train instead of the one under /var/cache (a source checkout's is
      beside its jar); set and empty, none.
      .TP
      .B NOTIFY_SOCKET, WATCHDOG_USEC
      Set by systemd for \\fBType=notify\\fR units: the daemon reports READY=1, STATUS=, STOPPING=1,
      RELOADING=1 with MONOTONIC_USEC= then READY=1 around each reload, and pings the watchdog
      only while every loop makes progress.
      .SH EXIT STATUS
      0 on success and on a clean shutdown; 1 on invalid configuration, when another instance
      runs, or on a fatal error. \\fBstatus\\fR exits 0 when the daemon runs and every service
      is up and not drained, 1 otherwise, 2 on invalid configuration. \\fBreload\\fR exits 0 when
      the daemon applied the files, 1 when they have errors (nothing changed), 2 when no daemon
      runs or none answered within \\fB\\-\\-timeout\\fR.
      .SH SEE ALSO
      .BR bird (8),
      .BR birdc (8),
      .BR systemd.service (5),
      .BR journalctl (1)
      """;
}
