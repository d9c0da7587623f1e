package net.anycast.healthchecker.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Parsing and formatting agree with Python's ipaddress.ip_network, which the original uses. */
class IpPrefixTest {
  private static final List<String> CORPUS = List.of(
      "10.0.0.1", "10.0.0.1/32", "10.0.0.0/8", "0.0.0.0/0", "255.255.255.255",
      "10.0.0.1/24", "10.0.0.256", "010.0.0.1", "10.0.0", "10.0.0.1/33", "10.0.0.1/",
      "10.0.0.1/-1", "10.0.0.1/ 32", " 10.0.0.1 ", "a.b.c.d", "1.2.3.4.5", "",
      "2001:db8::1", "2001:DB8::1/128", "2001:db8:0:0:0:0:0:1", "2001:db8::/32",
      "2001:db8::1/64", "::", "::/0", "::1", "2001:0db8:0000:0000:0000:ff00:0042:8329",
      "2001:db8:0:1:1:1:1:1", "2001:db8::1:0:0:1", "2001:0:0:1:0:0:0:1", "::ffff:0:0/96",
      "1::", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "1:2:3:4:5:6:7:8:9", "1:::2",
      "12345::1", "g::1", "::1.2.3.4", "fd12:aba6:57db:ffff::1/128", "2001:db8::1/129",
      "0:0:0:0:0:0:0:0", "1:0:0:2:0:0:0:3");

  @Test
  void parseAndFormat_matchPythonIpaddress() throws Exception {
    String script = "import ipaddress,sys\n"
        + "for line in sys.stdin.read().split('\\n')[:-1]:\n"
        + "    try: print(ipaddress.ip_network(line).with_prefixlen)\n"
        + "    except ValueError: print('!error')\n";
    Process p = new ProcessBuilder("python3", "-c", script).start();
    try (var in = p.getOutputStream()) {
      in.write((String.join("\n", CORPUS) + "\n").getBytes());
    }
    List<String> python = new String(p.getInputStream().readAllBytes()).lines().toList();
    assertThat(p.waitFor()).isZero();
    List<String> ours = new ArrayList<>();
    for (String text : CORPUS) {
      try {
        ours.add(IpPrefix.parse(text).toString());
      } catch (IllegalArgumentException e) {
        ours.add("!error");
      }
    }
    for (int i = 0; i < CORPUS.size(); i++) {
      assertThat(ours.get(i)).as("'%s'", CORPUS.get(i)).isEqualTo(python.get(i));
    }
  }

  @Test
  void prefixes_sortByFamilyThenAddressThenLength() {
    List<IpPrefix> list = new ArrayList<>(List.of(IpPrefix.parse("10.0.0.10"),
        IpPrefix.parse("::1"), IpPrefix.parse("10.0.0.2"), IpPrefix.parse("10.0.0.0/8"),
        IpPrefix.parse("192.168.0.1")));
    list.sort(null);
    assertThat(list).extracting(IpPrefix::toString).containsExactly(
        "10.0.0.0/8", "10.0.0.2/32", "10.0.0.10/32", "192.168.0.1/32", "::1/128");
  }

  @Test
  void equalPrefixes_areEqualValues() {
    assertThat(IpPrefix.parse("2001:DB8::1")).isEqualTo(IpPrefix.parse("2001:db8:0::1/128"))
        .hasSameHashCodeAs(IpPrefix.parse("2001:db8:0::1/128"));
    assertThat(IpPrefix.parse("10.0.0.1").isHost()).isTrue();
  }

  @Test
  void scopeId_isRejected_becauseBirdCannotUseItInAPrefixSet() {
    // Python 3.9+ accepts "fe80::1%eth0"; a scoped address makes no sense in a BIRD prefix set.
    assertThatThrownBy(() -> IpPrefix.parse("fe80::1%eth0"))
        .hasMessageContaining("scope id");
  }

  @Test
  void hostBitsSet_isRejectedWithTheReason() {
    assertThatThrownBy(() -> IpPrefix.parse("10.1.2.3/8"))
        .hasMessage("10.1.2.3/8 has host bits set");
  }
}
