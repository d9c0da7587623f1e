package net.anycast.healthchecker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code -p}: {@link ConfigLoader#render} prints every key, interpolated like configparser. */
class PrintConfigTest {
  @Test
  void fleetMinAnnouncers_isPrintedAsWritten_otherKeysInterpolated() throws Exception {
    Ini ini = Ini.withDefaults(Map.of());
    ini.read("[daemon]\nfleet_min_announcers = 30%\nlog_file = /var/log/a%%b.log\n",
        Path.of("daemon.conf"));

    String printed = ConfigLoader.render(ini);

    assertThat(printed).contains("fleet_min_announcers = 30%\n")
        .contains("log_file = /var/log/a%b.log\n");
  }
}
