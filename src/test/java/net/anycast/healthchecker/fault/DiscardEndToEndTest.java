package net.anycast.healthchecker.fault;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import net.anycast.healthchecker.bird.PrefixFile;
import net.anycast.healthchecker.bird.PrefixFileStore;
import net.anycast.healthchecker.files.RenameOrdering;
import net.anycast.healthchecker.net.IpPrefix;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A prefix file on a real ext4 mounted with {@code discard}: a 64 MiB image on a loop device,
 * made and mounted by the test (root). On an ext4 without a journal (as the test VM's root is)
 * freeing a file's blocks discards them inside the call that frees them, and the disk's discards
 * took 44–318 ms now and then: the rename over the old version must not be that call. The loop
 * device's own count of discards tells which call it was.
 */
@Tag("e2e")
@Timeout(120)
class DiscardEndToEndTest {
  private static final IpPrefix DUMMY = IpPrefix.parse("10.189.200.255/32");

  @TempDir Path dir;

  /** An ext4 on a loop device, mounted with {@code discard}; gone again at close. */
  private record Ext4(Path mnt, String loop) implements AutoCloseable {
    static Ext4 make(Path dir, boolean journal) throws Exception {
      Path image = dir.resolve(journal ? "journal.img" : "nojournal.img");
      try (RandomAccessFile f = new RandomAccessFile(image.toFile(), "rw")) {
        f.setLength(64L << 20);
      }
      RootCommands.run("mkfs.ext4", "-q", "-F", "-O", journal ? "has_journal" : "^has_journal",
          image.toString());
      String loop = RootCommands.run("losetup", "-f", "--show", image.toString());
      Path mnt = Files.createDirectories(dir.resolve(journal ? "j" : "nj"));
      try {
        RootCommands.run("mount", "-o", "discard", loop, mnt.toString());
      } catch (IOException e) {
        RootCommands.run("losetup", "-d", loop);
        throw e;
      }
      return new Ext4(mnt, loop);
    }

    /** Discards the device has completed (field 12 of its stat). */
    long discards() throws IOException {
      String name = Path.of(loop).getFileName().toString();
      return Long.parseLong(
          Files.readString(Path.of("/sys/block", name, "stat")).strip().split("\\s+")[11]);
    }

    @Override
    public void close() throws Exception {
      try {
        RootCommands.run("umount", mnt.toString());
      } finally {
        RootCommands.run("losetup", "-d", loop);
      }
    }
  }

  private static PrefixFile version(int n) {
    return PrefixFile.of("ACAST_PS_ADVERTISE", DUMMY,
        List.of(IpPrefix.parse("10.2.0." + n + "/32")));
  }

  @Test
  void theRenameFreesNothing_theReplacedVersionIsDiscardedAfterSync() throws Exception {
    try (Ext4 fs = Ext4.make(dir, false)) {
      PrefixFileStore store =
          new PrefixFileStore(fs.mnt().resolve("anycast-prefixes.conf"), false, 1, Clock.systemUTC());
      store.write(version(1));
      store.sync();
      for (int n = 2; n <= 6; n++) {
        long before = fs.discards();
        assertThat(store.write(version(n))).isTrue();
        assertThat(fs.discards()).as("discards during write %d", n).isEqualTo(before);
        store.sync();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (fs.discards() == before && System.nanoTime() < deadline) {
          Thread.sleep(5);
        }
        assertThat(fs.discards()).as("discards once version %d was synced", n)
            .isGreaterThan(before); // the old version's blocks, let go of by the aftercare
        assertThat(store.read()).get().asString().contains("10.2.0." + n + "/32");
      }
      store.close();
    }
  }

  @Test
  void onlyAnExt4WithAJournal_commitsARenameWithItsData() throws Exception {
    try (Ext4 plain = Ext4.make(dir, false); Ext4 journaled = Ext4.make(dir, true)) {
      assertThat(RenameOrdering.carriesData(plain.mnt())).isFalse();
      assertThat(RenameOrdering.carriesData(journaled.mnt())).isTrue();
    }
  }
}
