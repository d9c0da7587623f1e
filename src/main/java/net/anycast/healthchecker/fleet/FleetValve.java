package net.anycast.healthchecker.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import net.anycast.healthchecker.bird.ReconcilerStatus;
import net.anycast.healthchecker.config.FleetConfig;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.inputs.FleetGate;
import net.anycast.healthchecker.inputs.Inputs;
import net.anycast.healthchecker.inputs.InputsRef;
import net.anycast.healthchecker.net.IpPrefix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet safety valve: keeps this node's keys in etcd in step with what it announces, and
 * turns a health-driven withdrawal into a question to the fleet.
 *
 * <p>One thread. Each step (after any change of the inputs or of a reconciler's pass, and on a
 * timer) it keeps the lease alive, registers every configured prefix, keeps an announcer key for
 * every prefix the prefix files announce, and for each prefix a reconciler holds (down, not
 * permitted yet, see {@link FleetGate}) asks {@link ValveDecision} and, when allowed, deletes
 * its announcer key in one transaction that checks the witnesses; only then does it publish the
 * permit, and the reconciler withdraws. A refused prefix is asked about again every second.
 *
 * <p>etcd unreachable: nothing here blocks a check or a pass (they never wait on this thread),
 * and every call has a short deadline. After {@code fleet_lease_ttl} without an answer, when the
 * node's keys have expired for the others anyway, the node decides alone (the gate stops
 * guarding); when etcd answers again it takes a new lease, registers again and guards again.
 */
public final class FleetValve implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FleetValve.class);
  private static final Duration ASK_AGAIN = Duration.ofSeconds(1);
  static final String UP = "up";
  static final String DOWN = "down";

  private final FleetConfig config;
  private final EtcdClient etcd;
  private final InputsRef inputs;
  private final Supplier<List<ReconcilerStatus>> reconcilers;
  private final LongSupplier nanoTime;
  private final FleetKeys keys;
  private final AtomicReference<FleetStatus> status;
  private final Object signal = new Object();
  private boolean woken; // guarded by signal
  private volatile boolean closing;
  private volatile long lastTurnNanos;
  private Thread thread;

  // Touched only by the valve's thread.
  private long lease;
  private long lastKeepAliveNanos;
  private long lastContactNanos;
  private final long startNanos;
  private FleetStatus.Mode mode = FleetStatus.Mode.CONNECTING;
  private String lastError = "";
  private final Set<IpPrefix> registered = new HashSet<>();
  // Prefixes with an announcer key of this node, and what it says: UP or DOWN (held, asking).
  private final Map<IpPrefix, String> announcing = new HashMap<>();
  private final Map<IpPrefix, String> held = new TreeMap<>();
  private long lastAskNanos;

  public FleetValve(FleetConfig config, EtcdClient etcd, InputsRef inputs,
      Supplier<List<ReconcilerStatus>> reconcilers, LongSupplier nanoTime) {
    this.config = config;
    this.etcd = etcd;
    this.inputs = inputs;
    this.reconcilers = reconcilers;
    this.nanoTime = nanoTime;
    this.keys = new FleetKeys(config.keyPrefix());
    this.status = new AtomicReference<>(FleetStatus.initial(config.nodeName()));
    this.startNanos = nanoTime.getAsLong();
    this.lastTurnNanos = startNanos;
  }

  /**
   * Returns when (monotonic) the valve's thread last went round its loop: at least once a
   * second while it lives, for the watchdog.
   */
  public long lastTurnNanos() {
    return lastTurnNanos;
  }

  /** Returns the latest snapshot. */
  public FleetStatus status() {
    return status.get();
  }

  /** Starts the valve's thread; the gate guards from here until etcd has been away too long. */
  public void start() {
    inputs.update(i -> i.withFleet(i.fleet().guarding(true)));
    thread = Thread.ofVirtual().name("fleet-valve").start(this::run);
  }

  /** Asks for a step soon (cheap; called on every change of the inputs and every pass). */
  public void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  private void run() {
    while (!closing) {
      lastTurnNanos = nanoTime.getAsLong();
      long waitNanos;
      try {
        waitNanos = step();
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.error("fleet valve step failed unexpectedly; trying again", e);
        waitNanos = ASK_AGAIN.toNanos();
      }
      synchronized (signal) {
        long end = System.nanoTime() + waitNanos;
        while (!woken && !closing) {
          long left = end - System.nanoTime();
          if (left <= 0) {
            break;
          }
          try {
            signal.wait(Math.max(1, left / 1_000_000));
          } catch (InterruptedException e) {
            return;
          }
        }
        woken = false;
      }
    }
  }

  /** One step; returns how long to wait for the next one if nothing wakes the valve. */
  long step() throws InterruptedException {
    long now = nanoTime.getAsLong();
    Duration ttl = config.leaseTtl();
    long keepAliveEvery = ttl.toNanos() / 3;
    try {
      if (lease != 0 && now - lastKeepAliveNanos >= keepAliveEvery) {
        long left = etcd.keepAlive(lease);
        lastKeepAliveNanos = now;
        contact(now);
        if (left <= 0) {
          LOG.warn("fleet valve: etcd lease {} of node {} had expired; registering again",
              Long.toHexString(lease), config.nodeName());
          lease = 0;
        } else {
          refreshOwnKeys(etcd.entries(keys.all()));
        }
      }
      if (lease == 0) {
        lease = etcd.grant(ttl);
        lastKeepAliveNanos = now;
        registered.clear();
        announcing.clear();
        contact(now);
      }
      reconcile();
      lastError = "";
    } catch (EtcdException e) {
      failed(now, e);
    }
    publish();
    long next = keepAliveEvery - (nanoTime.getAsLong() - lastKeepAliveNanos);
    // At least once a second (a step with nothing due sends nothing), so the watchdog sees the
    // thread turn; sooner when a keep-alive is due.
    return Math.max(Math.min(next, ASK_AGAIN.toNanos()), 1_000_000);
  }

  /**
   * Takes what etcd holds of this node's announcer keys as the truth: a call that timed out may
   * still have been applied (a transaction deleting the key, say), and a key deleted behind the
   * valve's back must not stay deleted while the node announces. The next reconcile puts back
   * what is missing.
   */
  private void refreshOwnKeys(Map<String, String> entries) {
    Map<IpPrefix, String> seen = new HashMap<>();
    entries.forEach((key, value) -> keys.parse(key).ifPresent(k -> {
      if (k.node().equals(config.nodeName()) && k.role().equals(FleetKeys.ANNOUNCERS)) {
        seen.put(k.prefix(), value);
      }
    }));
    if (!seen.equals(announcing)) {
      announcing.clear();
      announcing.putAll(seen);
    }
  }

  /** Brings the keys in line with the prefix files, and asks about held prefixes. */
  private void reconcile() throws EtcdException, InterruptedException {
    Inputs in = inputs.current();
    Map<IpPrefix, List<String>> owners = owners(in);
    boolean fresh = registered.isEmpty() && !owners.isEmpty();
    List<IpPrefix> unregistered =
        owners.keySet().stream().filter(p -> !registered.contains(p)).toList();
    etcd.putAll(unregistered.stream().map(p -> keys.member(p, config.nodeName())).toList(),
        config.nodeName(), lease);
    registered.addAll(unregistered);
    List<IpPrefix> removed = // by a reload
        registered.stream().filter(p -> !owners.containsKey(p)).sorted().toList();
    etcd.deleteAll(removed.stream().map(p -> keys.member(p, config.nodeName())).toList());
    removed.forEach(registered::remove);
    if (fresh) {
      LOG.info("fleet valve: node {} registered for {} prefixes in etcd (lease {}, TTL {} s)",
          config.nodeName(), registered.size(), Long.toHexString(lease),
          config.leaseTtl().toSeconds());
    }
    Set<IpPrefix> inFiles = new HashSet<>();
    Set<IpPrefix> heldNow = new LinkedHashSet<>();
    for (ReconcilerStatus r : reconcilers.get()) {
      inFiles.addAll(r.desired());
      heldNow.addAll(r.held());
    }
    // The key each prefix should have: UP while announced, DOWN while held (so the others pick
    // their witnesses among the nodes that stay), none once withdrawn — deliberately, or with
    // the valve's permit (its transaction deleted the key already).
    Set<IpPrefix> permitted = in.fleet().permitted();
    Map<IpPrefix, String> want = new HashMap<>();
    for (IpPrefix p : owners.keySet()) {
      if (heldNow.contains(p) && !permitted.contains(p)) {
        want.put(p, DOWN);
      } else if (inFiles.contains(p) && !heldNow.contains(p)) {
        want.put(p, UP);
      }
    }
    String self = config.nodeName();
    List<IpPrefix> gone = announcing.keySet().stream().filter(p -> !want.containsKey(p)).toList();
    etcd.deleteAll(gone.stream().map(p -> keys.announcer(p, self)).toList());
    gone.forEach(announcing::remove);
    for (String state : List.of(UP, DOWN)) {
      List<IpPrefix> put = want.entrySet().stream().filter(e -> e.getValue().equals(state)
          && !state.equals(announcing.get(e.getKey()))).map(Map.Entry::getKey).toList();
      etcd.putAll(put.stream().map(p -> keys.announcer(p, self)).toList(), state, lease);
      put.forEach(p -> announcing.put(p, state));
    }
    held.keySet().retainAll(heldNow);
    // A new hold is asked about at once; the ones refused before, once a second (every pass
    // wakes the valve, and a pass can come every few milliseconds).
    boolean due = nanoTime.getAsLong() - lastAskNanos >= ASK_AGAIN.toNanos()
        || !held.keySet().containsAll(heldNow);
    if (!heldNow.isEmpty() && due) {
      lastAskNanos = nanoTime.getAsLong();
      ask(heldNow, owners);
    }
  }

  /**
   * Asks etcd whether each held prefix may go; permits those that may. A transaction that lost
   * to another node's at the same moment is asked again at once with fresh counts (a few times).
   */
  private void ask(Set<IpPrefix> heldNow, Map<IpPrefix, List<String>> owners)
      throws EtcdException, InterruptedException {
    Set<IpPrefix> open = new LinkedHashSet<>(heldNow);
    open.removeAll(inputs.current().fleet().permitted()); // the reconciler has yet to withdraw
    for (int attempt = 0; attempt < 3 && !open.isEmpty(); attempt++) {
      open = askOnce(open, owners);
    }
    for (IpPrefix p : open) {
      String why = "other nodes withdrew at the same moment; asking again";
      hold(p, String.join(",", owners.getOrDefault(p, List.of())), why);
    }
  }

  /** One round of {@link #ask}; returns the prefixes whose transaction lost a race. */
  private Set<IpPrefix> askOnce(Set<IpPrefix> open, Map<IpPrefix, List<String>> owners)
      throws EtcdException, InterruptedException {
    Map<IpPrefix, Set<String>> announcers = new HashMap<>();
    Map<IpPrefix, Set<String>> down = new HashMap<>();
    Map<IpPrefix, Set<String>> members = new HashMap<>();
    Map<String, String> entries = etcd.entries(keys.all());
    refreshOwnKeys(entries);
    entries.forEach((key, value) -> keys.parse(key).ifPresent(k -> {
      boolean announcer = k.role().equals(FleetKeys.ANNOUNCERS);
      (announcer ? announcers : members).computeIfAbsent(k.prefix(), x -> new HashSet<>())
          .add(k.node());
      if (announcer && value.equals(DOWN)) {
        down.computeIfAbsent(k.prefix(), x -> new HashSet<>()).add(k.node());
      }
    }));
    String self = config.nodeName();
    Set<IpPrefix> lost = new LinkedHashSet<>();
    for (IpPrefix p : open) {
      if (!DOWN.equals(announcing.get(p))) { // its key lost or not yet saying so: count it in
        etcd.put(keys.announcer(p, self), DOWN, lease);
        announcing.put(p, DOWN);
        announcers.computeIfAbsent(p, x -> new HashSet<>()).add(self);
      }
      ValveDecision d = ValveDecision.decide(self, announcers.getOrDefault(p, Set.of()),
          down.getOrDefault(p, Set.of()), members.getOrDefault(p, Set.of()),
          config.minAnnouncers());
      String services = String.join(",", owners.getOrDefault(p, List.of()));
      if (!d.allowed()) {
        hold(p, services, d.why());
        continue;
      }
      if (etcd.deleteIfAllExist(keys.announcer(p, self),
          d.witnesses().stream().map(w -> keys.announcer(p, w)).toList())) {
        announcing.remove(p);
        held.remove(p);
        Inputs after = inputs.update(i -> i.permitFleetWithdrawal(p));
        if (after.fleet().permitted().contains(p)) {
          LOG.info("fleet valve lets {} withdraw {} of {}: {}", self, p, services, d.why());
        } else { // recovered while asking: the next reconcile puts its key back
          LOG.info("fleet valve: {} of {} recovered while the fleet was asked; announced", p,
              services);
        }
      } else {
        lost.add(p);
      }
    }
    return lost;
  }

  /** Records a held prefix and why; logs only when the reason changed. */
  private void hold(IpPrefix p, String services, String why) {
    if (!why.equals(held.put(p, why))) {
      LOG.warn("{} of {} held by the fleet valve (announced although down): {}", p, services,
          why);
    }
  }

  /** Returns every configured prefix with the services that announce it. */
  private static Map<IpPrefix, List<String>> owners(Inputs in) {
    Map<IpPrefix, List<String>> out = new TreeMap<>();
    for (ServiceConfig s : in.services()) {
      for (IpPrefix p : s.prefixes()) {
        out.computeIfAbsent(p, x -> new ArrayList<>()).add(s.name());
      }
    }
    return out;
  }

  private void contact(long now) {
    lastContactNanos = now;
    if (mode != FleetStatus.Mode.FLEET) {
      if (mode == FleetStatus.Mode.ALONE) {
        LOG.warn("fleet valve: etcd answers again; node {} decides with the fleet again",
            config.nodeName());
      }
      mode = FleetStatus.Mode.FLEET;
      inputs.update(i -> i.withFleet(i.fleet().guarding(true)));
    }
  }

  private void failed(long now, EtcdException e) {
    boolean first = lastError.isEmpty();
    lastError = e.getMessage();
    if (first) {
      LOG.warn("fleet valve: etcd call failed: {}; retrying every {} s", lastError,
          ASK_AGAIN.toSeconds());
    }
    long since = lastContactNanos == 0 ? startNanos : lastContactNanos;
    if (mode != FleetStatus.Mode.ALONE && now - since >= config.leaseTtl().toNanos()) {
      mode = FleetStatus.Mode.ALONE;
      lease = 0; // expired for the others by now; a new one when etcd is back
      registered.clear();
      announcing.clear();
      held.clear();
      inputs.update(i -> i.withFleet(i.fleet().guarding(false)));
      LOG.error("fleet valve: no answer from etcd for {} s (fleet_lease_ttl); node {} decides"
          + " alone: a failed service withdraws without asking the fleet. Last error: {}",
          Duration.ofNanos(now - since).toSeconds(), config.nodeName(), lastError);
    }
  }

  private void publish() {
    status.set(new FleetStatus(config.nodeName(), mode, lease, lastContactNanos, etcd.requests(),
        etcd.failures(), lastError, new TreeMap<>(held)));
  }

  /**
   * Stops the valve; revokes the lease so the others count this node out at once (its routes
   * are the stop's business: {@code on_shutdown} decides them, and a stop is never held).
   */
  @Override
  public void close() throws InterruptedException {
    closing = true;
    wake();
    if (thread != null) {
      thread.interrupt();
      thread.join(Duration.ofSeconds(5));
    }
    if (lease != 0) {
      try {
        etcd.revoke(lease);
        LOG.info("fleet valve: revoked lease {} of node {}", Long.toHexString(lease),
            config.nodeName());
      } catch (EtcdException e) {
        LOG.warn("fleet valve: could not revoke lease {} ({}); its keys expire within {} s",
            Long.toHexString(lease), e.getMessage(), config.leaseTtl().toSeconds());
      }
    }
  }
}
