package net.anycast.healthchecker.web;

import static net.anycast.healthchecker.web.WebTestData.NOW;
import static net.anycast.healthchecker.web.WebTestData.family;
import static net.anycast.healthchecker.web.WebTestData.service;
import static net.anycast.healthchecker.web.WebTestData.status;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import net.anycast.healthchecker.bird.ReconcilerStatus;
import net.anycast.healthchecker.config.HttpConfig;
import net.anycast.healthchecker.config.OnDrain;
import net.anycast.healthchecker.config.ServiceConfig;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.inputs.Inputs;
import net.anycast.healthchecker.net.IpFamily;
import net.anycast.healthchecker.override.Drains;
import net.anycast.healthchecker.override.SpoolDirectory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real {@link WebServer} on a loopback port, reading real {@link Inputs}, loop and reconciler
 * statuses the test changes, and writing drains to a real {@link SpoolDirectory} in a temporary
 * directory. Clients: the JDK's {@link HttpClient} (HTTP/1.1) and raw sockets for what a client
 * library would refuse to send.
 */
@Timeout(60)
abstract class WebServerHarness {
  static final String TOKEN = "0123456789abcdef0123456789abcdef";
  static final Duration WAIT = Duration.ofSeconds(10);

  static final ServiceConfig WEB = service("web", "10.0.0.1/32");
  static final ServiceConfig DNS = service("dns", "10.0.0.2/32", "2001:db8::2/128");
  static final ServiceConfig MAIL = service("mail", OnDrain.KEEP, "10.0.0.3/32");

  @TempDir Path tmp;
  SpoolDirectory spool;
  final AtomicReference<Inputs> inputs = new AtomicReference<>(
      Inputs.of(List.of(WEB, DNS, MAIL)).withHealth("web", Health.UP)
          .withHealth("dns", Health.DOWN));
  final AtomicReference<List<ReconcilerStatus>> families = new AtomicReference<>(List.of(
      family(IpFamily.IPV4, List.of("10.0.0.1/32", "10.0.0.3/32"), List.of("10.0.0.1/32"), false,
          1, NOW, ""),
      family(IpFamily.IPV6, List.of(), List.of(), true, 0, null, "")));
  WebServer server;
  HttpClient client;

  @BeforeEach
  void startServer() throws IOException {
    spool = new SpoolDirectory(tmp.resolve("spool"));
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(WAIT).build();
    server = start(config(true, false), null);
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
    client.shutdownNow();
  }

  /** The settings: with or without a token file, hacheck's POST on or off. */
  HttpConfig config(boolean withToken, boolean remoteChanges) {
    return withToken
        ? new HttpConfig(null, tmp.resolve("token"), new HttpConfig.Secret(TOKEN), remoteChanges)
        : new HttpConfig(null, null, null, remoteChanges);
  }

  ApiSnapshot snapshot() {
    Inputs in = inputs.get();
    return WebTestData.snapshot(in, List.of(
        status(WEB, in.health("web"), 3, 0, null, NOW.minusSeconds(60)),
        status(DNS, in.health("dns"), 0, 2, null, NOW.minusSeconds(30))), families.get());
  }

  WebServer start(HttpConfig config, PrometheusRegistry metrics) throws IOException {
    return WebServer.start(new InetSocketAddress("127.0.0.1", 0), config,
        new WebServer.Sources(this::snapshot, inputs::get, spool, metrics,
            InstantSource.system()));
  }

  /** Replaces the running server with one of {@code config}. */
  void restart(HttpConfig config, PrometheusRegistry metrics) throws IOException {
    server.close();
    server = null;
    server = start(config, metrics);
  }

  /** Does what the daemon's spool watcher does: the inputs take the drains on disk. */
  void watcherReadsSpool() {
    List<String> warnings = new ArrayList<>();
    Drains read = spool.read(inputs.get().drains(), warnings::add);
    inputs.set(inputs.get().withDrains(read));
  }

  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send("GET", path, null);
  }

  /** Sends a request; {@code headers} are name, value, name, value, …. */
  HttpResponse<String> send(String method, String path, String body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).timeout(WAIT)
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Sends with the bearer token. */
  HttpResponse<String> write(String method, String path, String body)
      throws IOException, InterruptedException {
    return send(method, path, body, "Authorization", "Bearer " + TOKEN);
  }

  /** Returns the {@code error} of a JSON error reply. */
  static String error(HttpResponse<String> r) {
    Map<String, Object> doc = Json.object(r.body());
    return (String) Json.at(doc, "error");
  }

  /** A response read off a raw socket. */
  record Raw(int status, Map<String, String> headers, String body) {}

  /**
   * Sends {@code head} (request line and headers, CRLF-terminated, without the blank line),
   * then {@code body}, on a fresh connection; returns the response read until the server closes.
   */
  Raw raw(String head, byte[] body) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", server.port()), (int) WAIT.toMillis());
      s.setSoTimeout((int) WAIT.toMillis());
      OutputStream out = s.getOutputStream();
      out.write((head + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      if (body != null) {
        try {
          out.write(body);
        } catch (IOException e) {
          // The server may answer and close before reading it all: read what it said.
        }
      }
      out.flush();
      return parse(readAll(s.getInputStream()));
    }
  }

  Raw raw(String head) throws IOException {
    return raw(head, null);
  }

  /**
   * Reads one response: up to its Content-Length, the end of its chunks, or else the end of the
   * connection (not waiting for the close: the server may hold a connection whose request body
   * it has not read).
   */
  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[8192];
    try {
      for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
        out.write(buf, 0, n);
        if (complete(out.toByteArray())) {
          break;
        }
      }
    } catch (java.net.SocketException e) {
      // reset after the response: keep what arrived
    }
    return out.toByteArray();
  }

  private static boolean complete(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    String head = text.substring(0, end).toLowerCase(java.util.Locale.ROOT);
    java.util.regex.Matcher length =
        java.util.regex.Pattern.compile("\r\ncontent-length: *([0-9]+)").matcher(head);
    if (length.find()) {
      return bytes.length - end - 4 >= Long.parseLong(length.group(1));
    }
    if (head.contains("\r\ntransfer-encoding: chunked")) {
      return text.endsWith("\r\n0\r\n\r\n");
    }
    return false;
  }

  private static Raw parse(byte[] bytes) {
    String text = new String(bytes, StandardCharsets.UTF_8);
    int end = text.indexOf("\r\n\r\n");
    if (end < 0) {
      throw new AssertionError("no complete response: '" + text + "'");
    }
    String[] lines = text.substring(0, end).split("\r\n");
    int status = Integer.parseInt(lines[0].split(" ")[1]);
    Map<String, String> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      headers.put(lines[i].substring(0, colon).strip(), lines[i].substring(colon + 1).strip());
    }
    String body = text.substring(end + 4);
    if ("chunked".equalsIgnoreCase(headers.get("Transfer-Encoding"))) {
      body = unchunk(body);
    }
    return new Raw(status, headers, body);
  }

  private static String unchunk(String chunked) {
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (true) {
      int eol = chunked.indexOf("\r\n", at);
      int size = Integer.parseInt(chunked.substring(at, eol).strip(), 16);
      if (size == 0) {
        return out.toString();
      }
      out.append(chunked, eol + 2, eol + 2 + size);
      at = eol + 2 + size + 2;
    }
  }
}
