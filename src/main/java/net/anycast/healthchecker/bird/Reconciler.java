package net.anycast.healthchecker.bird;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.LongToIntFunction;
import java.util.stream.Collectors;
import net.anycast.healthchecker.config.BirdFamilyConfig;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.inputs.Inputs;
import net.anycast.healthchecker.inputs.InputsRef;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.net.IpPrefix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one family's prefix file and BIRD match what the inputs ask for, and keeps trying
 * until they do. The single owner of that file and of reconfiguring that BIRD.
 *
 * <p>Level-triggered: {@link InputsRef} only says "look again", and each pass computes the
 * desired file from the latest {@link Inputs} (services, health, drains, stopping). When passes run is {@link PassPacer}'s
 * decision: at once when idle, folded into one next pass while one runs, held after a
 * reconfigure until the slot's checks are done (a burst costs two reconfigures), retried with
 * backoff after a failure. Nothing here ever stops the daemon.
 *
 * <p>Custom commands and coalescing: a pass compares each service's wanted direction with the
 * last one its {@code custom_bird_reconfigure_cmd} confirmed, and runs that command once with
 * the latest direction ({@code up}/{@code down}); a service that flapped and came back within
 * one pass runs nothing. The family reconfigure runs only when the file changed in a way not
 * covered by custom commands (a prefix of a service without one, the dummy, orphans, the
 * variable name), and always once at start-up, since BIRD may not have loaded the file a killed
 * daemon left behind.
 */
public final class Reconciler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

  /** Runs a service's {@code custom_bird_reconfigure_cmd} with {@code up} or {@code down}. */
  @FunctionalInterface
  public interface CustomCommand {
    ReconfigureResult run(ServiceConfig service, boolean up) throws InterruptedException;
  }

  /** The services of this family and what follows from them; rebuilt when the services change. */
  private record FamilyServices(List<ServiceConfig> all, List<ServiceConfig> mine,
      Map<IpPrefix, ServiceConfig> owner, Map<String, ServiceConfig> withCustom,
      CustomCoverage coverage) {
    static FamilyServices of(IpFamily family, List<ServiceConfig> all) {
      List<ServiceConfig> mine = all.stream()
          .filter(s -> s.prefixes().stream().anyMatch(p -> p.family() == family)).toList();
      Map<IpPrefix, ServiceConfig> owner = new HashMap<>();
      Map<String, ServiceConfig> withCustom = new HashMap<>();
      for (ServiceConfig s : mine) {
        s.prefixes().forEach(p -> owner.put(p, s));
        s.customReconfigureCommand().ifPresent(c -> withCustom.put(s.name(), s));
      }
      return new FamilyServices(all, mine, Map.copyOf(owner), Map.copyOf(withCustom),
          new CustomCoverage(Map.copyOf(owner), Map.copyOf(withCustom)));
    }
  }

  private final boolean purgeIpPrefixes;
  private final InputsRef inputs;
  private final PrefixFileStore store;
  private final Function<BirdFamilyConfig, BirdControl> controls;
  private final AtomicReference<BirdFamilyConfig> reloaded = new AtomicReference<>();
  private final CustomCommand custom;
  private final PassScheduler scheduler;
  private final AutoCloseable onClose;
  private final AtomicReference<ReconcilerStatus> status;
  private final PassPacer pacer;

  // Touched only by passes (and start(), before the first), which never overlap: one thread.
  private BirdFamilyConfig bird; // a reload may change all but the family and the file
  private volatile BirdControl control; // volatile: close() closes the latest one
  private FamilyServices services;
  private KeptPrefixes kept = new KeptPrefixes(Set.of(), Set.of());
  private Set<IpPrefix> announcedNow = Set.of(); // the desired set of the latest pass
  private boolean birdStale = true;
  private final Map<String, Boolean> customApplied = new HashMap<>();
  // Counters for the status snapshot.
  private long passes;
  private long fileWrites;
  private long writeFailures;
  private long reconfigures;
  private long reconfigureFailures;
  private long customFailures;
  private int consecutiveFailures;
  private Duration lastReconfigureDuration = Duration.ZERO;
  private String lastError = "";
  private long appliedVersion = -1; // -1 until BIRD first confirms
  private List<IpPrefix> desiredList = List.of();
  private List<IpPrefix> appliedList = List.of();
  private long lastReconfigureNanos;
  private String lastReconfigureError = "";
  private List<IpPrefix> heldList = List.of();
  private final List<Runnable> statusListeners = new CopyOnWriteArrayList<>();

  /**
   * @param inputs the one input: services, health, drains, stopping; a pass reads the latest
   * @param checksDueBy how many service checks due by a time are unfinished (a hold after a
   *     reconfigure ends when none due by its start is left)
   * @param holdoff how the pass after a reconfigure waits for a burst to end
   * @param controls makes the way to tell BIRD of a family's settings (again after a reload
   *     changed {@code bird_socket} or {@code bird_reconfigure_cmd})
   * @param onClose closed by {@link #close()} (the scheduler when the reconciler owns it)
   */
  public Reconciler(BirdFamilyConfig bird, boolean purgeIpPrefixes, InputsRef inputs,
      LongToIntFunction checksDueBy, PrefixFileStore store,
      Function<BirdFamilyConfig, BirdControl> controls, CustomCommand custom,
      PassScheduler scheduler, Backoff backoff, Holdoff holdoff, AutoCloseable onClose) {
    this.bird = bird;
    this.purgeIpPrefixes = purgeIpPrefixes;
    this.inputs = inputs;
    this.store = store;
    this.controls = controls;
    this.control = controls.apply(bird);
    this.custom = custom;
    this.scheduler = scheduler;
    this.pacer = new PassPacer(this::runPass, scheduler, backoff, holdoff, checksDueBy);
    this.onClose = onClose;
    this.status = new AtomicReference<>(ReconcilerStatus.initial(bird.family(), scheduler.nanoTime()));
  }

  /**
   * Returns the production reconciler of one family: the file of {@code bird_conf}, the control
   * socket when {@code bird_socket} is set (else {@code bird_reconfigure_cmd}), its own thread.
   */
  public static Reconciler create(BirdFamilyConfig bird, boolean purgeIpPrefixes,
      InputsRef inputs, LongToIntFunction checksDueBy) {
    PassScheduler.SingleThread thread = PassScheduler.singleThread("bird-" + bird.family().label());
    return new Reconciler(bird, purgeIpPrefixes, inputs, checksDueBy,
        new PrefixFileStore(bird.conf(), bird.keepChanges(), bird.changesCounter(),
            Clock.systemDefaultZone()),
        Reconciler::control, (s, up) -> new CustomReconfigureCommand(s).run(up), thread,
        Backoff.DEFAULT, Holdoff.DEFAULT, thread);
  }

  /** Returns how to tell this family's BIRD: the control socket wins over the command. */
  public static BirdControl control(BirdFamilyConfig bird) {
    Optional<Path> socket = bird.controlSocket();
    return socket.isPresent()
        ? new BirdSocket(socket.get(), BirdSocket.DEFAULT_TIMEOUT)
        : new BirdcCommand(bird.reconfigureCmd(), BirdcCommand.DEFAULT_TIMEOUT);
  }

  /**
   * Start-up sanity (SPEC §3 step 4), then the first pass: reads what the file announces now
   * (kept for services still UNKNOWN), logs what the first pass will fix, and starts listening
   * to the inputs. Never throws for an unreadable file: the passes retry writing it.
   */
  public void start() {
    store.removeStaleTempFiles();
    services = FamilyServices.of(bird.family(), inputs.current().services());
    Set<IpPrefix> atStartup =
        StartupSanity.prefixes(store, bird, services.owner().keySet(), purgeIpPrefixes);
    kept = KeptPrefixes.atStartup(atStartup, services.all());
    announcedNow = atStartup;
    followCustomCommands(Set.of());
    inputs.onChange(this::wake);
    wake();
  }

  /**
   * Keeps the last confirmed direction of every custom command in step with the services: a
   * service not in {@code known} (all at start-up, the added ones after a reload) starts from
   * whether any of its prefixes is announced now; a service gone, or without a command any more,
   * is forgotten. Its command is not run for its removal: the family reconfigure covers it.
   */
  private void followCustomCommands(Set<String> known) {
    customApplied.keySet().retainAll(services.withCustom().keySet());
    for (ServiceConfig s : services.withCustom().values()) {
      if (!known.contains(s.name()) || !customApplied.containsKey(s.name())) {
        customApplied.put(s.name(), s.prefixes().stream().anyMatch(announcedNow::contains));
      }
    }
  }

  /**
   * Takes a reload's settings of this family for the next pass: {@code bird_variable} and the
   * dummy prefix (the file is rewritten and BIRD reconfigured), {@code bird_socket} or {@code
   * bird_reconfigure_cmd} (the old connection is closed; the next reconfigure goes the new way),
   * {@code bird_keep_changes} and {@code bird_changes_counter}.
   *
   * @throws IllegalArgumentException for another family or another prefix file (those need a
   *     restart)
   */
  public void applySettings(BirdFamilyConfig next) {
    BirdFamilyConfig now = reloaded.get() != null ? reloaded.get() : bird;
    if (next.family() != now.family() || !next.conf().equals(now.conf())) {
      throw new IllegalArgumentException("a reload cannot change the family or bird_conf");
    }
    reloaded.set(next);
    wake();
  }

  /** Adopts the settings a reload left for this pass, if any. */
  private void adoptReloadedSettings() {
    BirdFamilyConfig next = reloaded.getAndSet(null);
    if (next == null || next.equals(bird)) {
      return;
    }
    if (!next.reconfigureCmd().equals(bird.reconfigureCmd())
        || !Objects.equals(next.socket(), bird.socket())) {
      control.close();
      control = controls.apply(next);
      LOG.info("{} BIRD is told via {} from now on", next.family().label(), control.describe());
    }
    if (!next.variable().equals(bird.variable()) || !next.dummyPrefix().equals(bird.dummyPrefix())) {
      birdStale = true; // whatever the custom commands cover, BIRD must load the new file
    }
    store.history(next.keepChanges(), next.changesCounter());
    bird = next;
  }

  /** Returns the latest status snapshot. */
  public ReconcilerStatus status() {
    return status.get();
  }

  /**
   * Returns when (monotonic nanoseconds) this reconciler last showed it is alive, for a watchdog:
   * {@code now} while no pass runs, else when the pass in flight began, so a pass stuck in a
   * write or a reconfigure grows old.
   */
  public long progress(long nowNanos) {
    return pacer.progress(nowNanos);
  }

  /** Returns the prefix file this reconciler writes (the target of a symlinked bird_conf). */
  public Path file() {
    return store.file();
  }

  /** Asks for a pass: at once when idle or waiting to retry, else folded into the next one. */
  void wake() {
    pacer.wake();
  }

  /** One pass for the pacer: in sync, in sync after a reconfigure, or failed. */
  private PassPacer.Outcome runPass() throws InterruptedException {
    long reconfiguresBefore = reconfigures;
    try {
      if (!pass()) {
        return PassPacer.Outcome.FAILED;
      }
    } catch (RuntimeException e) {
      // A bug must not silence the BIRD side for good: log it and retry like any failure.
      LOG.error("{} reconcile pass failed unexpectedly", bird.family().label(), e);
      failed("unexpected: " + e);
      return PassPacer.Outcome.FAILED;
    }
    return reconfigures != reconfiguresBefore
        ? PassPacer.Outcome.RECONFIGURED : PassPacer.Outcome.IN_SYNC;
  }

  /** One pass: file, then BIRD, then custom commands. Returns true when all are in sync. */
  private boolean pass() throws InterruptedException {
    passes++;
    adoptReloadedSettings();
    Inputs in = inputs.current();
    if (in.services() != services.all()) { // a reload
      List<ServiceConfig> before = services.all();
      services = FamilyServices.of(bird.family(), in.services());
      kept = kept.afterReload(before, in.services(), announcedNow);
      followCustomCommands(before.stream().map(ServiceConfig::name).collect(Collectors.toSet()));
    }
    DesiredPrefixes desired =
        DesiredPrefixes.compute(bird.family(), in, kept, purgeIpPrefixes, announcedNow);
    announcedNow = desired.prefixes();
    heldList = List.copyOf(desired.held());
    PrefixFile wanted = PrefixFile.of(bird.variable(), bird.dummyPrefix(), desired.prefixes());
    desiredList = List.copyOf(wanted.prefixes());
    String label = bird.family().label();
    try {
      // The store compares before it writes; the old text is needed here only to tell whether
      // custom commands cover the change, so it is read only when there are some.
      Optional<String> before =
          services.withCustom().isEmpty() ? Optional.empty() : store.read();
      if (store.write(wanted)) {
        fileWrites++;
        LOG.info("wrote {} with {} {} prefixes", store.file(), desiredList.size(), label);
        if (!services.coverage().covers(before, wanted)) {
          birdStale = true;
        }
      }
    } catch (IOException e) {
      writeFailures++;
      return failed("failed to write " + label + " prefix file " + store.file() + ": " + e);
    }
    boolean told;
    boolean synced;
    try {
      told = !birdStale || reconfigure(label);
    } finally {
      // After BIRD was told, whatever it answered, and never skipped: see PrefixFileStore.
      synced = sync(label);
    }
    if (!told || !synced) {
      return false;
    }
    boolean ok = true;
    Map<ServiceConfig, Boolean> due = new LinkedHashMap<>();
    for (Map.Entry<String, Boolean> e : desired.announced().entrySet()) {
      ServiceConfig s = services.withCustom().get(e.getKey());
      if (s != null && !e.getValue().equals(customApplied.get(s.name()))) {
        due.put(s, e.getValue());
      }
    }
    Map<ServiceConfig, ReconfigureResult> results = runCustom(due);
    for (Map.Entry<ServiceConfig, Boolean> e : due.entrySet()) {
      ServiceConfig s = e.getKey();
      if (results.get(s) instanceof ReconfigureResult.Failed(String reason)) {
        customFailures++;
        ok = failed(reason);
      } else {
        customApplied.put(s.name(), e.getValue());
        LOG.info("ran custom_bird_reconfigure_cmd of {} with {}", s.name(),
            e.getValue() ? "up" : "down");
      }
    }
    if (ok) {
      consecutiveFailures = 0;
      lastError = "";
      appliedList = desiredList;
      appliedVersion = in.version();
    }
    publish(ok);
    return ok;
  }

  /**
   * Runs the due custom commands all at once, each on a virtual thread, and returns their
   * results. One after another, twenty hanging commands held the pass twenty timeouts, past the
   * watchdog's limit for the reconciler, and systemd restarted the daemon again and again;
   * together they hold it one timeout (each is killed after its own). The commands are the
   * operator's, for different services, so nothing orders them.
   */
  private Map<ServiceConfig, ReconfigureResult> runCustom(Map<ServiceConfig, Boolean> due)
      throws InterruptedException {
    Map<ServiceConfig, ReconfigureResult> results = new ConcurrentHashMap<>();
    if (due.size() == 1) { // the usual case: no thread
      var only = due.entrySet().iterator().next();
      results.put(only.getKey(), custom.run(only.getKey(), only.getValue()));
      return results;
    }
    try (ExecutorService each = Executors.newThreadPerTaskExecutor(
        Thread.ofVirtual().name("custom-bird-reconfigure-", 0).factory())) {
      due.forEach((s, up) -> each.execute(() -> {
        try {
          results.put(s, custom.run(s, up));
        } catch (InterruptedException e) {
          results.put(s, new ReconfigureResult.Failed("interrupted"));
        } catch (RuntimeException e) {
          results.put(s, new ReconfigureResult.Failed("custom_bird_reconfigure_cmd of "
              + s.name() + " failed: " + e));
        }
      }));
    } // close() waits: every command is killed after its own timeout, so the wait is bounded
    if (Thread.interrupted()) { // closing: close() interrupted the commands, which were killed
      throw new InterruptedException();
    }
    return results;
  }

  /** Tells BIRD to load the file; returns false, recorded, when BIRD did not confirm. */
  private boolean reconfigure(String label) throws InterruptedException {
    long t0 = scheduler.nanoTime();
    ReconfigureResult r = control.reconfigure();
    reconfigures++;
    lastReconfigureDuration = Duration.ofNanos(scheduler.nanoTime() - t0);
    lastReconfigureNanos = t0;
    lastReconfigureError = r instanceof ReconfigureResult.Failed(String why) ? why : "";
    if (r instanceof ReconfigureResult.Failed(String reason)) {
      reconfigureFailures++;
      return failed("failed to reconfigure " + label + " BIRD via " + control.describe()
          + ": " + reason);
    }
    birdStale = false;
    LOG.info("reconfigured {} BIRD via {} in {} ms", label, control.describe(),
        lastReconfigureDuration.toMillis());
    return true;
  }

  /** Makes the pass's write durable; returns false, recorded as a write failure, on error. */
  private boolean sync(String label) {
    try {
      store.sync();
      return true;
    } catch (IOException e) {
      writeFailures++;
      return failed("failed to fsync " + label + " prefix file " + store.file()
          + " or its directory: " + e);
    }
  }

  /** Records a failure (logged at error: routes are wrong until it is fixed); returns false. */
  private boolean failed(String message) {
    consecutiveFailures++;
    lastError = message;
    LOG.error("{}; retrying (failure {} in a row)", message, consecutiveFailures);
    publish(false);
    return false;
  }

  private void publish(boolean inSync) {
    status.set(new ReconcilerStatus(bird.family(), desiredList.size(),
        appliedVersion < 0 ? -1 : appliedList.size(), inSync, passes,
        fileWrites, writeFailures, reconfigures, reconfigureFailures, customFailures,
        consecutiveFailures, lastReconfigureDuration, lastError, appliedVersion,
        scheduler.nanoTime(), desiredList, appliedList, lastReconfigureNanos,
        lastReconfigureError, heldList));
    statusListeners.forEach(Runnable::run);
  }

  /** Registers a callback run on the reconciler's thread after each pass (keep it cheap). */
  public void onStatus(Runnable listener) {
    statusListeners.add(listener);
  }

  /**
   * Stops passes (one in flight is interrupted), then closes the BIRD control (the daemon's
   * shutdown comes through here) and the file's store (its aftercare finishes, briefly); leaves
   * the file and BIRD as they are.
   */
  @Override
  public void close() {
    pacer.close();
    try {
      onClose.close();
    } catch (Exception e) {
      LOG.warn("closing the {} reconciler: {}", bird.family().label(), e.toString());
    }
    control.close();
    store.close();
  }
}
