package net.anycast.healthchecker.check;

import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.logging.LogFields;
import net.anycast.healthchecker.net.IpPrefix;
import org.slf4j.MDC;

/**
 * The per-service fields of every log line of a service, in SLF4J's MDC: the original's
 * threadName ({@code service_name}) and its JSON extras ({@code ip_address},
 * {@code prefix_length}, {@code status}, {@code ip_check_disabled}). With several prefixes the
 * first one fills {@code ip_address} and {@code prefix_length}.
 */
final class ServiceMdc {
  // The keys are the logging layer's: it prints them as the service column and JSON fields.
  static final String SERVICE_NAME = LogFields.SERVICE_NAME;
  static final String IP_ADDRESS = LogFields.IP_ADDRESS;
  static final String PREFIX_LENGTH = LogFields.PREFIX_LENGTH;
  static final String STATUS = LogFields.STATUS;
  static final String IP_CHECK_DISABLED = LogFields.IP_CHECK_DISABLED;

  private final String name;
  private final String address;
  private final String length;
  private final String ipCheckDisabled;

  ServiceMdc(ServiceConfig config) {
    IpPrefix first = config.prefixes().getFirst();
    this.name = config.name();
    this.address = first.addressText();
    this.length = Integer.toString(first.length());
    this.ipCheckDisabled = Boolean.toString(config.ipCheckDisabled());
  }

  /** Returns a scope that puts the fields on this thread's MDC until it is closed. */
  Scope open(Health health) {
    MDC.put(SERVICE_NAME, name);
    MDC.put(IP_ADDRESS, address);
    MDC.put(PREFIX_LENGTH, length);
    MDC.put(IP_CHECK_DISABLED, ipCheckDisabled);
    MDC.put(STATUS, health.word());
    return new Scope();
  }

  /** The fields of one service on the current thread. */
  static final class Scope implements AutoCloseable {
    /** Updates {@code status} for the lines that follow. */
    void status(Health health) {
      MDC.put(STATUS, health.word());
    }

    @Override
    public void close() {
      MDC.remove(SERVICE_NAME);
      MDC.remove(IP_ADDRESS);
      MDC.remove(PREFIX_LENGTH);
      MDC.remove(IP_CHECK_DISABLED);
      MDC.remove(STATUS);
    }
  }
}
