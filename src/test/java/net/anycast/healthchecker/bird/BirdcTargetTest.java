package net.anycast.healthchecker.bird;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Optional;
import net.anycast.healthchecker.process.Shlex;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Which control socket a reconfigure command talks to, as a table. */
class BirdcTargetTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', nullValues = "none", value = {
      "sudo /usr/sbin/birdc configure          | /run/bird/bird.ctl",
      "/usr/sbin/birdc configure               | /run/bird/bird.ctl",
      "sudo -n /usr/sbin/birdc6 configure      | /run/bird/bird6.ctl",
      "sudo -u bird birdcl configure           | /run/bird/bird.ctl",
      "birdc -s /srv/b/bird.ctl configure      | /srv/b/bird.ctl",
      "birdc -r -s /srv/b/bird.ctl configure   | /srv/b/bird.ctl",
      "birdc -s/srv/b/bird.ctl configure       | /srv/b/bird.ctl",
      "birdc -l configure                      | none",
      "/usr/local/bin/reconfigure-bird         | none",
      "sudo /usr/local/bin/birdc-wrapper configure | none",
  })
  void of_readsTheSocketFromTheCommandLine(String command, String socket) {
    assertThat(BirdcTarget.of(Shlex.split(command.strip())))
        .isEqualTo(Optional.ofNullable(socket).map(String::strip).map(Path::of));
  }
}
