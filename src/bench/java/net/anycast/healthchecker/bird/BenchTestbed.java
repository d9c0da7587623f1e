package net.anycast.healthchecker.bird;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.LocalDateTime;
import java.util.Collection;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;

/**
 * The end-to-end fixture {@link BgpTestbed} (node BIRD 2 + peer BIRD 2 over BGP in network
 * namespaces) as the benchmark needs it: public, IPv4 only, and with microsecond timestamps in
 * the node's log, where each {@code configure} shows as a {@code Reconfiguring} line stamped
 * with the time BIRD's event loop woke up for the command.
 */
public final class BenchTestbed implements AutoCloseable {
  /** How the node logs times: ISO date and time with microseconds. */
  private static final String TIMEFORMAT = "timeformat log \"%F %T.%6f\";\n";

  private final BgpTestbed testbed;
  private final Path dir;

  private BenchTestbed(BgpTestbed testbed, Path dir) {
    this.testbed = testbed;
    this.dir = dir;
  }

  /** Starts the testbed with a static blackhole route for each of {@code routes}. */
  public static BenchTestbed start(Path dir, Collection<IpPrefix> routes) throws Exception {
    BenchTestbed t = new BenchTestbed(BgpTestbed.start(BgpTestbed.Node.BIRD2, dir, routes), dir);
    try {
      Path conf = dir.resolve("node.conf");
      Files.writeString(conf, TIMEFORMAT + Files.readString(conf));
      ReconfigureResult r = t.configure();
      if (r instanceof ReconfigureResult.Failed f) {
        throw new IOException("node BIRD rejected the timeformat: " + f.reason());
      }
      return t;
    } catch (Exception | Error e) {
      t.close();
      throw e;
    }
  }

  /** Returns the IPv4 prefix file the node BIRD includes. */
  public Path prefixFile() {
    return testbed.prefixFile(IpFamily.IPV4);
  }

  /** Returns the node BIRD's control socket. */
  public Path nodeSocket() {
    return testbed.nodeSocket(IpFamily.IPV4);
  }

  /** Returns the peer BIRD's control socket. */
  public Path peerSocket() {
    return dir.resolve("peer.ctl");
  }

  /** Returns the node BIRD's log file. */
  public Path nodeLog() {
    return dir.resolve("node.log");
  }

  /** Writes the prefix file announcing {@code prefixes} (atomically, not fsync'd). */
  public void writePrefixes(Collection<IpPrefix> prefixes) throws IOException {
    Path tmp = prefixFile().resolveSibling("bench.tmp");
    Files.writeString(tmp, PrefixFile.of(BgpTestbed.VAR4, BgpTestbed.DUMMY4, prefixes)
        .render(LocalDateTime.now(), ProcessHandle.current().pid()));
    Files.move(tmp, prefixFile(), StandardCopyOption.ATOMIC_MOVE);
  }

  /**
   * Sends a bare {@code configure} to the node BIRD over its control socket: the physical
   * limit, without the daemon's wake-up command that follows a confirmed configure.
   */
  public ReconfigureResult configure() throws InterruptedException {
    try (BirdSocket socket = new BirdSocket(nodeSocket(), Duration.ofSeconds(30))) {
      return BirdReply.ofConfigure(socket.command("configure"));
    } catch (IOException e) {
      return new ReconfigureResult.Failed(e.toString());
    }
  }

  @Override
  public void close() throws InterruptedException {
    testbed.close();
  }
}
