package net.anycast.healthchecker.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Whether a filesystem commits a rename over an existing file only together with the new file's
 * data, so that a power cut after the rename leaves the old or the new content and never an
 * empty file, even when the new file was not fsynced before the rename.
 *
 * <p>ext4 promises this in its documentation ({@code auto_da_alloc}, on by default): it detects
 * replace-via-rename and, in the default {@code data=ordered} mode (and in {@code data=journal}),
 * forces the new file's blocks to disk before the rename's journal commit. It does not hold with
 * {@code noauto_da_alloc} or {@code data=writeback}, nor on filesystems that promise nothing of
 * the kind (XFS, for one). tmpfs loses everything on a power cut anyway, so it has nothing to
 * order. Where the rename carries the data, a writer may fsync after telling a reader instead of
 * before, and keep the "old or new, never a mix" rule across a power cut.
 *
 * <p>The ordering is the journal's: an ext4 made without one ({@code mkfs.ext4 -O ^has_journal},
 * as some VM images are) still starts writing the new data at the rename, but nothing keeps the
 * directory's block from reaching the disk first. Such a filesystem shows no journal thread in
 * {@code /sys/fs/ext4/DEVICE/journal_task} ({@code <none>}), which is read through the mount's
 * device number ({@code /sys/dev/block/MAJ:MIN}); a filesystem whose journal cannot be confirmed
 * that way counts as one without.
 *
 * <p>Read from {@code /proc/self/mountinfo}; no library exposes a mount's options.
 */
public final class RenameOrdering {
  private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");
  private static final Path SYS = Path.of("/sys");

  private RenameOrdering() {}

  /** One line of mountinfo: where, the device ({@code MAJ:MIN}), type and own options. */
  record Mount(String point, String device, String type, String superOptions) {}

  /**
   * Returns whether a rename over an existing file in {@code dir} commits the new data with it;
   * false when that cannot be told (no mountinfo, an unreadable directory).
   */
  public static boolean carriesData(Path dir) {
    return carriesData(dir, MOUNTINFO, SYS);
  }

  /** As above, with {@code /proc/self/mountinfo} and {@code /sys} elsewhere (for tests). */
  static boolean carriesData(Path dir, Path mountinfo, Path sys) {
    try {
      String real = dir.toRealPath().toString();
      return mountOf(real, Files.readAllLines(mountinfo))
          .map(m -> carriesData(m.type(), m.superOptions()) && hasJournal(sys, m.device()))
          .orElse(false);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Returns whether the ext4 on block device {@code device} ({@code MAJ:MIN}) has a journal: its
   * {@code journal_task} names a thread. False when that cannot be read.
   */
  static boolean hasJournal(Path sys, String device) {
    try {
      String name = sys.resolve("dev/block").resolve(device).toRealPath().getFileName().toString();
      String task = Files.readString(sys.resolve("fs/ext4").resolve(name).resolve("journal_task"))
          .strip();
      return !task.isEmpty() && !task.equals("<none>");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /**
   * Returns whether a filesystem of {@code type} mounted with {@code superOptions} orders it, given
   * a journal.
   */
  static boolean carriesData(String type, String superOptions) {
    if (!type.equals("ext4")) {
      return false;
    }
    List<String> options = List.of(superOptions.split(","));
    return !options.contains("noauto_da_alloc") && !options.contains("data=writeback");
  }

  /**
   * Returns the mount that holds {@code realPath}: the longest mount point that is a prefix of
   * it, the last listed when several are stacked on one point (the one on top).
   */
  static Optional<Mount> mountOf(String realPath, List<String> mountinfo) {
    Mount best = null;
    for (String line : mountinfo) {
      Optional<Mount> m = parse(line);
      if (m.isEmpty() || !contains(m.get().point(), realPath)) {
        continue;
      }
      if (best == null || m.get().point().length() >= best.point().length()) {
        best = m.get();
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Parses {@code ID PARENT MAJ:MIN ROOT POINT OPTIONS [OPTIONAL…] - TYPE SOURCE SUPER}; the
   * mount point has spaces and the like escaped as octal ({@code \040}).
   */
  static Optional<Mount> parse(String line) {
    String[] f = line.split(" ");
    int dash = List.of(f).indexOf("-");
    if (f.length < 6 || dash < 6 || f.length < dash + 4) {
      return Optional.empty();
    }
    return Optional.of(new Mount(unescape(f[4]), f[2], f[dash + 1], f[dash + 3]));
  }

  private static boolean contains(String point, String path) {
    return point.equals("/") || path.equals(point) || path.startsWith(point + "/");
  }

  private static String unescape(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).chars()
          .allMatch(d -> d >= '0' && d <= '7')) {
        b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
        i += 3;
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }
}
