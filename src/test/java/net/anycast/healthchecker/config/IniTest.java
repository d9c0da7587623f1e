package net.anycast.healthchecker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The API around the parsing that {@link IniDifferentialTest} compares with Python. */
class IniTest {

  private static final Path FILE = Path.of("/etc/anycast-healthchecker.conf");

  @TempDir Path dir;

  private static Ini builtIn() {
    Map<String, String> defaults = new LinkedHashMap<>();
    defaults.put("interface", "lo");
    defaults.put("Check_Rise", "2");
    defaults.put("check_fail", "2");
    Map<String, String> daemon = new LinkedHashMap<>();
    daemon.put("ipv4", "true");
    daemon.put("pidfile", "/var/run/x.pid");
    Map<String, Map<String, String>> sections = new LinkedHashMap<>();
    sections.put("DEFAULT", defaults);
    sections.put("daemon", daemon);
    return Ini.withDefaults(sections);
  }

  private static Ini read(String text) throws IniException {
    Ini ini = Ini.withDefaults(Map.of());
    ini.read(text, FILE);
    return ini;
  }

  @Test
  void withDefaults_keepsOrder_lowerCasesKeys_andFeedsDefaultIntoEverySection() {
    Ini ini = builtIn();

    assertThat(ini.sections()).containsExactly("daemon");
    assertThat(ini.options("DEFAULT")).containsExactly("interface", "check_rise", "check_fail");
    assertThat(ini.options("daemon"))
        .containsExactly("ipv4", "pidfile", "interface", "check_rise", "check_fail");
    assertThat(ini.origin("daemon", "check_rise")).isEqualTo(Origin.BUILT_IN);
  }

  @Test
  void withDefaults_rejectsKeysDifferingOnlyInCase() {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("Key", "1");
    keys.put("key", "2");

    assertThatThrownBy(() -> Ini.withDefaults(Map.of("s", keys)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("option 'key' in section 's'");
  }

  @Test
  void withDefaults_rejectsALonePercentLikeConfigparserSet() {
    assertThatThrownBy(() -> Ini.withDefaults(Map.of("s", Map.of("k", "50%"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Ini.withDefaults(Map.of("s", Map.of("k", "50%% of %(x)s"))).raw("s", "k"))
        .isEqualTo("50%% of %(x)s");
  }

  @Test
  void read_fileSectionMergesIntoBuiltInSection_keepingBuiltInKeysFirst() throws Exception {
    Ini ini = builtIn();
    ini.read("[daemon]\nloglevel = info\nipv4 = false\n", FILE);

    assertThat(ini.options("daemon")).containsExactly(
        "ipv4", "pidfile", "loglevel", "interface", "check_rise", "check_fail");
    assertThat(ini.get("daemon", "ipv4")).isEqualTo("false");
    assertThat(ini.origin("daemon", "ipv4")).isEqualTo(new Origin(FILE, 3));
    assertThat(ini.origin("daemon", "pidfile")).isEqualTo(Origin.BUILT_IN);
  }

  @Test
  void origin_tracksTheFileAndLineOfTheEffectiveValueAcrossFiles() throws Exception {
    Path first = Files.writeString(dir.resolve("a.conf"), "[DEFAULT]\ncheck_rise = 5\n"
        + "[foo]\ncheck_cmd = /bin/true\n  --flag\nip_prefix = 10.0.0.1\n");
    Path second = Files.writeString(dir.resolve("b.conf"), "\n[foo]\nip_prefix = 10.0.0.2\n");
    Ini ini = builtIn();
    ini.read(first);
    ini.read(second);

    assertThat(ini.origin("foo", "check_cmd")).isEqualTo(new Origin(first, 4));
    assertThat(ini.origin("foo", "ip_prefix")).isEqualTo(new Origin(second, 3));
    assertThat(ini.origin("foo", "check_rise")).isEqualTo(new Origin(first, 2));
    assertThat(ini.origin("foo", "check_fail")).isEqualTo(Origin.BUILT_IN);
    assertThat(ini.origin("foo", "absent")).isNull();
    assertThat(ini.origin("foo", "check_rise")).hasToString(first + ":2");
    assertThat(Origin.BUILT_IN).hasToString("built-in defaults");
  }

  @Test
  void read_sameKeyInTwoFiles_laterValueWinsInFirstSeenPosition() throws Exception {
    Ini ini = read("[s]\na = 1\nb = 2\n");
    ini.read("[s]\nc = 3\na = 10\n", Path.of("second.conf"));

    assertThat(ini.items("s")).containsExactly(entry("a", "10"), entry("b", "2"), entry("c", "3"));
  }

  @Test
  void read_duplicateKeyWithinOneFile_namesKeySectionAndBothLines() {
    assertThatThrownBy(() -> read("[foo]\n\ncheck_rise = 1\ncheck_fail = 2\nCHECK_RISE = 3\n"))
        .isInstanceOfSatisfying(IniException.class, e -> {
          assertThat(e.getMessage()).isEqualTo(FILE + ", line 5: option 'check_rise' in section "
              + "'foo' already exists (first at line 3)");
          assertThat(e.section()).isEqualTo("foo");
          assertThat(e.key()).isEqualTo("check_rise");
          assertThat(e.line()).isEqualTo(5);
          assertThat(e.file()).isEqualTo(FILE);
        });
  }

  @Test
  void read_duplicateSectionWithinOneFile_isRejected_butDefaultTwiceIsNot() throws Exception {
    assertThatThrownBy(() -> read("[a]\n[b]\n[a]\n"))
        .hasMessage(FILE + ", line 3: section 'a' already exists (first at line 1)");
    assertThat(read("[DEFAULT]\nx = 1\n[DEFAULT]\ny = 2\n").options("DEFAULT"))
        .containsExactly("x", "y");
  }

  @Test
  void read_rejectedFile_leavesTheConfigurationUnchanged() throws Exception {
    Ini ini = read("[s]\na = 1\n");

    assertThatThrownBy(() -> ini.read("[t]\nb = 2\n[s]\na = 2\nbroken\n", FILE))
        .isInstanceOf(IniException.class)
        .hasMessageStartingWith(FILE + ", line 5: ");
    assertThat(ini.sections()).containsExactly("s");
    assertThat(ini.raw("s", "a")).isEqualTo("1");
  }

  @Test
  void read_textBeforeTheFirstSection_isRejectedWithItsLine() {
    assertThatThrownBy(() -> read("# comment\ncheck_cmd = x\n[s]\n"))
        .hasMessage(FILE + ", line 2: no [section] header before 'check_cmd = x'");
  }

  @Test
  void read_fileThatIsNotUtf8_isRejectedWithTheLineOfTheBadByte() throws IOException {
    Path file = Files.write(dir.resolve("latin1.conf"), "[s]\r\nk = 1\r\nv = caf\u00e9\n"
        .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));

    assertThatThrownBy(() -> Ini.withDefaults(Map.of()).read(file))
        .isInstanceOf(IniException.class)
        .hasMessageStartingWith(file + ", line 3: not valid UTF-8");
  }

  @Test
  void read_missingFile_throwsIOException() {
    assertThatThrownBy(() -> Ini.withDefaults(Map.of()).read(dir.resolve("absent.conf")))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void hasSectionAndHasOption_followConfigparser() throws Exception {
    Ini ini = read("[DEFAULT]\nd = 1\n[s]\nOwn = 2\n");

    assertThat(ini.hasSection("s")).isTrue();
    assertThat(ini.hasSection("DEFAULT")).isFalse();
    assertThat(ini.hasSection("S")).isFalse();
    assertThat(ini.hasOption("s", "OWN")).isTrue();
    assertThat(ini.hasOption("s", "d")).isTrue();
    assertThat(ini.hasOption("DEFAULT", "own")).isFalse();
    assertThat(ini.hasOption("", "d")).isTrue();
    assertThat(ini.hasOption("absent", "d")).isFalse();
  }

  @Test
  void optionsAndItems_listOwnKeysThenInheritedDefaults_andNothingForAnUnknownSection()
      throws Exception {
    Ini ini = read("[DEFAULT]\na = 1\nb = 2\n[s]\nz = %(a)s%(b)s\nb = 20\n");

    assertThat(ini.options("s")).containsExactly("z", "b", "a");
    assertThat(ini.items("s"))
        .containsExactly(entry("z", "120"), entry("b", "20"), entry("a", "1"));
    assertThat(ini.items("DEFAULT")).containsExactly(entry("a", "1"), entry("b", "2"));
    assertThat(ini.options("absent")).isEmpty();
    assertThat(ini.items("absent")).isEmpty();
  }

  @Test
  void get_expandsLateInTheReadingSection_andIsCaseInsensitive() throws Exception {
    Ini ini = read("[DEFAULT]\nbin = %(base)s/bin\n[a]\nbase = /opt\n[b]\nbase = /srv\n");

    assertThat(ini.get("a", "BIN")).isEqualTo("/opt/bin");
    assertThat(ini.get("b", "bin")).isEqualTo("/srv/bin");
    assertThat(ini.raw("a", "bin")).isEqualTo("%(base)s/bin");
    assertThat(ini.get("a", "absent")).isNull();
    assertThat(ini.get("absent", "bin")).isNull();
  }

  @Test
  void get_missingReference_namesSectionKeyAndWhereTheValueIs() throws Exception {
    Ini ini = read("[foo]\n\ncheck_cmd = %(bin)s/check\n");

    assertThatThrownBy(() -> ini.get("foo", "check_cmd"))
        .isInstanceOfSatisfying(IniException.class, e -> {
          assertThat(e.section()).isEqualTo("foo");
          assertThat(e.key()).isEqualTo("check_cmd");
          assertThat(e.getMessage()).isEqualTo(FILE + ", line 3: option 'check_cmd' in section "
              + "'foo': %(bin)s refers to option 'bin', which is neither in section 'foo' nor "
              + "in [DEFAULT]");
        });
    assertThatThrownBy(() -> ini.items("foo")).isInstanceOf(IniException.class);
  }

  @Test
  void get_inheritedValueFailing_namesTheReadingSectionAndTheDefaultOrigin() throws Exception {
    Ini ini = read("[DEFAULT]\nx = 100%\n[foo]\n");

    assertThatThrownBy(() -> ini.get("foo", "x"))
        .isInstanceOfSatisfying(IniException.class, e -> {
          assertThat(e.section()).isEqualTo("foo");
          assertThat(e.line()).isEqualTo(2);
          assertThat(e.reason()).startsWith("option 'x' in section 'foo': '%' must be followed");
        });
  }

  @Test
  void get_referenceCycle_failsOnTheDepthLimit() throws Exception {
    Ini ini = read("[s]\na = %(b)s\nb = x%(a)s\n");

    assertThatThrownBy(() -> ini.get("s", "a"))
        .isInstanceOf(IniException.class)
        .hasMessageContaining("deeper than 10 levels");
  }

  @Test
  void get_percentPercent_isALiteralPercent() throws Exception {
    assertThat(read("[s]\nx = 100%%\ny = %(x)s!\n").get("s", "y")).isEqualTo("100%!");
  }

  @Test
  void exceptionMessage_omitsTheUnknownPartsOfTheLocation() {
    assertThat(new IniException(FILE, 7, "s", "k", "bad")).hasMessage(FILE + ", line 7: bad");
    assertThat(new IniException(FILE, 0, null, null, "bad")).hasMessage(FILE + ": bad");
    assertThat(new IniException(null, 7, null, null, "bad")).hasMessage("line 7: bad");
    assertThat(new IniException(null, 0, null, null, "bad")).hasMessage("bad");
  }
}
