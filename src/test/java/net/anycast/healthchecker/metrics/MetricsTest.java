package net.anycast.healthchecker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsTest {
  @TempDir Path dir;

  private static final ServiceSample FOO = new ServiceSample("foo.bar.com",
      IpPrefix.parse("10.52.12.1/32"), Health.UP, 0, Duration.ofNanos(5_141_496), true, 0, 42, 1, false);
  private static final ServiceSample FOO1 = new ServiceSample("foo1.bar.com",
      IpPrefix.parse("10.52.12.2/32"), Health.DOWN, 126, Duration.ofSeconds(2), true, 3, 40, 2, true);
  private static final ServiceSample V6 = new ServiceSample("foo1IPv6.bar.com",
      IpPrefix.parse("fd12:aba6:57db:ffff::1"), Health.DOWN, 1, Duration.ZERO, false, 0, 7, 1, false);
  private static final BirdSample BIRD4 =
      new BirdSample(IpFamily.IPV4, 1, 1, 5, 1, Duration.ofMillis(12));

  private final AtomicReference<List<ServiceSample>> services =
      new AtomicReference<>(List.of(FOO, FOO1, V6));
  private final AtomicReference<ReloadSample> reload =
      new AtomicReference<>(new ReloadSample(true, Instant.ofEpochMilli(1_698_693_816_500L)));
  private final Metrics metrics = new Metrics(new MetricsSource() {
    @Override
    public List<ServiceSample> services() {
      return services.get();
    }

    @Override
    public List<BirdSample> bird() {
      return List.of(BIRD4);
    }

    @Override
    public List<CheckSample> checks() {
      return List.of(
          new CheckSample("web", "http", false, Duration.ofMillis(250), 9, 2, 1),
          new CheckSample("web", "tcp", true, Duration.ofMillis(1), 9, 0, 0));
    }

    @Override
    public List<SlotSample> slots() {
      return services.get().stream().filter(s -> s == FOO1).map(s -> new SlotSample(s.service(),
          s.ipPrefix(), 40, 3, 2, Duration.ofMillis(750))).toList();
    }
  }, reload::get, "0.10.0", Instant.ofEpochMilli(1_698_693_816_237L));

  /** Returns "name{labels}" → value for every sample line, and checks HELP/TYPE precede each. */
  static Map<String, Double> parse(String text) {
    Map<String, Double> out = new LinkedHashMap<>();
    Map<String, String> types = new LinkedHashMap<>();
    for (String line : text.lines().toList()) {
      if (line.startsWith("# TYPE ")) {
        String[] p = line.split(" ");
        types.put(p[2], p[3]);
      } else if (!line.startsWith("#") && !line.isBlank()) {
        int space = line.lastIndexOf(' ');
        String series = line.substring(0, space);
        String name = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
        assertThat(types).as("TYPE before " + name).containsKey(name);
        out.put(series, Double.parseDouble(line.substring(space + 1)));
      }
    }
    return out;
  }

  @Test
  void scrape_originalMetrics_keepNamesLabelsAndMeaning() {
    String text = metrics.scrapeText();
    Map<String, Double> m = parse(text);
    String foo = "{ip_prefix=\"10.52.12.1/32\",service_name=\"foo.bar.com\"}";
    String foo1 = "{ip_prefix=\"10.52.12.2/32\",service_name=\"foo1.bar.com\"}";
    String v6 = "{ip_prefix=\"fd12:aba6:57db:ffff::1/128\",service_name=\"foo1IPv6.bar.com\"}";
    assertThat(m).containsEntry("anycast_healthchecker_service_state" + foo, 0.0)
        .containsEntry("anycast_healthchecker_service_state" + foo1, 126.0)
        .containsEntry("anycast_healthchecker_service_state" + v6, 1.0)
        .containsEntry("anycast_healthchecker_service_check_duration_milliseconds" + foo, 5.141496)
        .containsEntry("anycast_healthchecker_service_check_ip_assignment" + foo, 1.0)
        .containsEntry("anycast_healthchecker_service_check_ip_assignment" + v6, 0.0)
        .containsEntry("anycast_healthchecker_service_check_timeout_total" + foo1, 3.0)
        .containsEntry("anycast_healthchecker_service_check_exitcode" + foo1, 126.0)
        .containsEntry("anycast_healthchecker_service" + v6, 1.0)
        .containsEntry("anycast_healthchecker_uptime", 1.698693816237E9)
        .containsEntry("anycast_healthchecker_state", 1.0)
        .containsEntry("anycast_healthchecker_version_info{version=\"0.10.0\"}", 1.0);
    assertThat(text)
        .contains("# TYPE anycast_healthchecker_service_check_timeout_total counter\n")
        .contains("# HELP anycast_healthchecker_service_check_duration_milliseconds Service check"
            + " duration in milliseconds\n")
        .contains("# TYPE anycast_healthchecker_version_info gauge\n");
  }

  @Test
  void scrape_newMetrics_samePrefix() {
    Map<String, Double> m = parse(metrics.scrapeText());
    String foo1 = "ip_prefix=\"10.52.12.2/32\",service_name=\"foo1.bar.com\"";
    assertThat(m)
        .containsEntry("anycast_healthchecker_service_health{health=\"down\"," + foo1 + "}", 1.0)
        .containsEntry("anycast_healthchecker_service_health{health=\"up\"," + foo1 + "}", 0.0)
        .containsEntry("anycast_healthchecker_service_state_transitions_total{" + foo1 + "}", 2.0)
        .containsEntry("anycast_healthchecker_service_check_runs_total{" + foo1 + "}", 40.0)
        .containsEntry("anycast_healthchecker_service_drained{" + foo1 + "}", 1.0)
        .containsEntry("anycast_healthchecker_bird_desired_prefixes{ip_version=\"4\"}", 1.0)
        .containsEntry("anycast_healthchecker_bird_applied_prefixes{ip_version=\"4\"}", 1.0)
        .containsEntry("anycast_healthchecker_bird_reconfigure_attempts_total{ip_version=\"4\"}", 5.0)
        .containsEntry("anycast_healthchecker_bird_reconfigure_failures_total{ip_version=\"4\"}", 1.0)
        .containsEntry("anycast_healthchecker_bird_reconfigure_duration_seconds{ip_version=\"4\"}", 0.012);
    assertThat(m.keySet()).allMatch(k -> k.startsWith("anycast_healthchecker_"));
  }

  @Test
  void scrape_reload_successAndTimestampOfTheLatest() {
    assertThat(parse(metrics.scrapeText()))
        .containsEntry("anycast_healthchecker_config_reload_success", 1.0)
        .containsEntry("anycast_healthchecker_config_last_reload_timestamp_seconds", 1.6986938165E9);
    reload.set(new ReloadSample(false, Instant.ofEpochSecond(1_700_000_000L)));
    assertThat(parse(metrics.scrapeText()))
        .containsEntry("anycast_healthchecker_config_reload_success", 0.0)
        .containsEntry("anycast_healthchecker_config_last_reload_timestamp_seconds", 1.7E9);
  }

  @Test
  void scrape_slotMetrics_labelledLikeTheServiceSeries() {
    Map<String, Double> m = parse(metrics.scrapeText());
    String foo1 = "{ip_prefix=\"10.52.12.2/32\",service_name=\"foo1.bar.com\"}";
    assertThat(m)
        .containsEntry("anycast_healthchecker_check_slots_started_total" + foo1, 40.0)
        .containsEntry("anycast_healthchecker_check_slots_late_total" + foo1, 3.0)
        .containsEntry("anycast_healthchecker_check_slots_skipped_total" + foo1, 2.0)
        .containsEntry("anycast_healthchecker_check_slot_lateness_seconds_total" + foo1, 0.75);
  }

  @Test
  void scrape_perKindMetrics_labelServiceAndKind() {
    Map<String, Double> m = parse(metrics.scrapeText());
    String http = "{kind=\"http\",service_name=\"web\"}";
    String tcp = "{kind=\"tcp\",service_name=\"web\"}";
    assertThat(m)
        .containsEntry("anycast_healthchecker_check_passed" + http, 0.0)
        .containsEntry("anycast_healthchecker_check_passed" + tcp, 1.0)
        .containsEntry("anycast_healthchecker_check_duration_seconds" + http, 0.25)
        .containsEntry("anycast_healthchecker_check_runs_total" + http, 9.0)
        .containsEntry("anycast_healthchecker_check_failures_total" + http, 2.0)
        .containsEntry("anycast_healthchecker_check_timeouts_total" + http, 1.0);
  }

  @Test
  void textfile_writtenAtomically_andRefreshedOnSchedule() throws Exception {
    TextfileExporter exporter = new TextfileExporter(metrics, dir);
    exporter.write();
    assertThat(exporter.file()).isEqualTo(dir.resolve("anycast_healthchecker.prom"));
    assertThat(parse(Files.readString(exporter.file()))).isEqualTo(parse(metrics.scrapeText()));
    try (var listing = Files.list(dir)) {
      assertThat(listing).containsExactly(exporter.file());
    }

    services.set(List.of(FOO));
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      exporter.schedule(scheduler, Duration.ofMillis(20));
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).until(
          () -> !Files.readString(exporter.file()).contains("foo1.bar.com"));
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void http_servesSameRegistryOnLoopback() throws Exception {
    try (HttpExporter http = HttpExporter.start(metrics,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        HttpClient client = HttpClient.newHttpClient()) {
      HttpResponse<String> response = client.send(
          HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.port() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
          ct -> assertThat(ct).startsWith("text/plain"));
      assertThat(parse(response.body())).isEqualTo(parse(metrics.scrapeText()));
    }
  }

  @Test
  void textfile_symlinkAtTheTempName_orAsTheFile_isNeverWrittenThrough() throws Exception {
    java.nio.file.Path victim = java.nio.file.Files.writeString(dir.resolve("victim"), "precious");
    java.nio.file.Files.createSymbolicLink(
        dir.resolve("." + TextfileExporter.FILE_NAME + ".tmp"), victim);
    TextfileExporter exporter = new TextfileExporter(metrics, dir);
    exporter.write();
    assertThat(java.nio.file.Files.readString(victim)).isEqualTo("precious");
    java.nio.file.Files.delete(exporter.file());
    java.nio.file.Files.createSymbolicLink(exporter.file(), victim);
    org.assertj.core.api.Assertions.assertThatThrownBy(exporter::write)
        .hasMessageContaining("symbolic link");
    assertThat(java.nio.file.Files.readString(victim)).isEqualTo("precious");
  }

  @Test
  void checkSpawnFallback_isOneWhileChecksStartThroughTheJdk() {
    Metrics jdk = new Metrics(new MetricsSource() {
      @Override
      public List<ServiceSample> services() {
        return List.of();
      }

      @Override
      public List<BirdSample> bird() {
        return List.of();
      }

      @Override
      public java.util.Optional<String> checkSpawnFallback() {
        return java.util.Optional.of("posix_spawn is not usable here: libc lacks pidfd_open");
      }
    }, reload::get, "0.10.0", Instant.ofEpochMilli(1_698_693_816_237L));
    assertThat(parse(jdk.scrapeText())).containsEntry("anycast_healthchecker_check_spawn_fallback", 1.0);
    assertThat(parse(metrics.scrapeText())).containsEntry("anycast_healthchecker_check_spawn_fallback", 0.0);
  }
}
