package net.anycast.healthchecker.fleet;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real etcd cluster for the tests (Debian's {@code etcd-server}): {@code n} members with their
 * own data directories under {@code dir}, on loopback, or in a network namespace of the test's
 * own with a bridge that {@link #attach} links other namespaces (the daemons') to. Members can be
 * killed and started again; {@link #close()} stops every member it started (by PID) and removes
 * the namespace.
 */
public final class EtcdCluster implements AutoCloseable {
  static final Path ETCD = Path.of("/usr/bin/etcd");
  static final Path ETCDCTL = Path.of("/usr/bin/etcdctl");

  private final Path dir;
  private final String host;
  private final String ns; // null on the test's own loopback
  private final int[] clientPorts;
  private final int[] peerPorts;
  private final Process[] members;
  private final EtcdCertificates tls; // null: plain http for clients
  private int attached;

  private EtcdCluster(Path dir, String host, String ns, int n) throws IOException {
    this(dir, host, ns, n, null);
  }

  private EtcdCluster(Path dir, String host, String ns, int n, EtcdCertificates tls)
      throws IOException {
    this.tls = tls;
    this.dir = Files.createDirectories(dir);
    this.host = host;
    this.ns = ns;
    this.clientPorts = new int[n];
    this.peerPorts = new int[n];
    this.members = new Process[n];
    for (int i = 0; i < n; i++) {
      clientPorts[i] = ns == null ? freePort() : 23791 + i;
      peerPorts[i] = ns == null ? freePort() : 23801 + i;
    }
  }

  /** Starts {@code n} members on 127.0.0.1 and waits until the cluster has a leader. */
  public static EtcdCluster onLoopback(Path dir, int n) throws Exception {
    EtcdCluster c = new EtcdCluster(dir, "127.0.0.1", null, n);
    return c.startAll();
  }

  /**
   * Starts one member on 127.0.0.1 that serves clients over TLS with {@code certs}' server
   * certificate and wants a client certificate signed by their CA ({@code --client-cert-auth});
   * waits until it is healthy (etcdctl shows the client certificate).
   */
  public static EtcdCluster onLoopbackWithTls(Path dir, EtcdCertificates certs) throws Exception {
    EtcdCluster c = new EtcdCluster(dir, "127.0.0.1", null, 1, certs);
    return c.startAll();
  }

  /**
   * Starts {@code n} members in a new network namespace, on a bridge at 10.253.0.1/24, and waits
   * until the cluster has a leader; {@link #attach} gives other namespaces an address on it.
   */
  public static EtcdCluster inNamespace(Path dir, int n) throws Exception {
    String ns = "ahce-" + Long.toString(ProcessHandle.current().pid() % 100000, 36)
        + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36), 36);
    EtcdCluster c = new EtcdCluster(dir, "10.253.0.1", ns, n);
    try {
      ip("netns", "add", ns);
      ip("-n", ns, "link", "set", "lo", "up");
      ip("-n", ns, "link", "add", "br0", "type", "bridge");
      // A fixed address: a bridge otherwise takes the lowest address of its ports, so it changed
      // when a later node was attached, and the nodes attached before kept sending to the old
      // one (their ARP entries) — seconds without etcd, enough for a node to decide alone.
      ip("-n", ns, "link", "set", "br0", "address", "02:00:0a:fd:00:01");
      ip("-n", ns, "addr", "add", "10.253.0.1/24", "dev", "br0");
      ip("-n", ns, "link", "set", "br0", "up");
      return c.startAll();
    } catch (Exception | Error e) {
      c.close();
      throw e;
    }
  }

  /**
   * Links the namespace {@code other} to the cluster's bridge with a veth pair, and returns the
   * address it got there (10.253.0.x).
   */
  public synchronized String attach(String other) throws Exception {
    int i = ++attached;
    String inside = "ahcx" + ns.substring(5) + i;
    String outside = "ahcy" + ns.substring(5) + i;
    ip("-n", ns, "link", "add", inside, "type", "veth", "peer", "name", outside, "netns", other);
    ip("-n", ns, "link", "set", inside, "master", "br0");
    ip("-n", ns, "link", "set", inside, "up");
    String address = "10.253.0." + (10 + i);
    ip("-n", other, "addr", "add", address + "/24", "dev", outside);
    ip("-n", other, "link", "set", outside, "up");
    return address;
  }

  /** Returns the client URLs, comma-separated, as {@code fleet_etcd_endpoints} takes them. */
  public String endpoints() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < members.length; i++) {
      out.add(clientUrl(i));
    }
    return String.join(",", out);
  }

  /** Returns the client URLs. */
  public List<URI> uris() {
    List<URI> out = new ArrayList<>();
    for (int i = 0; i < members.length; i++) {
      out.add(URI.create(clientUrl(i)));
    }
    return out;
  }

  String clientUrl(int i) {
    return (tls == null ? "http://" : "https://") + host + ":" + clientPorts[i];
  }

  private String peerUrl(int i) {
    return "http://" + host + ":" + peerPorts[i];
  }

  private EtcdCluster startAll() throws Exception {
    for (int i = 0; i < members.length; i++) {
      start(i, "new");
    }
    awaitHealthy(Duration.ofSeconds(30));
    return this;
  }

  /** Starts member {@code i} (again, on its data directory). */
  public void start(int i) throws IOException {
    start(i, "existing");
  }

  private void start(int i, String state) throws IOException {
    String cluster = java.util.stream.IntStream.range(0, members.length)
        .mapToObj(j -> "m" + j + "=" + peerUrl(j)).collect(Collectors.joining(","));
    List<String> cmd = new ArrayList<>();
    if (ns != null) {
      cmd.addAll(List.of("ip", "netns", "exec", ns));
    }
    cmd.addAll(List.of(ETCD.toString(), "--name", "m" + i,
        "--data-dir", dir.resolve("m" + i).toString(),
        "--listen-client-urls", clientUrl(i), "--advertise-client-urls", clientUrl(i),
        "--listen-peer-urls", peerUrl(i), "--initial-advertise-peer-urls", peerUrl(i),
        "--initial-cluster", cluster, "--initial-cluster-state", state,
        "--initial-cluster-token", "ahc-test", "--heartbeat-interval", "100",
        "--election-timeout", "1000", "--logger", "zap", "--log-outputs", "stderr"));
    if (tls != null) {
      cmd.addAll(List.of("--cert-file", tls.serverCert().toString(),
          "--key-file", tls.serverKey().toString(),
          "--trusted-ca-file", tls.ca().toString(), "--client-cert-auth"));
    }
    members[i] = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("m" + i + ".log").toFile()))
        .start();
  }

  /** Kills member {@code i} with SIGKILL and waits for it to go. */
  public void kill(int i) throws InterruptedException {
    Process p = members[i];
    if (p != null && p.isAlive()) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  /** Kills every member. */
  public void killAll() throws InterruptedException {
    for (int i = 0; i < members.length; i++) {
      kill(i);
    }
  }

  /** Waits until every running member reports healthy. */
  public void awaitHealthy(Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < end) {
      Result r = etcdctl("endpoint", "health");
      if (r.code == 0) {
        return;
      }
      last = r.output;
      Thread.sleep(200);
    }
    throw new AssertionError("etcd not healthy after " + timeout + ": " + last + "\n"
        + tail(dir.resolve("m0.log")));
  }

  /** Returns the keys below {@code prefix}, read with etcdctl from the running members. */
  public List<String> keys(String prefix) throws Exception {
    Result r = etcdctl("get", "--prefix", "--keys-only", prefix);
    if (r.code != 0) {
      throw new AssertionError("etcdctl get failed: " + r.output);
    }
    return r.output.lines().filter(l -> !l.isBlank()).toList();
  }

  /** Output and exit code of a command. */
  record Result(int code, String output) {}

  /** Runs etcdctl against the members that are alive (in the namespace, when there is one). */
  Result etcdctl(String... args) throws Exception {
    List<String> live = new ArrayList<>();
    for (int i = 0; i < members.length; i++) {
      if (members[i] != null && members[i].isAlive()) {
        live.add(clientUrl(i));
      }
    }
    List<String> cmd = new ArrayList<>();
    if (ns != null) {
      cmd.addAll(List.of("ip", "netns", "exec", ns));
    }
    cmd.addAll(List.of(ETCDCTL.toString(), "--endpoints=" + String.join(",", live),
        "--command-timeout=5s", "--dial-timeout=2s"));
    if (tls != null) {
      cmd.addAll(List.of("--cacert=" + tls.ca(), "--cert=" + tls.clientCert(),
          "--key=" + tls.clientKey()));
    }
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("ETCDCTL_API", "3");
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(15, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return new Result(-1, out);
    }
    return new Result(p.exitValue(), out);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static void ip(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException(String.join(" ", cmd) + " failed: " + out);
    }
  }

  static String tail(Path p) {
    try {
      List<String> lines = Files.readAllLines(p);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(" + e + ")";
    }
  }

  @Override
  public void close() throws InterruptedException {
    killAll();
    if (ns != null) {
      try {
        ip("netns", "del", ns);
      } catch (Exception e) {
        // not created
      }
    }
  }
}
