package net.anycast.healthchecker.bird;

import static net.anycast.healthchecker.bird.TestServices.p;
import static net.anycast.healthchecker.bird.TestServices.service;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.inputs.Inputs;
import net.anycast.healthchecker.inputs.InputsRef;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * BIRD 1.6: separate {@code bird} and {@code bird6} daemons, each reconfigured by its own
 * {@code birdc}/{@code birdc6} command (the original's file-and-reconfigure path), peer BIRD 2.
 */
@Tag("e2e")
@Timeout(120)
class Bird16EndToEndTest {
  private static final Duration CONVERGE = Duration.ofSeconds(20);
  @TempDir Path dir;

  @Test
  void twoDaemons_serviceFails_routesGoneAtPeer_recovers_back() throws Exception {
    List<ServiceConfig> services = List.of(
        service("a", "10.7.0.1", "2001:db8:7::1"), service("b", "10.7.0.2", "2001:db8:7::2"));
    List<IpPrefix> routes = services.stream().flatMap(s -> s.prefixes().stream()).toList();
    InputsRef board = new InputsRef(Inputs.of(services));
    board.publish("a", Health.UP);
    board.publish("b", Health.UP);
    try (BgpTestbed t = BgpTestbed.start(BgpTestbed.Node.BIRD16, dir, routes);
        Reconciler r4 = Reconciler.create(t.familyConfig(IpFamily.IPV4, false), false, board, by -> 0);
        Reconciler r6 = Reconciler.create(t.familyConfig(IpFamily.IPV6, false), false, board, by -> 0)) {
      assertThat(t.reconfigureCommand(IpFamily.IPV6)).contains("birdc6");
      r4.start();
      r6.start();
      t.awaitPeerRoutes(IpFamily.IPV4, Set.of(p("10.7.0.1"), p("10.7.0.2")), CONVERGE);
      t.awaitPeerRoutes(IpFamily.IPV6, Set.of(p("2001:db8:7::1"), p("2001:db8:7::2")), CONVERGE);

      board.publish("a", Health.DOWN);
      t.awaitPeerRoutes(IpFamily.IPV4, Set.of(p("10.7.0.2")), CONVERGE);
      t.awaitPeerRoutes(IpFamily.IPV6, Set.of(p("2001:db8:7::2")), CONVERGE);
      board.publish("a", Health.UP);
      t.awaitPeerRoutes(IpFamily.IPV4, Set.of(p("10.7.0.1"), p("10.7.0.2")), CONVERGE);
      t.awaitPeerRoutes(IpFamily.IPV6, Set.of(p("2001:db8:7::1"), p("2001:db8:7::2")), CONVERGE);
      assertThat(r4.status().reconfigureFailures()).isZero();
      assertThat(r6.status().reconfigureFailures()).isZero();
      assertThat(r6.status().inSync()).isTrue();
    }
  }

  @Test
  void bird16Socket_andBirdc_reportABadConfig() throws Exception {
    try (BgpTestbed t = BgpTestbed.start(BgpTestbed.Node.BIRD16, dir, List.of(p("10.7.0.1")));
        BirdSocket socket = new BirdSocket(t.nodeSocket(IpFamily.IPV6), Duration.ofSeconds(5))) {
      assertThat(socket.reconfigure().confirmed()).isTrue();
      java.nio.file.Files.writeString(t.prefixFile(IpFamily.IPV6), "define ACAST6_PS_ADVERTISE =\n    [\n");
      assertThat(socket.reconfigure()).isInstanceOf(ReconfigureResult.Failed.class);
      // birdc 1.6 exits 0 on a configuration error: only the reply tells.
      assertThat(new BirdcCommand(t.reconfigureCommand(IpFamily.IPV6), Duration.ofSeconds(5))
          .reconfigure().confirmed()).isFalse();
    }
  }
}
