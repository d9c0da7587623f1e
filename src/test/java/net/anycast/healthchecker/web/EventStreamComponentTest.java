package net.anycast.healthchecker.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import net.anycast.healthchecker.health.Health;
import net.anycast.healthchecker.override.Drain;
import net.anycast.healthchecker.override.Drains;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code GET /api/v1/events}: Server-Sent Events over a real connection. */
class EventStreamComponentTest extends WebServerHarness {
  private final List<Stream> streams = new ArrayList<>();

  /** One event as a client parses it; comments are kept apart. */
  record Sse(String id, String type, String data) {}

  /** An open event stream, read on a thread of its own into {@link #events}. */
  final class Stream implements AutoCloseable {
    final HttpResponse<java.util.stream.Stream<String>> response;
    final List<Sse> events = new CopyOnWriteArrayList<>();
    final List<String> comments = new CopyOnWriteArrayList<>();
    final List<String> fields = new CopyOnWriteArrayList<>();
    volatile boolean ended;

    Stream(String lastEventId) throws Exception {
      HttpRequest.Builder b = HttpRequest.newBuilder(uri("/api/v1/events"))
          .header("Accept", "text/event-stream");
      if (lastEventId != null) {
        b.header("Last-Event-ID", lastEventId);
      }
      response = client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofLines())
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
      Thread.ofVirtual().name("sse-reader").start(this::read);
      streams.add(this);
    }

    private void read() {
      String id = null;
      String type = null;
      String data = null;
      try (java.util.stream.Stream<String> lines = response.body()) {
        for (var it = lines.iterator(); it.hasNext(); ) {
          String line = it.next();
          if (line.isEmpty()) {
            if (data != null) {
              events.add(new Sse(id, type, data));
            }
            id = null;
            type = null;
            data = null;
          } else if (line.startsWith(":")) {
            comments.add(line);
          } else if (line.startsWith("id: ")) {
            id = line.substring(4);
          } else if (line.startsWith("event: ")) {
            type = line.substring(7);
          } else if (line.startsWith("data: ")) {
            data = line.substring(6);
          } else {
            fields.add(line);
          }
        }
      } catch (UncheckedIOException | IllegalStateException e) {
        // closed under the reader
      } finally {
        ended = true;
      }
    }

    Sse awaitEvent(String type) {
      await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e.type().equals(type)));
      return events.stream().filter(e -> e.type().equals(type)).findFirst().orElseThrow();
    }

    @Override
    public void close() {
      response.body().close();
    }
  }

  @AfterEach
  void closeStreams() {
    streams.forEach(Stream::close);
  }

  @Test
  void stream_isAnEventStream_thatSaysWhereItStarts() throws Exception {
    Stream s = new Stream(null);

    assertThat(s.response.statusCode()).isEqualTo(200);
    assertThat(s.response.headers().firstValue("Content-Type"))
        .contains("text/event-stream; charset=utf-8");
    assertThat(s.response.headers().firstValue("Cache-Control")).contains("no-store");
    await().atMost(WAIT).until(() -> !s.comments.isEmpty());
    assertThat(s.fields).contains("retry: 1000");
    assertThat(s.comments.getFirst()).startsWith(": connected, last event ");
  }

  @Test
  void healthChange_isDeliveredAfterChanged() throws Exception {
    Stream s = new Stream(null);

    inputs.set(inputs.get().withHealth("web", Health.DOWN));
    server.changed();

    Sse e = s.awaitEvent("health");
    assertThat(Json.object(e.data())).isEqualTo(Map.of("service", "web", "from", "up", "to",
        "down"));
    assertThat(Long.parseLong(e.id())).isPositive();
  }

  @Test
  void drainWrittenByTheApi_isDeliveredOnceTheWatcherPublishesIt() throws Exception {
    Stream s = new Stream(null);

    assertThat(write("PUT", "/api/v1/services/web/drain", "{\"reason\": \"carol\"}").statusCode())
        .isEqualTo(200);
    watcherReadsSpool();
    server.changed();

    assertThat(Json.object(s.awaitEvent("drain").data())).containsEntry("name", "web")
        .containsEntry("reason", "carol");

    write("DELETE", "/api/v1/services/web/drain", null);
    watcherReadsSpool();
    server.changed();

    assertThat(Json.object(s.awaitEvent("undrain").data())).isEqualTo(Map.of("name", "web"));
  }

  @Test
  void reconfigure_isDelivered() throws Exception {
    Stream s = new Stream(null);

    families.set(List.of(
        WebTestData.family(net.anycast.healthchecker.net.IpFamily.IPV4,
            List.of("10.0.0.1/32", "10.0.0.3/32"), List.of("10.0.0.1/32", "10.0.0.3/32"), true,
            2, WebTestData.NOW, ""),
        families.get().get(1)));
    server.changed();

    assertThat(Json.object(s.awaitEvent("reconfigure").data())).containsEntry("family", "IPv4")
        .containsEntry("result", "confirmed");
    assertThat(Json.object(s.awaitEvent("bird").data())).containsEntry("in_sync", true);
  }

  @Test
  void noChange_noEvent() throws Exception {
    Stream s = new Stream(null);
    Stream probe = new Stream(null);

    server.changed();
    inputs.set(inputs.get().withHealth("dns", Health.UP));
    server.changed();

    // The probe change arrives on both; nothing came before it.
    s.awaitEvent("health");
    probe.awaitEvent("health");
    assertThat(s.events).hasSize(1);
  }

  @Test
  void reconnectWithLastEventId_replaysWhatWasMissed() throws Exception {
    Stream first = new Stream(null);
    inputs.set(inputs.get().withHealth("web", Health.DOWN));
    server.changed();
    Sse seen = first.awaitEvent("health");
    first.close();

    Stream witness = new Stream(null);
    inputs.set(inputs.get().withDrains(Drains.of(List.of(Drain.of("dns", "dave")))));
    server.changed();
    witness.awaitEvent("drain");
    inputs.set(inputs.get().withHealth("web", Health.UP));
    server.changed();
    witness.awaitEvent("health");

    Stream again = new Stream(seen.id());

    await().atMost(WAIT).until(() -> again.events.size() >= 2);
    assertThat(again.events).extracting(Sse::type).containsExactly("drain", "health");
    assertThat(again.events).extracting(e -> Long.parseLong(e.id()))
        .allMatch(id -> id > Long.parseLong(seen.id())).isSorted();
    assertThat(Json.object(again.events.get(1).data())).containsEntry("to", "up");
  }

  @Test
  void reconnectWithAnIdOfAnotherRun_isToldToResync() throws Exception {
    Stream s = new Stream("12345");

    Sse e = s.awaitEvent("resync");

    assertThat(e.data()).isEqualTo("{}");
  }

  @Test
  void reconnectWithAnIdThatIsNotANumber_isToldToResync() throws Exception {
    assertThat(new Stream("garbage").awaitEvent("resync").data()).isEqualTo("{}");
  }

  @Test
  void everyOpenStream_getsTheEvent() throws Exception {
    List<Stream> open = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      open.add(new Stream(null));
    }

    inputs.set(inputs.get().withHealth("dns", Health.UP));
    server.changed();

    for (Stream s : open) {
      assertThat(Json.object(s.awaitEvent("health").data())).containsEntry("service", "dns");
    }
  }

  @Test
  void streamsOverTheCap_are503_withRetryAfter() throws Exception {
    for (int i = 0; i < EventHub.MAX_SUBSCRIBERS; i++) {
      assertThat(new Stream(null).response.statusCode()).isEqualTo(200);
    }

    HttpResponse<String> r = get("/api/v1/events");

    assertThat(r.statusCode()).isEqualTo(503);
    assertThat(r.headers().firstValue("Retry-After")).contains("5");
    assertThat(error(r)).isEqualTo("too many event streams open; try again later");
    assertThat(get("/api/v1/status").statusCode()).as("the rest still answers").isEqualTo(200);
  }

  @Test
  void otherMethod_is405() throws Exception {
    HttpResponse<String> r = send("POST", "/api/v1/events", "");

    assertThat(r.statusCode()).isEqualTo(405);
    assertThat(error(r)).isEqualTo("method POST not allowed here; allowed: GET");
  }

  @Test
  void closingTheServer_endsTheStream() throws Exception {
    Stream s = new Stream(null);
    await().atMost(WAIT).until(() -> !s.comments.isEmpty());

    server.close();
    server = null;

    await().atMost(WAIT).until(() -> s.ended);
  }
}
