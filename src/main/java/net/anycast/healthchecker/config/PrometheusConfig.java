package net.anycast.healthchecker.config;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Prometheus settings of {@code [daemon]}.
 *
 * @param textfileExporter {@code prometheus_exporter}: write the textfile-collector file
 * @param textfileDir {@code prometheus_collector_textfile_dir}
 * @param interval {@code prometheus_exporter_interval}
 * @param listen {@code prometheus_listen} (new): serve /metrics over HTTP here, or null
 */
public record PrometheusConfig(
    boolean textfileExporter, Path textfileDir, Duration interval, InetSocketAddress listen) {

  public PrometheusConfig {
    Objects.requireNonNull(textfileDir, "textfileDir");
    Objects.requireNonNull(interval, "interval");
  }
}
