package net.anycast.healthchecker.metrics;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import net.anycast.healthchecker.files.Symlinks;
import net.anycast.healthchecker.files.TempFile;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code anycast_healthchecker.prom} into node_exporter's textfile-collector directory.
 * The collector may read at any moment, so the file is replaced whole: written to a temporary
 * file in the same directory (rename is atomic only within one filesystem), then renamed.
 */
public final class TextfileExporter {
  private static final Logger LOG = LoggerFactory.getLogger(TextfileExporter.class);

  /** The original's file name. */
  public static final String FILE_NAME = "anycast_healthchecker.prom";

  private final Metrics metrics;
  private final Path file;

  public TextfileExporter(Metrics metrics, Path textfileDir) {
    this.metrics = metrics;
    this.file = textfileDir.resolve(FILE_NAME);
  }

  /** Returns the path of the file it writes. */
  public Path file() {
    return file;
  }

  /** Writes the file once, atomically. */
  public void write() throws IOException {
    // The collector ignores files not ending in .prom, so a half-written temp is never read.
    // A symlink is refused: the original's rename replaced it and never wrote through it.
    Path target = Symlinks.REFUSE.target(file);
    try (TempFile tmp = TempFile.beside(target)) {
      OutputStream out = java.nio.channels.Channels.newOutputStream(tmp.channel());
      metrics.writeText(out);
      out.flush();
      tmp.renameOver(target);
    }
  }

  /**
   * Writes the file now and every {@code interval} ({@code prometheus_exporter_interval}); a
   * failed write is logged and retried at the next interval.
   */
  public ScheduledFuture<?> schedule(ScheduledExecutorService scheduler, Duration interval) {
    return scheduler.scheduleAtFixedRate(() -> {
      try {
        write();
      } catch (IOException | RuntimeException e) {
        LOG.warn("failed to write {}: {}", file, e.toString());
      }
    }, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
  }
}
