package net.anycast.healthchecker.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import java.time.ZoneId;
import java.util.Map;

/**
 * The original's JSON record (python-json-logger): {@code anycast-healthchecker: {"asctime": …,
 * "levelname": …, "process": …, "message": …, [per-service keys,] "version": …, "program": …,
 * "service_name": …}}, keys in that order (a drain line adds the {@code drain_*} keys after the
 * per-service ones), separators {@code ", "} and {@code ": "}, non-ASCII escaped as Python's
 * {@code json.dumps} does by default.
 */
final class JsonFormat implements LineFormat {
  private final String program;
  private final String version;
  private final long pid;
  private final Asctime asctime;

  JsonFormat(String program, String version, long pid, ZoneId zone) {
    this.program = program;
    this.version = version;
    this.pid = pid;
    this.asctime = new Asctime(zone);
  }

  @Override
  public String format(ILoggingEvent event) {
    StringBuilder json = new StringBuilder(256).append(program).append(": {");
    field(json, "asctime", asctime.format(event.getTimeStamp()));
    field(json, "levelname", Severity.of(event).name());
    json.append(", \"process\": ").append(pid);
    field(json, "message", event.getFormattedMessage());
    Map<String, String> mdc = event.getMDCPropertyMap();
    if (mdc.containsKey(LogFields.SERVICE_NAME)) {
      for (String key : LogFields.PER_SERVICE) {
        String value = mdc.get(key);
        if (value == null) {
          continue;
        }
        if (key.equals(LogFields.IP_CHECK_DISABLED)) {
          // A Python bool in the original's record, so a JSON true/false rather than a string.
          json.append(", \"").append(key).append("\": ").append(Boolean.parseBoolean(value));
        } else {
          field(json, key, value);
        }
      }
    }
    for (String key : LogFields.DRAIN) {
      String value = mdc.get(key);
      if (value != null) {
        field(json, key, value);
      }
    }
    String trace = LineFormat.stackTrace(event);
    if (trace != null) {
      field(json, "exc_info", trace);
    }
    field(json, "version", version);
    field(json, "program", program);
    field(json, "service_name", LineFormat.serviceName(event));
    return json.append('}').toString();
  }

  private static void field(StringBuilder json, String key, String value) {
    if (json.charAt(json.length() - 1) != '{') {
      json.append(", ");
    }
    quote(json, key);
    json.append(": ");
    quote(json, value);
  }

  static void quote(StringBuilder json, String text) {
    json.append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        case '\n' -> json.append("\\n");
        case '\r' -> json.append("\\r");
        case '\t' -> json.append("\\t");
        case '\b' -> json.append("\\b");
        case '\f' -> json.append("\\f");
        default -> {
          if (c < 0x20 || c > 0x7f) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    json.append('"');
  }
}
