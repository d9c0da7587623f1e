package net.anycast.healthchecker.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import net.anycast.healthchecker.net.IpPrefix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The shipped examples load, and every option lands in the typed configuration. */
class ExampleConfigTest {
  @TempDir Path root;

  @Test
  void examples_loadIntoTypedConfiguration() throws Exception {
    Path daemonFile = ExampleConfigs.copyTo(root);
    LoadedConfig loaded = new ConfigLoader().load(daemonFile, root.resolve("checks"), null);
    assertThat(loaded.warnings()).isEmpty();

    DaemonConfig d = loaded.configuration().daemon();
    assertThat(d.bird4().conf())
        .isEqualTo(root.resolve("var/lib/anycast-healthchecker/anycast-prefixes.conf"));
    assertThat(d.bird6().variable()).isEqualTo("ACAST6_PS_ADVERTISE");
    assertThat(d.bird6().dummyPrefix()).isEqualTo(IpPrefix.parse("2001:db8::1/128"));
    assertThat(d.bird4().keepChanges()).isTrue();
    assertThat(d.bird4().changesCounter()).isEqualTo(128);
    assertThat(d.bird4().reconfigureCmd()).isEqualTo("sudo /usr/sbin/birdc configure");
    assertThat(d.splayStartup()).isEqualTo(Duration.ofMillis(2500));
    assertThat(d.log().level()).isEqualTo("info");
    assertThat(d.log().logServer()).isEqualTo("127.0.0.1");
    assertThat(d.log().jsonLogServer()).isTrue();
    assertThat(d.log().logMaxBytes()).isEqualTo(104857600L);
    assertThat(d.log().serviceNameWidth()).isEqualTo("maintenance.bar.com".length() + 1);
    assertThat(d.prometheus().textfileExporter()).isTrue();
    assertThat(d.prometheus().interval()).isEqualTo(Duration.ofSeconds(10));

    assertThat(loaded.configuration().services()).extracting(ServiceConfig::name)
        .containsExactly("dns.bar.com", "maintenance.bar.com", "foo.bar.com", "foo6.bar.com");
    ServiceConfig dns = loaded.configuration().services().getFirst();
    assertThat(dns.prefixes()).containsExactly(
        IpPrefix.parse("10.52.12.53/32"), IpPrefix.parse("10.52.13.53/32"));
    assertThat(dns.checkInterval()).isEqualTo(Duration.ofMillis(2500));
    assertThat(dns.checkRise()).isEqualTo(3);
    assertThat(dns.checkFail()).isEqualTo(1);
    assertThat(dns.customBirdReconfigureCmd()).isEqualTo("/usr/bin/logger -t anycast-dns");
    assertThat(dns.customBirdReconfigureCmdTimeout()).isEqualTo(Duration.ofMillis(1500));
    ServiceConfig maintenance = loaded.configuration().services().get(1);
    assertThat(maintenance.checkDisabled()).isTrue();
    assertThat(maintenance.onDisabled()).isEqualTo(OnDisabled.ADVERTISE);
    assertThat(maintenance.prefixes()).containsExactly(IpPrefix.parse("10.52.12.80/32"));
    assertThat(maintenance.ipCheckDisabled()).isTrue();
    ServiceConfig foo6 = loaded.configuration().services().get(3);
    assertThat(foo6.prefixes()).containsExactly(IpPrefix.parse("fd12:aba6:57db:ffff::1/128"));
    assertThat(foo6.checkTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(foo6.checkInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(foo6.interfaceName()).isEqualTo("lo");
  }
}
