package net.anycast.healthchecker.monitor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import net.anycast.healthchecker.files.Symlinks;
import net.anycast.healthchecker.files.TempFile;
import net.anycast.healthchecker.daemon.LoopProgress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The status file, beside the pidfile ({@code anycast-healthchecker.status}), replaced whole every
 * few seconds. Plain text, one fact per line, so an operator can read it too:
 *
 * <pre>
 * # anycast-healthchecker status file
 * format=1
 * pid=4242
 * written=2026-11-22T10:00:00.123Z
 * interval_ms=5000
 * progress&lt;TAB&gt;2026-11-22T09:59:58.001Z&lt;TAB&gt;34000&lt;TAB&gt;foo.bar.com
 * progress&lt;TAB&gt;2026-11-22T10:00:00.100Z&lt;TAB&gt;60000&lt;TAB&gt;reconciler
 * service&lt;TAB&gt;up&lt;TAB&gt;foo.bar.com
 * bird&lt;TAB&gt;IPv4&lt;TAB&gt;in-sync&lt;TAB&gt;
 * </pre>
 *
 * A progress line gives the loop's last progress, its allowed gap in milliseconds and its name
 * last (a section name may hold any character but a newline). A service line gives the health
 * the reconcilers decide from; a bird line whether the family's file and BIRD match what is
 * wanted ({@code in-sync}, {@code pending} or {@code failing}) and the last error. The
 * {@code status} command reads them; {@code --monitor} reads the progress lines.
 */
public final class StatusFile {
  private static final Logger LOG = LoggerFactory.getLogger(StatusFile.class);
  private static final int FORMAT = 1;

  private StatusFile() {}

  /**
   * What the file holds.
   *
   * @param interval how often the daemon replaces the file
   * @param notices what the operator should know of the daemon itself (one line each), such as
   *     checks started the slow way
   */
  public record Status(long pid, Instant written, Duration interval, List<LoopProgress> loops,
      List<ServiceLine> services, List<BirdLine> bird, List<String> notices) {
    public Status {
      Objects.requireNonNull(written, "written");
      Objects.requireNonNull(interval, "interval");
      loops = List.copyOf(loops);
      services = List.copyOf(services);
      bird = List.copyOf(bird);
      notices = List.copyOf(notices);
    }

    /** A status with progress lines only. */
    public Status(long pid, Instant written, Duration interval, List<LoopProgress> loops) {
      this(pid, written, interval, loops, List.of(), List.of(), List.of());
    }
  }

  /** One service's health ({@code up}, {@code down}, {@code unknown}, {@code disabled}). */
  public record ServiceLine(String name, String health) {}

  /**
   * One family's reconciler.
   *
   * @param state {@code in-sync}, {@code pending} or {@code failing}
   * @param error the last error, empty when none
   */
  public record BirdLine(String family, String state, String error) {}

  /** What the daemon knows now, besides loop progress. */
  public record Facts(List<LoopProgress> loops, List<ServiceLine> services, List<BirdLine> bird,
      List<String> notices) {}

  /** Returns the status file for a pidfile: same directory, {@code .pid} replaced by {@code .status}. */
  public static Path besidePidfile(Path pidfile) {
    String name = pidfile.getFileName().toString();
    String base = name.endsWith(".pid") ? name.substring(0, name.length() - 4) : name;
    return pidfile.resolveSibling(base + ".status");
  }

  /** Returns the file's text for {@code status}. */
  public static String render(Status status) {
    StringBuilder out = new StringBuilder("# anycast-healthchecker status file\n")
        .append("format=").append(FORMAT).append('\n')
        .append("pid=").append(status.pid()).append('\n')
        .append("written=").append(status.written()).append('\n')
        .append("interval_ms=").append(status.interval().toMillis()).append('\n');
    for (LoopProgress loop : status.loops()) {
      out.append("progress\t").append(loop.lastProgress()).append('\t')
          .append(loop.allowedGap().toMillis()).append('\t')
          .append(loop.name().replace('\n', ' ')).append('\n');
    }
    for (ServiceLine svc : status.services()) {
      out.append("service\t").append(svc.health()).append('\t')
          .append(svc.name().replace('\n', ' ')).append('\n');
    }
    for (BirdLine b : status.bird()) {
      out.append("bird\t").append(b.family()).append('\t').append(b.state()).append('\t')
          .append(b.error().replace('\n', ' ').replace('\t', ' ')).append('\n');
    }
    for (String notice : status.notices()) {
      out.append("notice\t").append(notice.replace('\n', ' ')).append('\n');
    }
    return out.toString();
  }

  /**
   * Returns the status in {@code text}.
   *
   * @throws IllegalArgumentException naming the first line that is not understood
   */
  public static Status parse(String text) {
    Long pid = null;
    Instant written = null;
    Duration interval = null;
    List<LoopProgress> loops = new ArrayList<>();
    List<ServiceLine> services = new ArrayList<>();
    List<BirdLine> bird = new ArrayList<>();
    List<String> notices = new ArrayList<>();
    int n = 0;
    for (String line : text.lines().toList()) {
      n++;
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      try {
        if (line.startsWith("progress\t")) {
          String[] f = line.split("\t", 4);
          loops.add(new LoopProgress(f[3], Instant.parse(f[1]), Duration.ofMillis(Long.parseLong(f[2]))));
        } else if (line.startsWith("service\t")) {
          String[] f = line.split("\t", 3);
          services.add(new ServiceLine(f[2], f[1]));
        } else if (line.startsWith("bird\t")) {
          String[] f = line.split("\t", 4);
          bird.add(new BirdLine(f[1], f[2], f.length > 3 ? f[3] : ""));
        } else if (line.startsWith("notice\t")) {
          notices.add(line.substring(7));
        } else if (line.startsWith("pid=")) {
          pid = Long.parseLong(line.substring(4));
        } else if (line.startsWith("written=")) {
          written = Instant.parse(line.substring(8));
        } else if (line.startsWith("interval_ms=")) {
          interval = Duration.ofMillis(Long.parseLong(line.substring(12)));
        } else if (line.startsWith("format=")) {
          if (Integer.parseInt(line.substring(7)) != FORMAT) {
            throw new IllegalArgumentException("unsupported format " + line.substring(7));
          }
        } else {
          throw new IllegalArgumentException("unknown key");
        }
      } catch (RuntimeException e) {
        // ArrayIndexOutOfBounds, NumberFormat, DateTimeParse, IllegalArgument alike: a bad line.
        throw new IllegalArgumentException("line " + n + " not understood: " + line, e);
      }
    }
    if (pid == null || written == null || interval == null) {
      throw new IllegalArgumentException("pid, written or interval_ms missing");
    }
    return new Status(pid, written, interval, loops, services, bird, notices);
  }

  /**
   * Replaces {@code file} with {@code status}: temp file in the same directory, then rename.
   *
   * @throws IOException also when {@code file} is a symlink (see {@link Symlinks#REFUSE})
   */
  public static void write(Path file, Status status) throws IOException {
    Path target = Symlinks.REFUSE.target(file);
    try (TempFile tmp = TempFile.beside(target)) {
      tmp.write(render(status).getBytes(StandardCharsets.UTF_8));
      tmp.renameOver(target);
    }
  }

  /**
   * Writes the file now and every {@code interval} with what {@code facts} says then; a failed
   * write is logged and retried at the next interval. {@link Writer#soon()} asks for an extra
   * write (a health or drain changed), coalesced so a burst costs one.
   */
  public static Writer schedule(ScheduledExecutorService scheduler, Path file,
      Duration interval, Supplier<Facts> facts, InstantSource clock) {
    Writer w = new Writer(scheduler, file, interval, facts, clock);
    scheduler.scheduleAtFixedRate(w::write, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
    return w;
  }

  /** Writes the status file on a schedule and soon after a change. */
  public static final class Writer {
    private static final Duration COALESCE = Duration.ofMillis(100);
    private final ScheduledExecutorService scheduler;
    private final Path file;
    private final Duration interval;
    private final Supplier<Facts> facts;
    private final InstantSource clock;
    private final long pid = ProcessHandle.current().pid();
    private final AtomicBoolean pending = new AtomicBoolean();

    private Writer(ScheduledExecutorService scheduler, Path file, Duration interval,
        Supplier<Facts> facts, InstantSource clock) {
      this.scheduler = scheduler;
      this.file = file;
      this.interval = interval;
      this.facts = facts;
      this.clock = clock;
    }

    /** Asks for a write within about 100 ms; cheap to call often. */
    public void soon() {
      if (pending.compareAndSet(false, true)) {
        try {
          scheduler.schedule(() -> {
            pending.set(false);
            write();
          }, COALESCE.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
          pending.set(false); // shutting down
        }
      }
    }

    private void write() {
      try {
        Facts f = facts.get();
        StatusFile.write(file,
            new Status(pid, clock.instant(), interval, f.loops(), f.services(), f.bird(),
                f.notices()));
      } catch (IOException | RuntimeException e) {
        LOG.warn("failed to write status file {}: {}", file, e.toString());
      }
    }
  }

  /** Removes the file on clean shutdown, so the check does not read a dead daemon's status. */
  public static void remove(Path file) throws IOException {
    Files.deleteIfExists(file);
  }

  /** Returns the status in {@code file}. */
  public static Status read(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8));
  }
}
