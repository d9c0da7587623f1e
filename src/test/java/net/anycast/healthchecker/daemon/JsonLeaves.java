package net.anycast.healthchecker.daemon;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON document as its leaves, path to JSON value ({@code services.1.name} → {@code "b"}),
 * parsed by Python's {@code json}: the test classpath has no JSON library, and a parser written
 * here would only agree with the product's own writer.
 */
final class JsonLeaves {
  private static final String FLATTEN = """
      import json, sys
      def walk(path, v):
          if isinstance(v, dict):
              for k, x in v.items():
                  walk(path + [str(k)], x)
          elif isinstance(v, list):
              for i, x in enumerate(v):
                  walk(path + [str(i)], x)
          else:
              print('.'.join(path) + '\\t' + json.dumps(v))
      walk([], json.loads(sys.argv[1]))
      """;

  private JsonLeaves() {}

  /** Returns the leaves of {@code json} in document order; throws when it does not parse. */
  static Map<String, String> of(String json) throws IOException, InterruptedException {
    Map<String, String> out = new LinkedHashMap<>();
    String flat = DaemonProcess.exec(List.of("python3", "-c", FLATTEN, json));
    for (String line : flat.lines().toList()) {
      int tab = line.indexOf('\t');
      out.put(line.substring(0, tab), line.substring(tab + 1));
    }
    return out;
  }
}
