package net.anycast.healthchecker.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A daemon started with SIGHUP ignored (nohup) still reloads on SIGHUP: a JVM started by a shell
 * that ignores it installs the handler anyway (before, the JVM refused and SIGHUP did nothing).
 */
class SignalsNohupTest {
  /** The child: installs the handlers, says "ready", prints "reload" on each SIGHUP. */
  public static void main(String[] args) throws Exception {
    Signals.install(s -> System.exit(0), s -> System.exit(0), () -> {},
        () -> System.out.println("reload"));
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(20_000); // bounded: the test kills it long before
    System.exit(3);
  }

  @Test
  void startedWithSighupIgnored_sighupStillReaches_theReloadHandler() throws Exception {
    String java = ProcessHandle.current().info().command().orElse("java");
    String cp = System.getProperty("java.class.path");
    Process p = new ProcessBuilder(List.of("sh", "-c", "trap '' HUP; exec \"$0\" \"$@\"", java,
        "--enable-native-access=ALL-UNNAMED", "-cp", cp, SignalsNohupTest.class.getName()))
        .redirectErrorStream(true).start();
    try (BufferedReader out = new BufferedReader(
        new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null && !line.equals("ready")) {
        // log lines before it
      }
      assertThat(line).isEqualTo("ready");
      new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor();
      while ((line = out.readLine()) != null && !line.equals("reload")) {
        // log lines
      }
      assertThat(line).as("the child printed 'reload' on SIGHUP").isEqualTo("reload");
    } finally {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
