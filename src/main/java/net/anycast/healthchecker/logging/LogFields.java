package net.anycast.healthchecker.logging;

import java.util.List;

/**
 * The MDC keys a service loop sets around its log calls; the JSON sinks copy them into each line
 * and the text format prints {@link #SERVICE_NAME} in its thread-name column. The spool watcher
 * sets the {@code drain_*} keys around the line that reports a drain starting or ending.
 */
public final class LogFields {
  public static final String SERVICE_NAME = "service_name";
  public static final String IP_ADDRESS = "ip_address";
  public static final String PREFIX_LENGTH = "prefix_length";
  /** up, down or unknown. */
  public static final String STATUS = "status";
  /** "true" or "false"; rendered as a JSON boolean. */
  public static final String IP_CHECK_DISABLED = "ip_check_disabled";

  /** The spool file name of a drain: {@code all}, a service, or a service and port. */
  public static final String DRAIN_NAME = "drain_name";
  /** The operator's reason for a drain. */
  public static final String DRAIN_REASON = "drain_reason";
  /** When a drain ends by itself (ISO-8601); absent when it has no expiry. */
  public static final String DRAIN_EXPIRATION = "drain_expiration";
  /** started, ended, expired or changed. */
  public static final String DRAIN_EVENT = "drain_event";

  /**
   * Set (to any value) on a thread whose log lines are dropped before they are made: the change
   * rehearsal's, which runs the daemon's own classes on a private copy of a service after
   * start-up ({@code daemon/ChangeRehearsal}). See {@link RehearsalFilter}.
   */
  public static final String REHEARSAL = "rehearsal";

  /** What the original prints for messages of its main thread (no service). */
  public static final String MAIN_THREAD = "MainThread";

  /** The per-service keys in the order the JSON line lists them. */
  static final List<String> PER_SERVICE = List.of(IP_ADDRESS, PREFIX_LENGTH, STATUS, IP_CHECK_DISABLED);

  /** The drain keys in the order the JSON line lists them; none is in the original's record. */
  static final List<String> DRAIN = List.of(DRAIN_EVENT, DRAIN_NAME, DRAIN_REASON, DRAIN_EXPIRATION);

  private LogFields() {}
}
