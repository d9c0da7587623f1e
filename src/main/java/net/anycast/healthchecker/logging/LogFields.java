package net.anycast.healthchecker.logging;

import java.util.List;

/**
 * The MDC keys a service loop sets around its log calls; the JSON sinks copy them into each line
 * and the text format prints {@link #SERVICE_NAME} in its thread-name column.
 */
public final class LogFields {
  public static final String SERVICE_NAME = "service_name";
  public static final String IP_ADDRESS = "ip_address";
  public static final String PREFIX_LENGTH = "prefix_length";
  /** up, down or unknown. */
  public static final String STATUS = "status";
  /** "true" or "false"; rendered as a JSON boolean. */
  public static final String IP_CHECK_DISABLED = "ip_check_disabled";

  /** What the original prints for messages of its main thread (no service). */
  public static final String MAIN_THREAD = "MainThread";

  /** The per-service keys in the order the JSON line lists them. */
  static final List<String> PER_SERVICE = List.of(IP_ADDRESS, PREFIX_LENGTH, STATUS, IP_CHECK_DISABLED);

  private LogFields() {}
}
