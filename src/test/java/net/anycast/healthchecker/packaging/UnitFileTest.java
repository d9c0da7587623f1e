package net.anycast.healthchecker.packaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnitFileTest {
  @Test
  void unit_isNotifyWithWatchdog_unprivileged_reloadsThroughTheCommand_stopsWithSigterm() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("packaging/anycast-healthchecker.service"));
    assertThat(lines)
        .contains("Type=notify", "NotifyAccess=main", "WatchdogSec=30s", "Restart=on-failure",
            "User=healthchecker", "Group=healthchecker", "KillSignal=SIGTERM", "KillMode=mixed",
            "WantedBy=multi-user.target")
        .anyMatch(l -> l.startsWith("ExecStart=/usr/bin/anycast-healthchecker "))
        .contains("ExecReload=/usr/bin/anycast-healthchecker -f /etc/anycast-healthchecker.conf"
            + " reload");
    assertThat(lines).noneMatch(l -> l.startsWith("User=root"));
  }

  @Test
  void tmpfiles_createsThePidfileDirectoryOfTheDefaults() throws Exception {
    assertThat(Files.readAllLines(Path.of("packaging/tmpfiles.conf")))
        .contains("d /run/anycast-healthchecker 0755 healthchecker healthchecker -");
  }
}
