package net.anycast.healthchecker.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenameOrderingTest {
  @TempDir Path tmp;

  private static final List<String> MOUNTINFO = List.of(
      "22 27 0:21 / /proc rw,relatime - proc proc rw",
      "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard",
      "30 27 0:27 / /run rw,nosuid,nodev - tmpfs tmpfs rw,size=1024k,mode=755",
      "31 27 8:2 / /var shared:5 - xfs /dev/sda2 rw,attr2,inode64",
      "32 31 8:3 / /var/lib rw - ext4 /dev/sda3 rw,noauto_da_alloc",
      "33 27 8:4 / /srv/bird\\040conf rw - ext4 /dev/sda4 rw,data=writeback",
      "34 27 8:5 / /etc/bird rw - ext4 /dev/sda5 rw,data=journal",
      "35 34 8:6 / /etc/bird rw - btrfs /dev/sda6 rw,ssd");

  private static boolean carries(String path) {
    return RenameOrdering.mountOf(path, MOUNTINFO)
        .map(m -> RenameOrdering.carriesData(m.type(), m.superOptions()))
        .orElse(false);
  }

  @Test
  void ext4WithItsDefaults_carriesTheData() {
    assertThat(carries("/etc/bird.d")).isTrue(); // under /, not under /etc/bird
    assertThat(carries("/")).isTrue();
  }

  @Test
  void ext4WithoutAutoDaAlloc_orWithDataWriteback_doesNot() {
    assertThat(carries("/var/lib/anycast-healthchecker")).isFalse();
    assertThat(carries("/srv/bird conf")).isFalse(); // the mount point's space is \040
  }

  @Test
  void otherFilesystems_doNot() {
    assertThat(carries("/run/bird")).isFalse(); // tmpfs
    assertThat(carries("/var/tmp")).isFalse(); // xfs
    assertThat(carries("/etc/bird")).isFalse(); // btrfs stacked over the ext4 at the same point
  }

  @Test
  void aPathIsMatchedByWholeComponents() {
    assertThat(RenameOrdering.mountOf("/varnish", MOUNTINFO)).get()
        .extracting(RenameOrdering.Mount::point).isEqualTo("/");
    assertThat(RenameOrdering.mountOf("/var", MOUNTINFO)).get()
        .extracting(RenameOrdering.Mount::type).isEqualTo("xfs");
  }

  @Test
  void linesThatAreNotMountinfo_areSkipped() {
    assertThat(RenameOrdering.parse("")).isEmpty();
    assertThat(RenameOrdering.parse("27 1 254:0 / / rw,relatime ext4 /dev/vda rw")).isEmpty();
    assertThat(RenameOrdering.mountOf("/x", List.of("garbage", "1 2 3"))).isEmpty();
  }

  @Test
  void thisMachine_answersForAnExistingDirectory_andFalseForAMissingOne() {
    RenameOrdering.carriesData(Path.of(System.getProperty("java.io.tmpdir"))); // whatever it is
    assertThat(RenameOrdering.carriesData(Path.of("/nonexistent/dir"))).isFalse();
  }

  /** A /sys with block device {@code dev} named {@code name}, its ext4 journal thread {@code task}. */
  private Path sys(String dev, String name, String task) throws IOException {
    Path sys = tmp.resolve("sys");
    Path device = Files.createDirectories(sys.resolve("devices/virtual/block").resolve(name));
    Files.createDirectories(sys.resolve("dev/block"));
    Files.createSymbolicLink(sys.resolve("dev/block").resolve(dev), device);
    if (task != null) {
      Path fs = Files.createDirectories(sys.resolve("fs/ext4").resolve(name));
      Files.writeString(fs.resolve("journal_task"), task + "\n");
    }
    return sys;
  }

  @Test
  void anExt4WithAJournal_carriesTheData_oneWithoutDoesNot() throws IOException {
    assertThat(RenameOrdering.hasJournal(sys("254:0", "vda", "512"), "254:0")).isTrue();
    assertThat(RenameOrdering.hasJournal(tmp.resolve("sys"), "254:1")).isFalse(); // no device
  }

  @Test
  void anExt4WithoutAJournal_doesNot() throws IOException {
    assertThat(RenameOrdering.hasJournal(sys("254:0", "vda", "<none>"), "254:0")).isFalse();
  }

  @Test
  void anExt4WhoseJournalCannotBeRead_doesNot() throws IOException {
    assertThat(RenameOrdering.hasJournal(sys("254:0", "vda", null), "254:0")).isFalse();
  }

  @Test
  void carriesData_readsTheMountOfTheDirectory_andItsJournal() throws IOException {
    Path dir = Files.createDirectories(tmp.resolve("etc/bird"));
    Path mountinfo = Files.writeString(tmp.resolve("mountinfo"),
        "27 1 254:0 / / rw,relatime - ext4 /dev/root rw,discard\n");
    Path sys = sys("254:0", "vda", "512");
    assertThat(RenameOrdering.carriesData(dir, mountinfo, sys)).isTrue();
    Files.writeString(sys.resolve("fs/ext4/vda/journal_task"), "<none>\n");
    assertThat(RenameOrdering.carriesData(dir, mountinfo, sys)).isFalse();
  }

  @Test
  void theDeviceNumber_isRead() {
    assertThat(RenameOrdering.parse("31 27 8:2 / /var shared:5 - xfs /dev/sda2 rw")).get()
        .extracting(RenameOrdering.Mount::device).isEqualTo("8:2");
  }
}
