package net.anycast.healthchecker.override;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Changes of the spool directory from the kernel (a {@link WatchService}, inotify on Linux), on
 * one daemon platform thread named {@code spool-watcher}.
 *
 * <p>A watch follows an inode, not a path: when the directory is removed the key goes invalid,
 * and when it is replaced (removed and created again, or renamed over) the key would silently
 * watch the old inode. So at least every {@link #RECHECK} the thread checks the key and the
 * directory's file key and registers again. Events are only a hint to rescan; the watcher also
 * rescans on a timer, which covers whatever this misses (an overflow, the moments before a
 * directory created later is registered).
 */
final class InotifyEvents implements DirectoryEvents {
  private static final Logger LOG = LoggerFactory.getLogger(InotifyEvents.class);
  static final Duration RECHECK = Duration.ofSeconds(1);
  private static final Duration JOIN = Duration.ofSeconds(2);

  private final Path dir;
  private volatile boolean closed;
  private WatchService service; // set by start
  private Thread thread;
  private WatchKey key; // the watch thread's only, after start
  private Object fileKey;

  InotifyEvents(Path dir) {
    this.dir = dir;
  }

  @Override
  public synchronized void start(Runnable onChange) {
    try {
      service = dir.getFileSystem().newWatchService();
    } catch (IOException e) {
      LOG.warn("cannot watch spool directory {} for changes ({}); rescanning it every second only",
          dir, e.toString());
      return;
    }
    register(); // before the caller's first read, so no change after that read goes unseen
    thread = Thread.ofPlatform().name("spool-watcher").daemon().unstarted(() -> run(onChange));
    thread.start();
  }

  private void run(Runnable onChange) {
    while (!closed) {
      try {
        WatchKey k = service.poll(RECHECK.toMillis(), TimeUnit.MILLISECONDS);
        boolean changed = false;
        for (; k != null; k = service.poll()) {
          k.pollEvents(); // which events does not matter: any of them, OVERFLOW too, means rescan
          k.reset();
          changed = true;
        }
        if (!watching()) {
          changed |= register();
        }
        if (changed && !closed) {
          onChange.run();
        }
      } catch (ClosedWatchServiceException | InterruptedException e) {
        return; // closed
      } catch (RuntimeException e) {
        // Never let the thread die: the daemon depends on it for the rest of its life.
        LOG.warn("spool directory watch of {} failed; carrying on", dir, e);
      }
    }
  }

  /** Returns whether the key watches the directory now at the path. */
  private boolean watching() {
    return key != null && key.isValid() && Objects.equals(fileKey, currentFileKey());
  }

  /** Watches the directory now at the path; returns whether it could. */
  private boolean register() {
    if (key != null) {
      key.cancel();
      key = null;
    }
    try {
      Object before = currentFileKey();
      if (before == null) {
        return false; // no directory (yet); the next recheck tries again
      }
      key = dir.register(service, StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
      fileKey = before;
      return true;
    } catch (IOException e) {
      LOG.debug("cannot watch spool directory {} yet: {}", dir, e.toString());
      return false;
    }
  }

  private Object currentFileKey() {
    try {
      BasicFileAttributes attrs = Files.readAttributes(dir, BasicFileAttributes.class);
      return attrs.isDirectory() ? attrs.fileKey() : null;
    } catch (IOException e) {
      return null;
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    if (service == null) {
      return;
    }
    try {
      service.close(); // wakes the thread's poll
    } catch (IOException e) {
      LOG.debug("closing the watch of {}: {}", dir, e.toString());
    }
    if (thread != null) {
      try {
        if (!thread.join(JOIN)) {
          LOG.warn("spool-watcher thread did not stop within {}", JOIN);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
