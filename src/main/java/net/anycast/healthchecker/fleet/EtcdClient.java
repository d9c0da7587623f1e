package net.anycast.healthchecker.fleet;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import net.anycast.healthchecker.config.FleetConfig;
import net.anycast.healthchecker.override.FlatJsonObject;

/**
 * The few etcd v3 calls the fleet valve makes, through etcd's JSON gateway ({@code /v3/…}) over
 * the JDK's HTTP client. Chosen over the official jetcd client because the valve makes a handful
 * of small requests a second: the gateway needs no gRPC, Netty, Vert.x or Protobuf in the daemon
 * (tens of megabytes of jars and their thread pools), and the JDK client already serves the
 * built-in HTTP checks.
 *
 * <p>Every call has one deadline; the endpoints are tried in turn from the last one that
 * answered, as long as time is left. Keys and values go base64-encoded, as the gateway wants.
 * With {@code fleet_etcd_user} the client authenticates and sends the token it got; a rejected
 * token is fetched again once.
 */
public final class EtcdClient {
  private final List<URI> endpoints;
  private final HttpClient http;
  private final Duration deadline;
  private final String user;
  private final String password;
  private volatile int current;
  private volatile String token;
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();

  /**
   * @param deadline how long one call may take in all, over every endpoint tried
   */
  public EtcdClient(FleetConfig config, Duration deadline) {
    this.endpoints = config.endpoints();
    this.deadline = deadline;
    this.user = config.user();
    this.password = config.password() == null ? null : config.password().value();
    HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofNanos(Math.min(deadline.toNanos(),
            Math.max(deadline.toNanos() / Math.max(1, endpoints.size()), MIN_SHARE))));
    config.sslContext().ifPresent(b::sslContext);
    this.http = b.build();
  }

  /** Returns how many requests were sent (for the metrics and the fleet benchmark). */
  public long requests() {
    return requests.get();
  }

  /** Returns how many calls failed. */
  public long failures() {
    return failures.get();
  }

  /** Grants a lease of {@code ttl}; returns its id. */
  public long grant(Duration ttl) throws EtcdException, InterruptedException {
    Map<String, Object> r = call("/v3/lease/grant", "{\"TTL\":\"" + ttl.toSeconds() + "\"}");
    long id = number(r.get("ID"));
    if (id == 0) {
      throw new EtcdException("lease grant answered without an ID: " + r);
    }
    return id;
  }

  /** Renews a lease; returns the seconds it has left, 0 or less when it is gone. */
  public long keepAlive(long lease) throws EtcdException, InterruptedException {
    Map<String, Object> r = call("/v3/lease/keepalive", "{\"ID\":\"" + lease + "\"}");
    Object result = r.get("result");
    if (result instanceof Map<?, ?> m) {
      return number(m.get("TTL"));
    }
    throw new EtcdException("lease keep-alive answered without a result: " + r);
  }

  /** Revokes a lease: every key under it is deleted at once. */
  public void revoke(long lease) throws EtcdException, InterruptedException {
    call("/v3/lease/revoke", "{\"ID\":\"" + lease + "\"}");
  }

  /** Puts {@code key} = {@code value} under {@code lease}. */
  public void put(String key, String value, long lease) throws EtcdException, InterruptedException {
    call("/v3/kv/put", "{\"key\":\"" + b64(key) + "\",\"value\":\"" + b64(value)
        + "\",\"lease\":\"" + lease + "\"}");
  }

  /**
   * Puts every key of {@code keys} = {@code value} under {@code lease}, up to {@link #BATCH} in
   * one transaction (etcd's default limit is 128 operations), so thousands of prefixes register
   * in a few requests.
   */
  public void putAll(List<String> keys, String value, long lease)
      throws EtcdException, InterruptedException {
    batched(keys, key -> "{\"requestPut\":{\"key\":\"" + b64(key) + "\",\"value\":\""
        + b64(value) + "\",\"lease\":\"" + lease + "\"}}");
  }

  /** Deletes every key of {@code keys}, batched like {@link #putAll}. */
  public void deleteAll(List<String> keys) throws EtcdException, InterruptedException {
    batched(keys, key -> "{\"requestDeleteRange\":{\"key\":\"" + b64(key) + "\"}}");
  }

  private void batched(List<String> keys, java.util.function.Function<String, String> operation)
      throws EtcdException, InterruptedException {
    for (int from = 0; from < keys.size(); from += BATCH) {
      List<String> batch = keys.subList(from, Math.min(keys.size(), from + BATCH));
      StringBuilder json = new StringBuilder("{\"success\":[");
      for (int i = 0; i < batch.size(); i++) {
        json.append(i == 0 ? "" : ",").append(operation.apply(batch.get(i)));
      }
      call("/v3/kv/txn", json.append("]}").toString());
    }
  }

  /** The most operations put in one transaction. */
  static final int BATCH = 100;

  /** Deletes {@code key} (nothing happens when it does not exist). */
  public void delete(String key) throws EtcdException, InterruptedException {
    call("/v3/kv/deleterange", "{\"key\":\"" + b64(key) + "\"}");
  }

  /** Returns every key that starts with {@code prefix}, with its value. */
  public Map<String, String> entries(String prefix) throws EtcdException, InterruptedException {
    Map<String, Object> r = call("/v3/kv/range", "{\"key\":\"" + b64(prefix)
        + "\",\"range_end\":\"" + Base64.getEncoder().encodeToString(rangeEnd(prefix)) + "\"}");
    Map<String, String> out = new java.util.LinkedHashMap<>();
    if (r.get("kvs") instanceof List<?> kvs) {
      for (Object kv : kvs) {
        if (kv instanceof Map<?, ?> m && m.get("key") instanceof String k) {
          String v = m.get("value") instanceof String b ? text(b) : "";
          out.put(text(k), v);
        }
      }
    }
    return out;
  }

  private static String text(String base64) {
    return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
  }

  /**
   * Deletes {@code key} in one transaction with a check that every key of {@code mustExist}
   * exists; returns false, deleting nothing, when one of them does not (any more).
   */
  public boolean deleteIfAllExist(String key, List<String> mustExist)
      throws EtcdException, InterruptedException {
    StringBuilder json = new StringBuilder("{\"compare\":[");
    for (int i = 0; i < mustExist.size(); i++) {
      json.append(i == 0 ? "" : ",").append("{\"key\":\"").append(b64(mustExist.get(i)))
          .append("\",\"target\":\"VERSION\",\"result\":\"GREATER\",\"version\":\"0\"}");
    }
    json.append("],\"success\":[{\"requestDeleteRange\":{\"key\":\"").append(b64(key))
        .append("\"}}]}");
    Map<String, Object> r = call("/v3/kv/txn", json.toString());
    return Boolean.TRUE.equals(r.get("succeeded"));
  }

  /** Returns the key just after every key starting with {@code prefix} (etcd's range end). */
  static byte[] rangeEnd(String prefix) {
    byte[] b = prefix.getBytes(StandardCharsets.UTF_8);
    for (int i = b.length - 1; i >= 0; i--) {
      if (b[i] != (byte) 0xff) {
        b[i]++;
        return java.util.Arrays.copyOf(b, i + 1);
      }
    }
    return new byte[] {0}; // every key
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  private static long number(Object v) throws EtcdException {
    try {
      return switch (v) {
        case null -> 0;
        case String s -> Long.parseLong(s);
        case BigDecimal d -> d.longValueExact();
        default -> throw new EtcdException("not a number: " + v);
      };
    } catch (NumberFormatException | ArithmeticException e) {
      throw new EtcdException("not a number: " + v, e);
    }
  }

  /** Sends one call, trying the endpoints in turn until one answers or the deadline passes. */
  private Map<String, Object> call(String path, String body)
      throws EtcdException, InterruptedException {
    long end = System.nanoTime() + deadline.toNanos();
    EtcdException last = null;
    for (int tried = 0; tried < endpoints.size(); tried++) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        break;
      }
      int i = current;
      URI base = endpoints.get(i);
      // A member whose host is gone does not refuse, it just never answers: give each member a
      // share of the deadline so the others are still tried.
      long share = Math.min(left, Math.max(deadline.toNanos() / endpoints.size(), MIN_SHARE));
      try {
        Map<String, Object> r = send(base, path, body, Duration.ofNanos(share), true);
        current = i;
        return r;
      } catch (EtcdException e) {
        last = e;
        if (!e.memberUnavailable()) {
          break; // etcd answered with an error: another member would say the same
        }
        current = (i + 1) % endpoints.size();
      }
    }
    failures.incrementAndGet();
    throw last != null ? last : EtcdException.unreachable("no time left", null);
  }

  private static final long MIN_SHARE = Duration.ofMillis(600).toNanos();

  private Map<String, Object> send(URI base, String path, String body, Duration timeout,
      boolean mayAuthenticate) throws EtcdException, InterruptedException {
    if (mayAuthenticate && user != null && token == null) {
      authenticate(base, timeout);
    }
    HttpRequest.Builder req = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout)
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    String t = token;
    if (t != null) {
      req.header("Authorization", t);
    }
    HttpResponse<String> resp;
    try {
      requests.incrementAndGet();
      resp = http.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (HttpTimeoutException e) {
      throw EtcdException.unreachable(base + " did not answer within " + timeout.toMillis()
          + " ms", e);
    } catch (ConnectException e) {
      throw EtcdException.unreachable(base + ": connection refused", e);
    } catch (IOException e) {
      throw EtcdException.unreachable(base + ": " + e, e);
    }
    Map<String, Object> json;
    try {
      json = JsonReader.object(resp.body());
    } catch (IllegalArgumentException e) {
      throw EtcdException.unreachable(base + " answered HTTP " + resp.statusCode()
          + " with no JSON: " + abbreviate(resp.body()), e);
    }
    if (resp.statusCode() != 200) {
      String message = String.valueOf(json.getOrDefault("message", json.get("error")));
      if (mayAuthenticate && user != null && message.contains("token")) {
        authenticate(base, timeout); // expired or revoked: authenticate again, once
        return send(base, path, body, timeout, false);
      }
      String answer = base + path + " answered HTTP " + resp.statusCode() + ": " + message;
      // A member without a leader cannot serve: another one may.
      throw message.contains("no leader") || message.contains("timed out")
          || resp.statusCode() == 503 ? EtcdException.unreachable(answer, null)
          : new EtcdException(answer);
    }
    return json;
  }

  private void authenticate(URI base, Duration timeout)
      throws EtcdException, InterruptedException {
    StringBuilder body = new StringBuilder("{\"name\":");
    FlatJsonObject.quote(body, user).append(",\"password\":");
    FlatJsonObject.quote(body, password).append('}');
    token = null;
    Map<String, Object> r = send(base, "/v3/auth/authenticate", body.toString(), timeout, false);
    if (!(r.get("token") instanceof String t) || t.isEmpty()) {
      throw new EtcdException(base + " gave no token to user " + user);
    }
    token = t;
  }

  private static String abbreviate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "…" : s;
  }
}
