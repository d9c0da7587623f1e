package net.anycast.healthchecker.fleet;

import static org.assertj.core.api.Assertions.assertThat;

import net.anycast.healthchecker.net.IpPrefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Where the valve's keys live in etcd, and reading them back. */
class FleetKeysTest {
  private static final FleetKeys KEYS = new FleetKeys("/anycast-healthchecker");

  @Test
  void layout_ipv4() {
    IpPrefix p = IpPrefix.parse("10.52.0.1/32");

    assertThat(KEYS.all()).isEqualTo("/anycast-healthchecker/");
    assertThat(KEYS.of(p)).isEqualTo("/anycast-healthchecker/10.52.0.1/32/");
    assertThat(KEYS.member(p, "node-1"))
        .isEqualTo("/anycast-healthchecker/10.52.0.1/32/members/node-1");
    assertThat(KEYS.announcer(p, "node-1"))
        .isEqualTo("/anycast-healthchecker/10.52.0.1/32/announcers/node-1");
  }

  @Test
  void layout_ipv6() {
    IpPrefix p = IpPrefix.parse("2001:db8::1/128");

    assertThat(KEYS.announcer(p, "n.example.net"))
        .isEqualTo("/anycast-healthchecker/2001:db8::1/128/announcers/n.example.net");
  }

  @Test
  void layout_deeperRoot() {
    FleetKeys keys = new FleetKeys("/dc1/ahc");

    assertThat(keys.member(IpPrefix.parse("10.0.0.0/24"), "a"))
        .isEqualTo("/dc1/ahc/10.0.0.0/24/members/a");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"10.52.0.1/32", "10.0.0.0/8", "192.168.1.0/24", "2001:db8::1/128",
      "2001:db8::/32", "fd00:1:2:3::/64", "::/0", "0.0.0.0/0"})
  void parse_roundTrip(String prefix) {
    IpPrefix p = IpPrefix.parse(prefix);

    assertThat(KEYS.parse(KEYS.member(p, "node_1.a-b")))
        .contains(new FleetKeys.Key(p, FleetKeys.MEMBERS, "node_1.a-b"));
    assertThat(KEYS.parse(KEYS.announcer(p, "n2")))
        .contains(new FleetKeys.Key(p, FleetKeys.ANNOUNCERS, "n2"));
  }

  @Test
  void parse_rootThatLooksLikeAKey_readsOnlyBelowIt() {
    FleetKeys keys = new FleetKeys("/x/10.0.0.1/32/members");
    IpPrefix p = IpPrefix.parse("10.0.0.2/32");

    assertThat(keys.parse(keys.announcer(p, "n")))
        .contains(new FleetKeys.Key(p, FleetKeys.ANNOUNCERS, "n"));
  }

  @ParameterizedTest(name = "''{0}'' is not the valve''s")
  @ValueSource(strings = {
      "/other/10.52.0.1/32/members/n",
      "/anycast-healthchecker",
      "/anycast-healthchecker/",
      "/anycast-healthcheckerX/10.52.0.1/32/members/n",
      "/anycast-healthchecker/10.52.0.1/32/members/",
      "/anycast-healthchecker/10.52.0.1/32/members",
      "/anycast-healthchecker/10.52.0.1/32/owners/n",
      "/anycast-healthchecker/10.52.0.1/32/",
      "/anycast-healthchecker/not-a-prefix/members/n",
      "/anycast-healthchecker/10.52.0.300/32/members/n",
      "/anycast-healthchecker/10.52.0.1/33/announcers/n",
      "/anycast-healthchecker/members/n",
      "/anycast-healthchecker//members/n",
      "/anycast-healthchecker/lock",
      // not as the valve writes a prefix: it would count as an announcer whose key (written
      // the valve's way) a transaction then never finds
      "/anycast-healthchecker/10.52.0.1/members/n",
      "/anycast-healthchecker/2001:0db8::1/128/announcers/n",
      "/anycast-healthchecker/2001:DB8::1/128/announcers/n",
      "anycast-healthchecker/10.52.0.1/32/members/n"})
  void parse_foreignKeys_areIgnored(String key) {
    assertThat(KEYS.parse(key)).isEmpty();
  }
}
