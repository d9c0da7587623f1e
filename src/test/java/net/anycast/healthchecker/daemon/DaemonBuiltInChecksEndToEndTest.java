package net.anycast.healthchecker.daemon;

import static net.anycast.healthchecker.daemon.DaemonRoutesEndToEndTest.set;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import net.anycast.healthchecker.bird.BgpTestbed;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Built-in checks through the daemon process, against a real BIRD and its BGP peer: two services
 * share an HTTP and a TCP check (servers in this test, on loopback); with {@code check_mode =
 * all} the service is withdrawn when either check fails, with {@code any} only when both do.
 */
@Tag("e2e")
@Timeout(120)
class DaemonBuiltInChecksEndToEndTest {
  private static final Duration CONVERGE = Duration.ofSeconds(20);
  private static final IpFamily V4 = IpFamily.IPV4;
  private static final Set<IpPrefix> BOTH = set("10.9.0.1", "10.9.0.2");
  private static final Set<IpPrefix> ANY_ONLY = set("10.9.0.2");

  @TempDir Path dir;
  @RegisterExtension final Daemons daemons = new Daemons();

  private final AtomicBoolean httpOk = new AtomicBoolean(true);
  private final AtomicBoolean tcpOk = new AtomicBoolean(true);

  @Test
  void allWithdrawsWhenEitherFails_anyOnlyWhenBothFail() throws Exception {
    try (BgpTestbed t = DaemonRoutesEndToEndTest.testbed(BgpTestbed.Node.BIRD2, dir, BOTH)) {
      // The daemon runs in the node's namespace: the servers listen on this side of a veth
      // pair to it (the node's address minus one).
      String node = t.linkToHost();
      int last = Integer.parseInt(node.substring(node.lastIndexOf('.') + 1));
      String here = node.substring(0, node.lastIndexOf('.') + 1) + (last - 1);
      InetAddress bind = InetAddress.getByName(here);
      HttpServer http = HttpServer.create(new InetSocketAddress(bind, 0), 16);
      http.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      http.createContext("/health", ex -> {
        int status = httpOk.get() ? 200 : 503;
        ex.sendResponseHeaders(status, -1);
        ex.close();
      });
      http.start();
      ServerSocket tcp = new ServerSocket(0, 64, bind);
      Thread acceptor = Thread.ofVirtual().start(() -> serve(tcp));
      try {
        run(t, here, http.getAddress().getPort(), tcp.getLocalPort());
      } finally {
        http.stop(0);
        tcp.close();
        acceptor.join(5_000);
      }
    }
  }

  private void run(BgpTestbed t, String here, int httpPort, int tcpPort) throws Exception {
    {
      Map<String, String> checks = Map.of(
          "check_http_url", "http://" + here + ":" + httpPort + "/health",
          "check_tcp_address", here + ":" + tcpPort,
          "check_tcp_expect", "OK",
          "check_timeout", "2");
      DaemonSetup setup = DaemonSetup.of(t, dir.resolve("daemon"), false, true)
          .withKeys("all", with(checks, "check_mode", "all"), "10.9.0.1")
          .withKeys("any", with(checks, "check_mode", "any"), "10.9.0.2");
      daemons.start(t, setup).awaitReady();
      t.awaitPeerRoutes(V4, BOTH, CONVERGE);

      httpOk.set(false); // HTTP fails, TCP passes
      t.awaitPeerRoutes(V4, ANY_ONLY, CONVERGE);
      httpOk.set(true);
      t.awaitPeerRoutes(V4, BOTH, CONVERGE);

      tcpOk.set(false); // TCP fails, HTTP passes
      t.awaitPeerRoutes(V4, ANY_ONLY, CONVERGE);
      httpOk.set(false); // both fail
      t.awaitPeerRoutes(V4, Set.of(), CONVERGE);

      httpOk.set(true);
      tcpOk.set(true);
      t.awaitPeerRoutes(V4, BOTH, CONVERGE);
    }
  }

  private static Map<String, String> with(Map<String, String> base, String key, String value) {
    Map<String, String> out = new java.util.LinkedHashMap<>(base);
    out.put(key, value);
    return out;
  }

  /** Answers every connection with OK or NO, as {@link #tcpOk} says, until closed. */
  private void serve(ServerSocket s) {
    for (long i = 0; i < 1_000_000 && !s.isClosed(); i++) {
      try (Socket c = s.accept()) {
        c.getOutputStream().write((tcpOk.get() ? "OK\n" : "NO\n")
            .getBytes(StandardCharsets.US_ASCII));
      } catch (IOException e) {
        if (s.isClosed()) {
          return;
        }
      }
    }
  }
}
