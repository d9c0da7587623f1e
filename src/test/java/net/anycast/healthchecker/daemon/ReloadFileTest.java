package net.anycast.healthchecker.daemon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReloadFileTest {
  @TempDir Path dir;

  @Test
  void writeThenRead_givesTheSameOutcome_listsAndAll() throws Exception {
    ReloadOutcome outcome = new ReloadOutcome("SIGHUP", Instant.parse("2026-11-22T10:00:00.123456Z"),
        Instant.parse("2026-11-22T10:00:00.2Z"), ReloadOutcome.Result.APPLIED,
        "services: 1 added, 2 unchanged; 1 setting needs a restart", List.of(),
        List.of("/etc/a.conf: [daemon] pidfile = '/x': needs a restart; the running daemon"
            + " keeps '/y'"),
        List.of("added b", "changed [daemon] loglevel from 'info' to 'debug'"));
    Path file = ReloadFile.besidePidfile(dir.resolve("anycast-healthchecker.pid"));
    assertThat(file.getFileName()).hasToString("anycast-healthchecker.reload");

    ReloadFile.write(file, new ReloadFile.Entry(4242, outcome));
    assertThat(ReloadFile.read(file)).contains(new ReloadFile.Entry(4242, outcome));

    ReloadOutcome invalid = new ReloadOutcome("api", outcome.started(), outcome.finished(),
        ReloadOutcome.Result.INVALID, "Invalid configuration: 1 error; nothing changed",
        List.of("/etc/d/x.conf: [x] check_rise = 'two': not an integer; expected a whole"
            + " number from 1 to 1000000"), List.of(), List.of());
    ReloadFile.write(file, new ReloadFile.Entry(7, invalid));
    assertThat(ReloadFile.read(file)).contains(new ReloadFile.Entry(7, invalid));
  }

  @Test
  void missingFile_empty_garbage_namesTheLine() throws Exception {
    assertThat(ReloadFile.read(dir.resolve("none.reload"))).isEmpty();
    assertThatThrownBy(() -> ReloadFile.parse("format=1\npid=1\nwhat=ever\n"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("line 3 not understood: what=ever");
  }
}
