package net.anycast.healthchecker.check;

import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;

/**
 * Whether every prefix of a service is an address of its interface, read in-process.
 *
 * <p>A prefix counts as assigned when the interface has an address equal to the prefix's
 * network address with the same prefix length ({@code ip addr add 10.52.12.1/32 dev lo}). The
 * original forks {@code ip address show dev IF to PREFIX} every iteration; here one read of
 * the kernel's table, at most {@code maxAge} old, serves every service.
 */
public final class IpAssignment {

  /** How the question was answered. */
  public sealed interface Answer {
    /** Every prefix is on the interface. */
    record Assigned() implements Answer {}

    /** {@code missing} (the first one found) is not on the interface. */
    record NotAssigned(IpPrefix missing) implements Answer {}

    /** No interface has that name; nothing can be assigned to it. */
    record NoSuchInterface() implements Answer {}

    /** The interface table could not be read. */
    record CannotTell(String reason) implements Answer {}
  }

  /** Returns the address table: interface name to its addresses that are valid prefixes. */
  @FunctionalInterface
  public interface InterfaceTable {
    Map<String, Set<IpPrefix>> read() throws SocketException;
  }

  private record Snapshot(long readAt, Map<String, Set<IpPrefix>> table) {}

  private final InterfaceTable table;
  private final LongSupplier nanoTime;
  private final long maxAgeNanos;
  private volatile Snapshot snapshot;

  /** Returns the production instance: the kernel's table through NetworkInterface, ≤1 s old. */
  public static IpAssignment system() {
    return new IpAssignment(IpAssignment::readSystemTable, System::nanoTime, Duration.ofSeconds(1));
  }

  /** Returns an instance reading {@code table}, re-reading when a read is older than maxAge. */
  public IpAssignment(InterfaceTable table, LongSupplier nanoTime, Duration maxAge) {
    this.table = table;
    this.nanoTime = nanoTime;
    this.maxAgeNanos = maxAge.toNanos();
  }

  /** Returns whether all of {@code prefixes} are assigned to {@code interfaceName}. */
  public Answer check(String interfaceName, List<IpPrefix> prefixes) {
    Map<String, Set<IpPrefix>> current;
    try {
      current = current();
    } catch (SocketException | RuntimeException e) {
      return new Answer.CannotTell(e.toString());
    }
    Set<IpPrefix> addresses = current.get(interfaceName);
    if (addresses == null) {
      return new Answer.NoSuchInterface();
    }
    for (IpPrefix prefix : prefixes) {
      if (!addresses.contains(prefix)) {
        return new Answer.NotAssigned(prefix);
      }
    }
    return new Answer.Assigned();
  }

  private Map<String, Set<IpPrefix>> current() throws SocketException {
    Snapshot s = snapshot;
    long now = nanoTime.getAsLong();
    if (s != null && now - s.readAt() < maxAgeNanos) {
      return s.table();
    }
    synchronized (this) {
      s = snapshot;
      now = nanoTime.getAsLong();
      if (s == null || now - s.readAt() >= maxAgeNanos) {
        s = new Snapshot(now, Map.copyOf(table.read()));
        snapshot = s;
      }
      return s.table();
    }
  }

  /** Returns every interface's addresses, as the kernel reports them now. */
  static Map<String, Set<IpPrefix>> readSystemTable() throws SocketException {
    Map<String, Set<IpPrefix>> out = new HashMap<>();
    for (NetworkInterface ni : NetworkInterface.networkInterfaces().toList()) {
      Set<IpPrefix> addresses = new HashSet<>();
      for (InterfaceAddress ia : new ArrayList<>(ni.getInterfaceAddresses())) {
        byte[] bytes = ia.getAddress().getAddress();
        IpFamily family = bytes.length == 4 ? IpFamily.IPV4 : IpFamily.IPV6;
        int length = ia.getNetworkPrefixLength();
        try {
          addresses.add(new IpPrefix(family, bytes, length));
        } catch (IllegalArgumentException e) {
          // An address with host bits set (10.0.0.5/24) can never equal a prefix: skip it.
        }
      }
      out.put(ni.getName(), Set.copyOf(addresses));
    }
    return out;
  }
}
