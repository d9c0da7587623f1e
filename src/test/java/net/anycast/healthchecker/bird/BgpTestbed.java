package net.anycast.healthchecker.bird;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import net.anycast.healthchecker.config.BirdFamilyConfig;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;

/**
 * A real BGP setup for end-to-end tests: a node BIRD (BIRD 2 for both families, or BIRD 1.6's
 * {@code bird} + {@code bird6}) in one network namespace, with the anycast export filter, static
 * blackhole routes for every prefix a test may announce, and its own config, control socket and
 * pid file under {@code dir}; and a peer BIRD 2 in a second namespace, with BGP sessions (IPv4 and
 * IPv6) over a veth pair. Tests assert what the peer learned. Everything it creates (namespaces,
 * veth, processes) is removed by {@link #close()}; the namespaces' names are unique.
 *
 * <p>Reusable from other test classes: give it the prefixes, point a reconciler or the daemon at
 * {@link #prefixFile}, {@link #nodeSocket} or {@link #reconfigureCommand}.
 */
public final class BgpTestbed implements AutoCloseable {
  /** Which BIRD serves the node. */
  public enum Node {
    BIRD2, BIRD16, BIRD3;

    /** Returns whether the node speaks BIRD 2's configuration language (2.x and 3.x do). */
    boolean bird2Syntax() {
      return this != BIRD16;
    }
  }

  public static final IpPrefix DUMMY4 = IpPrefix.parse("10.189.200.255/32");
  public static final IpPrefix DUMMY6 = IpPrefix.parse("2001:db8::1/128");
  public static final String VAR4 = "ACAST_PS_ADVERTISE";
  public static final String VAR6 = "ACAST6_PS_ADVERTISE";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

  private final Node kind;
  private final Path dir;
  private final String nodeNs;
  private final String peerNs;
  private final Set<IpPrefix> routes;
  private final List<Process> nodeProcs = new ArrayList<>();
  private Process peerProc;
  private final BirdSocket peerSocket;
  private final Path bird16;
  private final Path bird3;

  private BgpTestbed(Node kind, Path dir, Collection<IpPrefix> routes, Path bird16, Path bird3) {
    this.kind = kind;
    this.dir = dir;
    String id = Long.toString(ProcessHandle.current().pid() % 100000, 36)
        + Integer.toString(ThreadLocalRandom.current().nextInt(36 * 36 * 36), 36);
    this.nodeNs = "ahcn-" + id;
    this.peerNs = "ahcp-" + id;
    this.routes = new TreeSet<>(routes);
    this.bird16 = bird16;
    this.bird3 = bird3;
    this.peerSocket = new BirdSocket(dir.resolve("peer.ctl"), Duration.ofSeconds(10));
  }

  /** Starts both namespaces and BIRDs, and waits until every BGP session is established. */
  public static BgpTestbed start(Node kind, Path dir, Collection<IpPrefix> routes) throws Exception {
    Path b16 = kind == Node.BIRD16 ? BirdBinaries.bird16() : null;
    Path b3 = kind == Node.BIRD3 ? BirdBinaries.bird3() : null;
    BgpTestbed t = new BgpTestbed(kind, dir, routes, b16, b3);
    try {
      t.network();
      t.writeConfigs();
      t.peerProc = t.spawn(t.peerNs, BirdBinaries.BIRD2, "peer");
      t.awaitSocket(t.dir.resolve("peer.ctl"), List.of(t.peerProc));
      t.startNode();
      t.awaitEstablished(START_TIMEOUT);
      return t;
    } catch (Exception | Error e) {
      t.close();
      throw e;
    }
  }

  /** Returns the prefix file the node's BIRD includes for {@code f}. */
  public Path prefixFile(IpFamily f) {
    return f == IpFamily.IPV4 ? dir.resolve("node/anycast-prefixes.conf")
        : dir.resolve("node/6/anycast-prefixes.conf");
  }

  /** Returns the control socket of the node BIRD serving {@code f}. */
  public Path nodeSocket(IpFamily f) {
    return kind == Node.BIRD16 && f == IpFamily.IPV6 ? dir.resolve("node6.ctl") : dir.resolve("node.ctl");
  }

  /** Returns a {@code bird_reconfigure_cmd} for {@code f}: birdc (or birdc6) on the node's socket. */
  public String reconfigureCommand(IpFamily f) {
    Path birdc = switch (kind) {
      case BIRD2 -> BirdBinaries.BIRDC2;
      case BIRD3 -> bird3.resolve("birdc");
      case BIRD16 -> bird16.resolve(f == IpFamily.IPV4 ? "birdc" : "birdc6");
    };
    return birdc + " -s " + nodeSocket(f) + " configure";
  }

  /**
   * Returns {@code command} prefixed to run in the node's network namespace: a process there (the
   * daemon) has its own loopback and its own abstract sockets, so its single-instance lock meets
   * no other daemon on the machine. {@code ip netns exec} execs in place: the pid is the command's.
   */
  public List<String> inNodeNamespace(List<String> command) {
    List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", nodeNs));
    full.addAll(command);
    return full;
  }

  /** Returns the name of the node's network namespace (to link it to other test hosts). */
  public String nodeNamespace() {
    return nodeNs;
  }

  /**
   * Links the node's namespace to this host's (the test's) with a veth pair of its own, and
   * returns the node's address on it: a browser or HTTP client in the test can then reach a
   * daemon listening there. The pair goes away with the namespace.
   */
  public String linkToHost() throws Exception {
    String id = nodeNs.substring(5);
    String host = "ahch" + id;
    String node = "ahck" + id;
    int net = 4 * ThreadLocalRandom.current().nextInt(1, 60);
    ip("link", "add", host, "type", "veth", "peer", "name", node, "netns", nodeNs);
    ip("addr", "add", "10.254.254." + (net + 1) + "/30", "dev", host);
    ip("link", "set", host, "up");
    ip("-n", nodeNs, "addr", "add", "10.254.254." + (net + 2) + "/30", "dev", node);
    ip("-n", nodeNs, "link", "set", node, "up");
    return "10.254.254." + (net + 2);
  }

  /** Returns the family settings a daemon would have for this node; socket or command. */
  BirdFamilyConfig familyConfig(IpFamily f, boolean useSocket) {
    return new BirdFamilyConfig(f, prefixFile(f), f == IpFamily.IPV4 ? VAR4 : VAR6,
        reconfigureCommand(f), f == IpFamily.IPV4 ? DUMMY4 : DUMMY6, false, 128,
        useSocket ? nodeSocket(f) : null);
  }

  /** Returns {@code configure check} of the node BIRD for {@code f} (code 0020 when accepted). */
  public ReconfigureResult configureCheck(IpFamily f) throws InterruptedException {
    try (BirdSocket socket = new BirdSocket(nodeSocket(f), Duration.ofSeconds(10))) {
      return socket.configureCheck();
    }
  }

  /** Returns the prefixes the peer has learned over BGP for {@code f}. */
  public Set<IpPrefix> peerRoutes(IpFamily f) throws IOException, InterruptedException {
    Set<IpPrefix> out = new TreeSet<>();
    String table = f == IpFamily.IPV4 ? "master4" : "master6";
    for (BirdReply.Line l : peerSocket.command("show route table " + table)) {
      String[] words = l.text().strip().split("\\s+");
      if (words.length > 0 && IpPrefix.isValid(words[0]) && IpPrefix.parse(words[0]).family() == f) {
        out.add(IpPrefix.parse(words[0]));
      }
    }
    return out;
  }

  /**
   * Waits until the peer has exactly {@code expected} for {@code f}; returns how long it took.
   *
   * @throws AssertionError naming what the peer has when it does not get there in time
   */
  public Duration awaitPeerRoutes(IpFamily f, Set<IpPrefix> expected, Duration timeout) throws Exception {
    long t0 = System.nanoTime();
    long deadline = t0 + timeout.toNanos();
    Set<IpPrefix> seen = Set.of();
    while (System.nanoTime() < deadline) {
      try {
        seen = peerRoutes(f);
        if (seen.equals(new TreeSet<>(expected))) {
          return Duration.ofNanos(System.nanoTime() - t0);
        }
      } catch (IOException e) {
        seen = Set.of(); // the peer is (re)starting
      }
      Thread.sleep(50);
    }
    throw new AssertionError("after " + timeout + " the peer has " + seen.size() + " " + f.label()
        + " routes " + abbreviate(seen) + ", expected " + expected.size() + " " + abbreviate(expected));
  }

  /** Stops the node BIRD(s) with SIGTERM and waits for them to exit. */
  public void stopNode() throws InterruptedException {
    for (Process p : nodeProcs) {
      p.destroy();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    nodeProcs.clear();
  }

  /**
   * Kills the node BIRD(s) with SIGKILL, as a crash or the OOM killer would: no goodbye on the
   * control socket, which stays behind as a file, and BGP sessions dropped without a NOTIFICATION.
   */
  public void killNode() throws InterruptedException {
    for (Process p : nodeProcs) {
      p.destroyForcibly(); // `ip netns exec` exec'd BIRD in place: this pid is BIRD's
      p.waitFor(10, TimeUnit.SECONDS);
    }
    nodeProcs.clear();
  }

  /** Starts the node BIRD(s) on the current prefix files. */
  public void startNode() throws Exception {
    if (kind == Node.BIRD2) {
      nodeProcs.add(spawn(nodeNs, BirdBinaries.BIRD2, "node"));
    } else if (kind == Node.BIRD3) {
      nodeProcs.add(spawn(nodeNs, bird3.resolve("bird"), "node"));
    } else {
      nodeProcs.add(spawn(nodeNs, bird16.resolve("bird"), "node"));
      nodeProcs.add(spawn(nodeNs, bird16.resolve("bird6"), "node6"));
    }
    for (IpFamily f : IpFamily.values()) {
      awaitSocket(nodeSocket(f), nodeProcs);
    }
  }

  /** Waits until every BGP session of the peer is Established. */
  void awaitEstablished(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      try {
        List<BirdReply.Line> reply = peerSocket.command("show protocols");
        last = reply.stream().map(BirdReply.Line::text).reduce("", (a, b) -> a + "\n" + b);
        long up = reply.stream().filter(l -> l.text().startsWith("node") && l.text().contains("Established")).count();
        if (up == 2) {
          return;
        }
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("BGP sessions not established after " + timeout + ":" + last
        + "\nnode log:\n" + tail(dir.resolve("node.log")) + "\npeer log:\n" + tail(dir.resolve("peer.log")));
  }

  private void network() throws Exception {
    ip("netns", "add", nodeNs);
    ip("netns", "add", peerNs);
    String id = nodeNs.substring(5);
    String a = "ahcv" + id;
    String b = "ahcw" + id;
    ip("link", "add", a, "netns", nodeNs, "type", "veth", "peer", "name", b, "netns", peerNs);
    for (String[] side : new String[][] {{nodeNs, a, "10.255.0.1/30", "fd00:ffff::1/64"},
        {peerNs, b, "10.255.0.2/30", "fd00:ffff::2/64"}}) {
      ip("-n", side[0], "link", "set", "lo", "up");
      ip("-n", side[0], "addr", "add", side[2], "dev", side[1]);
      ip("-n", side[0], "-6", "addr", "add", side[3], "dev", side[1], "nodad");
      ip("-n", side[0], "link", "set", side[1], "up");
    }
  }

  private static void ip(String... args) throws Exception {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "ip";
    System.arraycopy(args, 0, cmd, 1, args.length);
    BirdBinaries.run(Path.of("/"), cmd);
  }

  private Process spawn(String ns, Path bird, String name) throws IOException {
    Files.deleteIfExists(dir.resolve(name + ".ctl"));
    // `ip netns exec` execs BIRD in place, so the Process is BIRD itself; -f keeps it in front.
    return new ProcessBuilder("ip", "netns", "exec", ns, bird.toString(), "-f",
        "-c", dir.resolve(name + ".conf").toString(), "-s", dir.resolve(name + ".ctl").toString(),
        "-P", dir.resolve(name + ".pid").toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".out").toFile()))
        .start();
  }

  private void awaitSocket(Path socket, List<Process> birds) throws Exception {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline && birds.stream().allMatch(Process::isAlive)) {
      try (BirdSocket s = new BirdSocket(socket, Duration.ofSeconds(2))) {
        s.command("show status");
        return;
      } catch (IOException e) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("no BIRD on " + socket + "; output: " + tail(dir.resolve(
        socket.getFileName().toString().replace(".ctl", ".out"))));
  }

  private void writeConfigs() throws IOException {
    Files.createDirectories(prefixFile(IpFamily.IPV6).getParent());
    LocalDateTime t = LocalDateTime.now();
    Files.writeString(prefixFile(IpFamily.IPV4), PrefixFile.of(VAR4, DUMMY4, List.of()).render(t, 0));
    Files.writeString(prefixFile(IpFamily.IPV6), PrefixFile.of(VAR6, DUMMY6, List.of()).render(t, 0));
    String timers = "    enable route refresh off;\n    connect delay time 1;\n"
        + "    connect retry time 2;\n    error wait time 1, 2;\n";
    Files.writeString(dir.resolve("peer.conf"), "log \"" + dir.resolve("peer.log") + "\" all;\n"
        + "router id 10.255.0.2;\nprotocol device { scan time 10; }\n"
        + "protocol bgp node4 {\n    local 10.255.0.2 as 65002;\n    neighbor 10.255.0.1 as 65001;\n"
        + timers + "    ipv4 { import all; export none; };\n}\n"
        + "protocol bgp node6 {\n    local fd00:ffff::2 as 65002;\n    neighbor fd00:ffff::1 as 65001;\n"
        + timers + "    ipv6 { import all; export none; };\n}\n");
    Map<IpFamily, StringBuilder> statics = Map.of(IpFamily.IPV4, new StringBuilder(),
        IpFamily.IPV6, new StringBuilder());
    for (IpPrefix p : routes) {
      statics.get(p.family()).append("    route ").append(p).append(" blackhole;\n");
    }
    if (kind.bird2Syntax()) {
      Files.writeString(dir.resolve("node.conf"), "log \"" + dir.resolve("node.log") + "\" all;\n"
          + "router id 10.255.0.1;\n"
          + "include \"" + prefixFile(IpFamily.IPV4) + "\";\n"
          + "include \"" + prefixFile(IpFamily.IPV6) + "\";\n"
          + "function match_route() { return net ~ " + VAR4 + "; }\n"
          + "function match_route6() { return net ~ " + VAR6 + "; }\n"
          + "protocol device { scan time 10; }\n"
          + "protocol static static4 {\n    ipv4;\n" + statics.get(IpFamily.IPV4) + "}\n"
          + "protocol static static6 {\n    ipv6;\n" + statics.get(IpFamily.IPV6) + "}\n"
          + "protocol bgp peer4 {\n    local 10.255.0.1 as 65001;\n    neighbor 10.255.0.2 as 65002;\n"
          + timers + "    ipv4 { import none; export where match_route(); };\n}\n"
          + "protocol bgp peer6 {\n    local fd00:ffff::1 as 65001;\n    neighbor fd00:ffff::2 as 65002;\n"
          + timers + "    ipv6 { import none; export where match_route6(); };\n}\n");
    } else {
      Files.writeString(dir.resolve("node.conf"), bird16Config(IpFamily.IPV4, statics.get(IpFamily.IPV4), timers));
      Files.writeString(dir.resolve("node6.conf"), bird16Config(IpFamily.IPV6, statics.get(IpFamily.IPV6), timers));
    }
  }

  private String bird16Config(IpFamily f, CharSequence statics, String timers) {
    boolean v4 = f == IpFamily.IPV4;
    return "log \"" + dir.resolve(v4 ? "node.log" : "node6.log") + "\" all;\n"
        + "router id 10.255.0.1;\n"
        + "include \"" + prefixFile(f) + "\";\n"
        + "function match_route() { return net ~ " + (v4 ? VAR4 : VAR6) + "; }\n"
        + "protocol device { scan time 10; }\n"
        + "protocol static {\n" + statics + "}\n"
        + "protocol bgp uplink {\n    local " + (v4 ? "10.255.0.1" : "fd00:ffff::1") + " as 65001;\n"
        + "    neighbor " + (v4 ? "10.255.0.2" : "fd00:ffff::2") + " as 65002;\n"
        + timers + "    import none;\n    export where match_route();\n}\n";
  }

  private static String tail(Path p) {
    try {
      List<String> lines = Files.readAllLines(p);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(" + e + ")";
    }
  }

  private static String abbreviate(Set<IpPrefix> s) {
    String text = s.toString();
    return text.length() > 300 ? text.substring(0, 300) + "…" : text;
  }

  @Override
  public void close() throws InterruptedException {
    peerSocket.close();
    stopNode();
    if (peerProc != null) {
      peerProc.destroy();
      if (!peerProc.waitFor(10, TimeUnit.SECONDS)) {
        peerProc.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    for (String ns : List.of(nodeNs, peerNs)) {
      try {
        ip("netns", "del", ns); // deleting a namespace deletes its end of the veth pair too
      } catch (Exception e) {
        // not created, or already gone
      }
    }
  }
}
