package net.anycast.healthchecker.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import net.anycast.healthchecker.config.LogConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

class LogSetupTest {
  private static final Logger LOG = LoggerFactory.getLogger(LogSetupTest.class);
  private static final long PID = ProcessHandle.current().pid();
  private static final String TEXT_LINE =
      "\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} anycast-healthchecker\\[" + PID + "\\] ";

  @TempDir Path dir;
  private final ByteArrayOutputStream console = new ByteArrayOutputStream();
  private final ByteArrayOutputStream notes = new ByteArrayOutputStream();
  private LogSetup setup;

  @AfterEach
  void tearDown() {
    MDC.clear();
    if (setup != null) {
      setup.close();
    }
  }

  private static LogConfig config(String level) {
    return new LogConfig(level, null, 104857600, 8, null, 514, false, false, false, false, null,
        false, 12);
  }

  private void configure(LogConfig config) throws IOException {
    setup = LogSetup.configure(config, "0.10.0", console,
        new PrintStream(notes, true, StandardCharsets.UTF_8), InstantSource.system());
  }

  private List<String> consoleLines() {
    return console.toString(StandardCharsets.UTF_8).lines().toList();
  }

  private static void asService() {
    MDC.put(LogFields.SERVICE_NAME, "foo.bar.com");
    MDC.put(LogFields.IP_ADDRESS, "10.52.12.1");
    MDC.put(LogFields.PREFIX_LENGTH, "32");
    MDC.put(LogFields.STATUS, "up");
    MDC.put(LogFields.IP_CHECK_DISABLED, "false");
  }

  @Test
  void rehearsalThread_logsNothing_otherThreadsLogAsBefore() throws Exception {
    configure(config("debug"));
    Thread rehearsing = Thread.ofPlatform().start(() -> {
      MDC.put(LogFields.REHEARSAL, "true");
      asService();
      LOG.info("status changed to DOWN from UP, withdrawing 10.52.12.1/32");
      LOG.error("failed to write IPv4 prefix file");
      assertThat(LOG.isInfoEnabled()).isFalse();
    });
    rehearsing.join();
    LOG.info("a line of the real daemon");
    MDC.put(LogFields.REHEARSAL, "true");
    LOG.error("dropped as well");
    MDC.remove(LogFields.REHEARSAL);
    LOG.info("and logged again");

    assertThat(consoleLines()).hasSize(2);
    assertThat(consoleLines().get(0)).endsWith("MainThread   a line of the real daemon");
    assertThat(consoleLines().get(1)).endsWith("MainThread   and logged again");
  }

  @Test
  void text_mainThreadAndServiceLines_matchOriginalFormat() throws IOException {
    configure(config("debug"));
    LOG.info("starting anycast-healthchecker 0.10.0 version");
    asService();
    LOG.warn("status DOWN because 10.52.12.1/32 isn't assigned");
    MDC.clear();
    LOG.error(Severity.CRITICAL_MARKER, "failed to write temporary file");
    LOG.debug("going to write");

    List<String> lines = consoleLines();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0))
        .matches(TEXT_LINE + "INFO     MainThread   starting anycast-healthchecker 0\\.10\\.0 version");
    assertThat(lines.get(1))
        .matches(TEXT_LINE + "WARNING  foo\\.bar\\.com  status DOWN because .*");
    assertThat(lines.get(2)).matches(TEXT_LINE + "CRITICAL MainThread   failed to write temporary file");
    assertThat(lines.get(3)).matches(TEXT_LINE + "DEBUG    MainThread   going to write");
    assertThat(notes.toString(StandardCharsets.UTF_8))
        .isEqualTo("messages for unhandled exceptions will go to STDERR\n");
  }

  @Test
  void text_longServiceName_isNotTruncated() throws IOException {
    configure(config("info"));
    MDC.put(LogFields.SERVICE_NAME, "a-much-longer-service-name");
    LOG.info("x");
    assertThat(consoleLines().get(0)).matches(TEXT_LINE + "INFO     a-much-longer-service-name x");
  }

  @Test
  void loglevel_filtersBelowThreshold_criticalNeedsMarker() throws IOException {
    configure(config("CRITICAL"));
    LOG.info("no");
    LOG.warn("no");
    LOG.error("no");
    LOG.error(Severity.CRITICAL_MARKER, "yes");
    assertThat(consoleLines()).singleElement().asString().endsWith(" yes").contains("CRITICAL ");
  }

  @Test
  void loglevel_warning_dropsInfo() throws IOException {
    configure(config("warning"));
    LOG.info("no");
    LOG.warn("yes");
    assertThat(consoleLines()).singleElement().asString().contains("WARNING  MainThread   yes");
  }

  @Test
  void level_changedAtRuntime_appliesToTheNextLines() throws IOException {
    configure(config("warning"));
    LOG.info("no");
    setup.level("debug");
    LOG.debug("yes, debug");
    setup.level("error");
    LOG.warn("no");
    LOG.error("yes, error");
    assertThat(consoleLines()).hasSize(2).satisfiesExactly(
        l -> assertThat(l).endsWith("yes, debug"), l -> assertThat(l).endsWith("yes, error"));
  }

  @Test
  void json_serviceLine_hasOriginalKeysInOrder() throws IOException {
    LogConfig c = new LogConfig("debug", null, 0, 0, null, 514, true, false, false, false, null,
        false, 12);
    configure(c);
    asService();
    LOG.info("status UP, \"quoted\" \u00e9");
    String line = consoleLines().get(0);
    assertThat(line).startsWith("anycast-healthchecker: {\"asctime\": \"");
    assertThat(line).doesNotContain("\u00e9").contains("\\u00e9");
    Map<String, Object> json = FlatJson.parse(line.substring("anycast-healthchecker: ".length()));
    assertThat(json.keySet()).containsExactly("asctime", "levelname", "process", "message",
        "ip_address", "prefix_length", "status", "ip_check_disabled", "version", "program",
        "service_name");
    assertThat(json)
        .containsEntry("levelname", "INFO")
        .containsEntry("process", PID)
        .containsEntry("message", "status UP, \"quoted\" \u00e9")
        .containsEntry("ip_address", "10.52.12.1")
        .containsEntry("prefix_length", "32")
        .containsEntry("status", "up")
        .containsEntry("ip_check_disabled", false)
        .containsEntry("version", "0.10.0")
        .containsEntry("program", "anycast-healthchecker")
        .containsEntry("service_name", "foo.bar.com");
    assertThat((String) json.get("asctime")).matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3}");
  }

  @Test
  void json_mainThreadLine_hasNoPerServiceKeys() throws IOException {
    LogConfig c = new LogConfig("debug", null, 0, 0, null, 514, true, false, false, false, null,
        false, 12);
    configure(c);
    LOG.warn("found IP prefixes without a service check", new IllegalStateException("boom"));
    String line = consoleLines().get(0);
    Map<String, Object> json = FlatJson.parse(line.substring("anycast-healthchecker: ".length()));
    assertThat(json.keySet()).containsExactly("asctime", "levelname", "process", "message",
        "exc_info", "version", "program", "service_name");
    assertThat(json).containsEntry("service_name", "MainThread").containsEntry("levelname", "WARNING");
    assertThat((String) json.get("exc_info")).startsWith("java.lang.IllegalStateException: boom");
  }

  @Test
  void json_drainLine_carriesTheDrainKeys() throws IOException {
    LogConfig c = new LogConfig("debug", null, 0, 0, null, 514, true, false, false, false, null,
        false, 12);
    configure(c);
    MDC.put(LogFields.DRAIN_EVENT, "started");
    MDC.put(LogFields.DRAIN_NAME, "foo.bar.com:8080");
    MDC.put(LogFields.DRAIN_REASON, "deploy \"42\"");
    MDC.put(LogFields.DRAIN_EXPIRATION, "2025-12-02T04:33:20Z");
    LOG.info("drain of foo.bar.com:8080 started");
    String line = consoleLines().get(0);
    Map<String, Object> json = FlatJson.parse(line.substring("anycast-healthchecker: ".length()));
    assertThat(json.keySet()).containsExactly("asctime", "levelname", "process", "message",
        "drain_event", "drain_name", "drain_reason", "drain_expiration", "version", "program",
        "service_name");
    assertThat(json)
        .containsEntry("drain_event", "started")
        .containsEntry("drain_reason", "deploy \"42\"")
        .containsEntry("service_name", "MainThread");
  }

  @Test
  void journalctl_prefixesConsoleLinesWithPriority() throws IOException {
    LogConfig c = new LogConfig("debug", null, 0, 0, null, 514, false, false, false, true, null,
        false, 12);
    configure(c);
    LOG.debug("d");
    LOG.info("i");
    LOG.warn("w");
    LOG.error("e");
    LOG.error(Severity.CRITICAL_MARKER, "c");
    assertThat(consoleLines()).extracting(l -> l.substring(0, 3))
        .containsExactly("<7>", "<6>", "<4>", "<3>", "<2>");
  }

  @Test
  void logFile_rotatesBySize_keepingMoreThanTwentyBackups() throws IOException {
    Path file = dir.resolve("anycast-healthchecker.log");
    LogConfig c = new LogConfig("debug", file, 300, 25, null, 514, false, false, false, false,
        null, false, 12);
    configure(c);
    for (int i = 0; i < 200; i++) {
      LOG.info("record {}", String.format("%03d", i));
    }
    setup.close();
    setup = null;
    assertThat(console.size()).as("no console when log_file is set").isZero();
    assertThat(dir.resolve("anycast-healthchecker.log.25")).exists();
    assertThat(dir.resolve("anycast-healthchecker.log.26")).doesNotExist();
    for (int n = 0; n <= 25; n++) {
      Path p = n == 0 ? file : dir.resolve("anycast-healthchecker.log." + n);
      assertThat(Files.size(p)).as(p.toString()).isLessThan(300);
    }
    assertThat(Files.readAllLines(file).getLast()).endsWith("record 199");
    // .1 holds the records just before the current file's first one.
    String firstCurrent = Files.readAllLines(file).getFirst();
    String lastOfBackup = Files.readAllLines(dir.resolve("anycast-healthchecker.log.1")).getLast();
    int a = Integer.parseInt(lastOfBackup.substring(lastOfBackup.length() - 3));
    int b = Integer.parseInt(firstCurrent.substring(firstCurrent.length() - 3));
    assertThat(b).isEqualTo(a + 1);
  }

  @Test
  void logServer_sendsSyslogDatagrams_textAndJson() throws Exception {
    try (DatagramSocket server = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      server.setSoTimeout(5000);
      LogConfig c = new LogConfig("info", null, 0, 0, "127.0.0.1", server.getLocalPort(), false,
          false, false, false, null, false, 12);
      configure(c);
      LOG.info("reconfigured BIRD daemon");
      LOG.error(Severity.CRITICAL_MARKER, "fatal");
      String first = receive(server);
      assertThat(first).startsWith("<14>").endsWith("\0");
      assertThat(first.substring(4, first.length() - 1))
          .matches(TEXT_LINE + "INFO     MainThread   reconfigured BIRD daemon");
      assertThat(receive(server)).startsWith("<10>").endsWith("fatal\0");
      assertThat(console.size()).as("no console when log_server is set").isZero();
      setup.close();

      LogConfig j = new LogConfig("info", null, 0, 0, "127.0.0.1", server.getLocalPort(), false,
          false, true, false, null, false, 12);
      configure(j);
      asService();
      LOG.warn("going down 1");
      String json = receive(server);
      assertThat(json).startsWith("<12>anycast-healthchecker: {").endsWith("}\0");
      Map<String, Object> parsed = FlatJson.parse(json.substring(json.indexOf('{'), json.length() - 1));
      assertThat(parsed).containsEntry("service_name", "foo.bar.com").containsEntry("message", "going down 1");
    }
  }

  private static String receive(DatagramSocket server) throws IOException {
    byte[] buf = new byte[8192];
    DatagramPacket packet = new DatagramPacket(buf, buf.length);
    server.receive(packet);
    return new String(buf, 0, packet.getLength(), StandardCharsets.UTF_8);
  }

  @Test
  void stderrFile_capturesCrashOutputAsLines_andRestoresStderr() throws IOException {
    Path stderrFile = dir.resolve("stderr.log");
    PrintStream before = System.err;
    LogConfig c = new LogConfig("info", null, 104857600, 8, null, 514, false, false, false, false,
        stderrFile, false, 12);
    configure(c);
    assertThat(notes.size()).isZero();
    Thread t = Thread.ofPlatform().name("foo.bar.com").unstarted(() -> {
      throw new IllegalStateException("loop died");
    });
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    setup.close();
    setup = null;
    assertThat(System.err).isSameAs(before);
    List<String> lines = Files.readAllLines(stderrFile);
    assertThat(lines.getFirst()).matches(TEXT_LINE
        + "foo\\.bar\\.com Exception in thread \"foo\\.bar\\.com\" java\\.lang\\.IllegalStateException: loop died");
    assertThat(lines).allMatch(l -> l.matches(TEXT_LINE + "foo\\.bar\\.com \\s*\\S.*"));
  }
}
