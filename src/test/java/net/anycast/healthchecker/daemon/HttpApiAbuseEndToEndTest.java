package net.anycast.healthchecker.daemon;

import static net.anycast.healthchecker.daemon.DaemonRoutesEndToEndTest.set;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.anycast.healthchecker.bird.BgpTestbed;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP listener under abuse, against the daemon process with the heap the launcher gives it
 * in production ({@code -Xmx128m}): 100 concurrent clients, clients that send a byte a second,
 * a 10 MB body, paths that try to climb out with {@code ..} and {@code %2f}, and more idle
 * connections than the cap. Each is answered or cut off within its bound, and meanwhile the
 * daemon keeps checking, keeps the routes, and stays within its memory.
 */
@Tag("e2e")
@Timeout(180)
class HttpApiAbuseEndToEndTest {
  private static final Duration CONVERGE = Duration.ofSeconds(20);
  private static final Set<IpPrefix> ALL = set("10.9.1.1", "10.9.1.2");
  private static final String TOKEN = "abuse-test-token-0123456789abcdef";
  private static final int PORT = 9181;
  private static final Pattern RUNS = Pattern.compile("\"check_runs\":(\\d+)");

  @TempDir Path dir;
  @RegisterExtension final Daemons daemons = new Daemons();

  @Test
  void everyAbuseBoundedAnswered_checksGoOn_routesKept_memoryWithinLimit() throws Exception {
    try (BgpTestbed t = DaemonRoutesEndToEndTest.testbed(BgpTestbed.Node.BIRD2, dir, ALL)) {
      String host = t.linkToHost();
      Path token = dir.resolve("api-token");
      Files.writeString(token, TOKEN);
      Files.setPosixFilePermissions(token, PosixFilePermissions.fromString("rw-------"));
      DaemonSetup setup = DaemonSetup.of(t, dir.resolve("daemon"), false, true)
          .service("a", "10.9.1.1").service("b", "10.9.1.2")
          .daemon("http_listen", host + ":" + PORT)
          .daemon("http_token_file", token.toString())
          .daemon("prometheus_listen", host + ":" + PORT); // the same listener serves both
      DaemonProcess d = daemons.start(t, setup,
          Map.of("JDK_JAVA_OPTIONS", "-Xmx128m -Xss512k")).awaitReady();
      t.awaitPeerRoutes(IpFamily.IPV4, ALL, CONVERGE);
      InetSocketAddress api = new InetSocketAddress(host, PORT);
      HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
          .executor(Executors.newVirtualThreadPerTaskExecutor()).build();
      long runsBefore = checkRuns(client, api);
      HttpResponse<String> metrics = get(client, api, "/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.body()).contains("anycast_healthchecker_service_state{");

      ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
      try {
        // Slow clients first, so they hold their connections while the rest runs.
        List<Future<Duration>> slow = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
          slow.add(pool.submit(() -> byteASecond(api)));
        }
        List<Future<Integer>> many = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          many.add(pool.submit(() -> client.send(HttpRequest.newBuilder(
                  URI.create("http://" + host + ":" + PORT + "/api/v1/status"))
              .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString())
              .statusCode()));
        }
        for (Future<Integer> f : many) {
          assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo(200);
        }

        String big = tenMegabytePut(api);
        assertThat(big).startsWith("HTTP/1.1 413").contains("larger than 65536 bytes");
        assertThat(setup.spoolDir().resolve("a")).doesNotExist();

        for (String path : List.of("/static/../../../../etc/passwd",
            "/static/..%2f..%2f..%2fetc%2fpasswd", "/api/v1/services/..%2F..%2Fetc/drain",
            "/spool/%2e%2e/0/x", "/api/v1/services/a%00/drain")) {
          String reply = raw(api, "GET " + path + " HTTP/1.1\r\nHost: x\r\nConnection: close"
              + "\r\n\r\n");
          assertThat(reply).as(path).startsWith("HTTP/1.1 400").doesNotContain("root:");
        }

        for (Future<Duration> f : slow) {
          // maxReqTime is 10 s, checked every second: cut off after 10–12 s.
          assertThat(f.get(60, TimeUnit.SECONDS)).isBetween(Duration.ofSeconds(9),
              Duration.ofSeconds(20));
        }
      } finally {
        pool.shutdownNow();
      }

      int refused = moreConnectionsThanTheCap(api);
      assertThat(refused).as("connections over the cap of 256 closed at once")
          .isGreaterThanOrEqualTo(300 - 256 - 8);
      assertThat(get(client, api, "/api/v1/status").statusCode()).isEqualTo(200);

      long runsAfter = checkRuns(client, api);
      assertThat(runsAfter).as("checks went on during the abuse").isGreaterThan(runsBefore + 20);
      assertThat(t.peerRoutes(IpFamily.IPV4)).isEqualTo(ALL);
      long rssKb = rssKb(d.pid());
      System.out.printf("http abuse: check runs %d -> %d, daemon RSS %d MB after the abuse"
          + " (heap -Xmx128m)%n", runsBefore, runsAfter, rssKb / 1024);
      assertThat(rssKb).as("RSS in kB").isLessThan(256 * 1024);
      assertThat(d.isAlive()).isTrue();
      assertThat(d.log()).doesNotContain("OutOfMemoryError");
    }
  }

  /** Sends a request a byte a second; returns how long until the server closed it. */
  private static Duration byteASecond(InetSocketAddress api) throws Exception {
    byte[] request = ("GET /api/v1/status HTTP/1.1\r\nHost: slow\r\nX-Padding: "
        + "x".repeat(100) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
    long start = System.nanoTime();
    try (Socket s = new Socket()) {
      s.connect(api, 5000);
      s.setSoTimeout(100);
      OutputStream out = s.getOutputStream();
      InputStream in = s.getInputStream();
      for (int i = 0; i < request.length - 1 && i < 40; i++) {
        try {
          out.write(request[i]);
          out.flush();
        } catch (IOException closed) {
          return Duration.ofNanos(System.nanoTime() - start);
        }
        long until = System.nanoTime() + 1_000_000_000L;
        while (System.nanoTime() < until) {
          try {
            if (in.read() < 0) {
              return Duration.ofNanos(System.nanoTime() - start);
            }
          } catch (SocketTimeoutException again) {
            // nothing yet: the server still waits for the rest of the request
          } catch (IOException reset) {
            return Duration.ofNanos(System.nanoTime() - start);
          }
        }
      }
    }
    return Duration.ofDays(1); // never cut off within 40 s: the assertion says so
  }

  /** Announces a 10 MB body, reads the answer, then tries to send the body anyway. */
  private static String tenMegabytePut(InetSocketAddress api) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(api, 5000);
      s.setSoTimeout(15_000);
      OutputStream out = s.getOutputStream();
      out.write(("PUT /api/v1/services/a/drain HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
          + TOKEN + "\r\nContent-Type: application/json\r\nContent-Length: 10485760\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      String reply = readReply(s.getInputStream());
      byte[] chunk = new byte[64 * 1024];
      try {
        for (int i = 0; i < 160; i++) {
          out.write(chunk);
        }
      } catch (IOException closed) {
        // the server closed the connection rather than take the body: as it should
      }
      return reply;
    }
  }

  /** Opens 300 idle connections; returns how many the server closed within 3 s. */
  private static int moreConnectionsThanTheCap(InetSocketAddress api) throws Exception {
    List<Socket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 300; i++) {
        Socket s = new Socket();
        s.connect(api, 5000);
        s.setSoTimeout(10);
        sockets.add(s);
      }
      int closed = 0;
      long until = System.nanoTime() + 3_000_000_000L;
      List<Socket> open = new ArrayList<>(sockets);
      while (System.nanoTime() < until && !open.isEmpty()) {
        for (Socket s : List.copyOf(open)) {
          try {
            if (s.getInputStream().read() < 0) {
              closed++;
              open.remove(s);
            }
          } catch (SocketTimeoutException idle) {
            // still open
          } catch (IOException reset) {
            closed++;
            open.remove(s);
          }
        }
      }
      return closed;
    } finally {
      for (Socket s : sockets) {
        s.close();
      }
    }
  }

  private static String raw(InetSocketAddress api, String request) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(api, 5000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      return readReply(s.getInputStream());
    }
  }

  private static String readReply(InputStream in) throws IOException {
    byte[] buf = new byte[8192];
    StringBuilder sb = new StringBuilder();
    try {
      int n;
      while ((n = in.read(buf)) > 0) {
        sb.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
        int headerEnd = sb.indexOf("\r\n\r\n");
        if (headerEnd >= 0) {
          Matcher m = Pattern.compile("(?i)content-length: (\\d+)").matcher(sb);
          if (m.find() && sb.length() >= headerEnd + 4 + Integer.parseInt(m.group(1))) {
            break;
          }
        }
      }
    } catch (SocketTimeoutException e) {
      // return what came
    }
    return sb.toString();
  }

  private static HttpResponse<String> get(HttpClient client, InetSocketAddress api, String path)
      throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://" + api.getHostString() + ":"
        + api.getPort() + path)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static long checkRuns(HttpClient client, InetSocketAddress api) throws Exception {
    Matcher m = RUNS.matcher(get(client, api, "/api/v1/status").body());
    long sum = 0;
    while (m.find()) {
      sum += Long.parseLong(m.group(1));
    }
    return sum;
  }

  private static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", ""));
      }
    }
    throw new AssertionError("no VmRSS for " + pid);
  }
}
