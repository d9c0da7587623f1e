package net.anycast.healthchecker.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.anycast.healthchecker.bird.BgpTestbed;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts daemon processes for one test; when the test fails, prints the end of every daemon's
 * log (the only account of what it did) and keeps the whole logs under
 * {@code target/daemon-e2e-logs/<class>.<test>/}; after the test SIGKILLs any still running.
 * Register it with {@code @RegisterExtension}.
 */
final class Daemons implements AfterTestExecutionCallback {
  private final List<DaemonProcess> started = new ArrayList<>();

  /** Starts a daemon on {@code setup}, logging to {@code daemon-<n>.log} in its directory. */
  DaemonProcess start(BgpTestbed t, DaemonSetup setup) throws IOException {
    return start(t, setup, Map.of());
  }

  /** Starts a daemon on {@code setup} with {@code env} added to its environment. */
  DaemonProcess start(BgpTestbed t, DaemonSetup setup, Map<String, String> env)
      throws IOException {
    Path log = setup.dir().resolve("daemon-" + (started.size() + 1) + ".log");
    DaemonProcess d = DaemonProcess.start(t, setup, log, env);
    started.add(d);
    return d;
  }

  @Override
  public void afterTestExecution(ExtensionContext context) throws Exception {
    if (context.getExecutionException().isPresent()) {
      Path keep = Path.of("target", "daemon-e2e-logs",
          context.getRequiredTestClass().getSimpleName() + "." + context.getDisplayName()
              .replaceAll("[^A-Za-z0-9_.-]", ""));
      for (DaemonProcess d : started) {
        System.err.println("===== " + d.logFile() + " (pid " + d.pid() + ", whole log in "
            + keep + ")");
        if (Files.exists(d.logFile())) {
          System.err.println(tail(d.log()));
          Files.createDirectories(keep);
          Files.copy(d.logFile(), keep.resolve(d.logFile().getFileName()),
              StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
    for (DaemonProcess d : started) {
      d.close();
    }
    started.clear();
  }

  private static String tail(String log) {
    List<String> lines = log.lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 300), lines.size()));
  }
}
