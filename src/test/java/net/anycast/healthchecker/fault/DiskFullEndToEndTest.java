package net.anycast.healthchecker.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.IntStream;
import net.anycast.healthchecker.bird.PrefixFile;
import net.anycast.healthchecker.bird.PrefixFileStore;
import net.anycast.healthchecker.net.IpPrefix;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A full disk, made real: a 64 KiB tmpfs mounted by the test (root), filled up. A write that
 * does not fit fails, leaves the old file complete and no temp file behind, and the next write
 * after space came back succeeds.
 */
@Tag("e2e")
@Timeout(120)
class DiskFullEndToEndTest {
  @TempDir Path dir;

  @Test
  void diskFull_writeFails_oldFileStaysComplete_convergesOnceSpaceIsBack() throws Exception {
    Path mnt = Files.createDirectories(dir.resolve("mnt"));
    RootCommands.run("mount", "-t", "tmpfs", "-o", "size=64k", "ahc-test-full", mnt.toString());
    Path conf = mnt.resolve("anycast-prefixes.conf");
    // Closed before the unmount: the store holds the version a write replaced until then.
    try (PrefixFileStore store = new PrefixFileStore(conf, false, 128, Clock.systemUTC())) {
      IpPrefix dummy = IpPrefix.parse("10.189.200.255/32");
      store.write(PrefixFile.of("ACAST_PS_ADVERTISE", dummy, List.of(IpPrefix.parse("10.0.0.1/32"))));
      String before = Files.readString(conf);
      Path filler = mnt.resolve("filler");
      try (var out = Files.newOutputStream(filler)) {
        byte[] block = new byte[1024];
        for (int i = 0; i < 1024; i++) {
          out.write(block); // ENOSPC ends it
        }
      } catch (IOException full) {
        // the disk is full now
      }
      List<IpPrefix> many = IntStream.range(0, 2000)
          .mapToObj(i -> IpPrefix.parse("10.1." + (i / 250) + "." + (i % 250 + 1) + "/32")).toList();
      PrefixFile big = PrefixFile.of("ACAST_PS_ADVERTISE", dummy, many);
      assertThatThrownBy(() -> store.write(big)).isInstanceOf(IOException.class)
          .hasMessageContaining("No space left");
      assertThat(Files.readString(conf)).isEqualTo(before);
      try (var s = Files.list(mnt)) {
        assertThat(s.map(p -> p.getFileName().toString()))
            .containsExactlyInAnyOrder("anycast-prefixes.conf", "filler");
      }
      Files.delete(filler);
      assertThat(store.write(big)).isTrue();
      assertThat(PrefixFile.parse(Files.readString(conf)).prefixes()).hasSize(2001);
    } finally {
      RootCommands.run("umount", mnt.toString());
    }
  }
}
