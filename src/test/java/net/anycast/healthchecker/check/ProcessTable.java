package net.anycast.healthchecker.check;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Reads /proc to find processes left behind in process groups a test created. */
final class ProcessTable {
  private ProcessTable() {}

  /** One line of /proc/PID/stat, the fields tests need. */
  record Entry(long pid, char state, long ppid, long pgid, String comm) {
    boolean zombie() {
      return state == 'Z';
    }
  }

  /** Returns every process (zombies too) whose process group is one of {@code pgids}. */
  static List<Entry> inGroups(Set<Long> pgids) throws IOException {
    List<Entry> out = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(Path.of("/proc"))) {
      for (Path dir : dirs.toList()) {
        String name = dir.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        Entry e = read(dir.resolve("stat"));
        if (e != null && pgids.contains(e.pgid())) {
          out.add(e);
        }
      }
    }
    return out;
  }

  /** Returns the entry of one pid, or null when it is gone. */
  static Entry of(long pid) {
    return read(Path.of("/proc", Long.toString(pid), "stat"));
  }

  private static Entry read(Path stat) {
    String text;
    try {
      text = Files.readString(stat);
    } catch (IOException e) {
      return null; // exited while we looked
    }
    int open = text.indexOf('(');
    int close = text.lastIndexOf(')');
    String[] f = text.substring(close + 2).split(" ");
    return new Entry(
        Long.parseLong(text.substring(0, open - 1)),
        f[0].charAt(0),
        Long.parseLong(f[1]),
        Long.parseLong(f[2]),
        text.substring(open + 1, close));
  }
}
