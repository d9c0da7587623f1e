package net.anycast.healthchecker.override;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class SpoolDirectoryTest {
  private static final Instant T = Instant.parse("2025-12-02T04:33:20.125Z");

  @TempDir Path tmp;
  private final List<String> warnings = new ArrayList<>();

  private SpoolDirectory spool() {
    return new SpoolDirectory(tmp.resolve("spool"));
  }

  private Drains read(SpoolDirectory spool) {
    return spool.read(Drains.none(), warnings::add);
  }

  private List<String> filesIn(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void write_thenRead_roundTrips_andLeavesNoTempFile() throws IOException {
    SpoolDirectory spool = spool();
    Drain a = Drain.of("svc:8080", "deploy \u00e9").withExpiration(T.plusSeconds(60)).withCreation(T);
    Drain b = Drain.of("all", "");
    assertThat(spool.write(a)).isEqualTo(a);
    spool.write(b);
    assertThat(read(spool)).isEqualTo(Drains.of(List.of(a, b)));
    assertThat(filesIn(spool.path())).containsExactly("all", "svc:8080");
    assertThat(warnings).isEmpty();
  }

  @Test
  void write_missingDirectory_createsItWithMode0750() throws IOException {
    SpoolDirectory spool = new SpoolDirectory(tmp.resolve("var/spool/hacheck"));
    spool.write(Drain.of("svc", "x"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(spool.path())))
        .isEqualTo("rwxr-x---");
  }

  @Test
  void write_sameReason_keepsCreation_newReason_takesNewCreation() throws IOException {
    SpoolDirectory spool = spool();
    spool.write(Drain.of("svc", "deploy").withCreation(T).withExpiration(T.plusSeconds(60)));

    Drain refreshed = spool.write(
        Drain.of("svc", "deploy").withCreation(T.plusSeconds(30)).withExpiration(T.plusSeconds(90)));
    assertThat(refreshed.creation()).contains(T);
    assertThat(refreshed.expiration()).contains(T.plusSeconds(90));
    assertThat(read(spool).byName("svc")).contains(refreshed);

    Drain other = spool.write(Drain.of("svc", "incident").withCreation(T.plusSeconds(40)));
    assertThat(other.creation()).contains(T.plusSeconds(40));
    assertThat(read(spool).byName("svc")).contains(other);
  }

  @Test
  void remove_deletes_andSaysWhetherThereWasAFile() throws IOException {
    SpoolDirectory spool = spool();
    spool.write(Drain.of("svc", "x"));
    assertThat(spool.remove("svc")).isTrue();
    assertThat(spool.remove("svc")).isFalse();
    assertThat(read(spool)).isEqualTo(Drains.none());
    assertThatThrownBy(() -> spool.remove("../x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void read_legacyEchoFile_isHonoured() throws IOException {
    SpoolDirectory spool = spool();
    Files.createDirectories(spool.path());
    Files.writeString(spool.path().resolve("svc"), "maintenance\n"); // echo "maintenance" > svc
    assertThat(read(spool)).isEqualTo(Drains.of(List.of(Drain.of("svc", "maintenance"))));
  }

  @Test
  void read_skipsHiddenFilesAndDirectories() throws IOException {
    SpoolDirectory spool = spool();
    Files.createDirectories(spool.path().resolve("subdir"));
    Files.writeString(spool.path().resolve(".svc.tmp-abc"), "{\"reason\": \"half");
    Files.writeString(spool.path().resolve(".hidden"), "x");
    Files.writeString(spool.path().resolve("svc"), "");
    assertThat(read(spool)).isEqualTo(Drains.of(List.of(Drain.of("svc", ""))));
    assertThat(warnings).isEmpty();
  }

  @Test
  void read_incompleteJson_keepsThePreviousEntry() throws IOException {
    SpoolDirectory spool = spool();
    Drain before = spool.write(Drain.of("svc", "deploy").withExpiration(T));
    Drains previous = read(spool);
    Files.writeString(spool.fileFor("svc"), "{\"reason\": \"fo"); // hacheck caught mid-write
    assertThat(spool.read(previous, warnings::add).byName("svc")).contains(before);
    assertThat(warnings).isEmpty();
  }

  @Test
  void read_incompleteJsonWithoutPrevious_isADrainWithItsText_andAWarning() throws IOException {
    SpoolDirectory spool = spool();
    Files.createDirectories(spool.path());
    Files.writeString(spool.fileFor("svc"), "{\"reason\": \"fo\n");
    assertThat(read(spool).byName("svc")).contains(Drain.of("svc", "{\"reason\": \"fo"));
    assertThat(warnings).containsExactly("spool file " + spool.fileFor("svc")
        + " is not a valid JSON object (control character in a string at offset 14); taking its text"
        + " as the reason");
  }

  @Test
  void read_missingDirectory_isNoDrains() {
    assertThat(spool().read(Drains.of(List.of(Drain.of("svc", "x"))), warnings::add))
        .isEqualTo(Drains.none());
    assertThat(warnings).isEmpty();
  }

  @Test
  void read_emptyFileAfterAKnownDrain_isARewriteInProgress_keepsPrevious() throws IOException {
    SpoolDirectory spool = spool();
    Drain before = spool.write(Drain.of("svc", "deploy"));
    Drains previous = read(spool);
    Files.writeString(spool.fileFor("svc"), "");
    assertThat(spool.read(previous, warnings::add).byName("svc")).contains(before);
    assertThat(spool.read(Drains.none(), warnings::add).byName("svc").orElseThrow().reason())
        .as("an empty file nobody knew is a drain without a reason, as in hacheck").isEmpty();
  }

  @Test
  void read_unreadableFile_keepsPrevious_elseDrains_andWarnsNamingIt() throws IOException {
    SpoolDirectory spool = spool();
    Drain before = spool.write(Drain.of("svc", "x"));
    Drains previous = read(spool);
    Path file = spool.fileFor("svc");
    // A regular file whose read fails even for root: this process's memory at address 0 (EIO).
    Files.delete(file);
    Files.createSymbolicLink(file, Path.of("/proc/self/mem"));
    assertThat(spool.read(previous, warnings::add).byName("svc")).contains(before);
    assertThat(spool.read(Drains.none(), warnings::add).byName("svc").orElseThrow().reason())
        .startsWith("unreadable spool file: ");
    assertThat(warnings).hasSize(2).allMatch(w -> w.startsWith("cannot read spool file " + file));
  }

  @Test
  void read_bigFile_readsOnlyTheFirst64KiB() throws IOException {
    SpoolDirectory spool = spool();
    Files.createDirectories(spool.path());
    Files.writeString(spool.fileFor("svc"), "x".repeat(SpoolDirectory.MAX_READ_BYTES + 10));
    assertThat(read(spool).byName("svc").orElseThrow().reason())
        .hasSize(SpoolDirectory.MAX_READ_BYTES);
  }

  @Test
  void removeIfUnchanged_keepsAFileThatSaysSomethingElse() throws IOException {
    SpoolDirectory spool = spool();
    Drain old = spool.write(Drain.of("svc", "old").withExpiration(T));
    spool.write(Drain.of("svc", "new").withExpiration(T.plusSeconds(600)));
    assertThat(spool.removeIfUnchanged(old)).isFalse();
    assertThat(Files.exists(spool.fileFor("svc"))).isTrue();
    Drain now = read(spool).byName("svc").orElseThrow();
    assertThat(spool.removeIfUnchanged(now)).isTrue();
    assertThat(spool.removeIfUnchanged(now)).isFalse();
  }

  @Test
  void write_leavesFileReadableByHacheck() throws IOException {
    SpoolDirectory spool = spool();
    spool.write(Drain.of("svc", "x").withExpiration(Instant.ofEpochSecond(1764650000, 500_000_000)));
    assertThat(Files.readString(spool.fileFor("svc"), StandardCharsets.UTF_8))
        .isEqualTo("{\"reason\": \"x\", \"expiration\": 1764650000.500, \"creation\": null}\n");
  }
}
