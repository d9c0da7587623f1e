package net.anycast.healthchecker.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventHubTest {
  private static final long FIRST = 1_000_000;

  private final EventHub hub = new EventHub(FIRST);

  /** Returns every event queued for {@code s} now, without waiting. */
  private static List<Event> drain(EventHub.Subscription s) throws InterruptedException {
    List<Event> out = new ArrayList<>();
    for (Event e = s.next(0); e != null; e = s.next(0)) {
      out.add(e);
    }
    return out;
  }

  private EventHub.Subscription subscribe(long lastSeen) {
    return hub.subscribe(lastSeen).orElseThrow();
  }

  @Test
  void ids_continueFromTheFirstId() {
    assertThat(hub.lastId()).isEqualTo(FIRST);

    Event e = hub.publish("health", "{}");

    assertThat(e.id()).isEqualTo(FIRST + 1);
    assertThat(hub.publish("drain", "{}").id()).isEqualTo(FIRST + 2);
    assertThat(hub.lastId()).isEqualTo(FIRST + 2);
  }

  @Test
  void wire_isOneServerSentEvent() {
    assertThat(new Event(7, "health", "{\"a\":1}").wire())
        .isEqualTo("id: 7\nevent: health\ndata: {\"a\":1}\n\n");
  }

  @Test
  void newSubscriber_getsOnlyWhatIsPublishedAfter() throws InterruptedException {
    hub.publish("health", "{\"n\":1}");
    try (EventHub.Subscription s = subscribe(-1)) {
      assertThat(drain(s)).isEmpty();

      hub.publish("health", "{\"n\":2}");

      assertThat(drain(s)).extracting(Event::json).containsExactly("{\"n\":2}");
    }
  }

  @Test
  void everySubscriber_getsEveryEvent() throws InterruptedException {
    try (EventHub.Subscription a = subscribe(-1); EventHub.Subscription b = subscribe(-1)) {
      hub.publish("drain", "{}");
      hub.publish("undrain", "{}");

      assertThat(drain(a)).extracting(Event::type).containsExactly("drain", "undrain");
      assertThat(drain(b)).extracting(Event::type).containsExactly("drain", "undrain");
    }
  }

  @Test
  void reconnectWithLastEventId_replaysWhatWasMissed() throws InterruptedException {
    hub.publish("a", "{}");
    Event seen = hub.publish("b", "{}");
    hub.publish("c", "{}");
    hub.publish("d", "{}");

    try (EventHub.Subscription s = subscribe(seen.id())) {
      assertThat(drain(s)).extracting(Event::type).containsExactly("c", "d");
    }
  }

  @Test
  void reconnectWithTheLatestId_replaysNothing() throws InterruptedException {
    Event last = hub.publish("a", "{}");

    try (EventHub.Subscription s = subscribe(last.id())) {
      assertThat(drain(s)).isEmpty();
    }
  }

  @Test
  void reconnectBeforeAnyEvent_withTheFirstId_replaysNothing() throws InterruptedException {
    try (EventHub.Subscription s = subscribe(FIRST)) {
      assertThat(drain(s)).isEmpty();
    }
  }

  @Test
  void reconnectFromJustBeforeTheOldestKept_replaysAllKept() throws InterruptedException {
    for (int i = 0; i < EventHub.HISTORY + 10; i++) {
      hub.publish("health", "{\"n\":" + i + "}");
    }
    long oldestKept = hub.lastId() - EventHub.HISTORY + 1;

    try (EventHub.Subscription s = subscribe(oldestKept - 1)) {
      List<Event> replayed = drain(s);
      assertThat(replayed).hasSize(EventHub.HISTORY);
      assertThat(replayed.getFirst().id()).isEqualTo(oldestKept);
      assertThat(replayed.getLast().id()).isEqualTo(hub.lastId());
    }
  }

  @Test
  void reconnectFromTooLongAgo_isToldToResync() throws InterruptedException {
    for (int i = 0; i < EventHub.HISTORY + 10; i++) {
      hub.publish("health", "{}");
    }
    long oldestKept = hub.lastId() - EventHub.HISTORY + 1;

    try (EventHub.Subscription s = subscribe(oldestKept - 2)) {
      assertThat(drain(s)).singleElement().satisfies(e -> {
        assertThat(e.type()).isEqualTo("resync");
        assertThat(e.id()).isEqualTo(hub.lastId());
        assertThat(e.json()).isEqualTo("{}");
      });
    }
  }

  @Test
  void reconnectWithAnIdOfAnEarlierRun_isToldToResync() throws InterruptedException {
    hub.publish("a", "{}");

    try (EventHub.Subscription s = subscribe(FIRST - 5000)) {
      assertThat(drain(s)).extracting(Event::type).containsExactly("resync");
    }
  }

  @Test
  void reconnectWithAnIdOfAnEarlierRun_beforeAnyEventHere_isToldToResync()
      throws InterruptedException {
    try (EventHub.Subscription s = subscribe(FIRST - 5000)) {
      assertThat(drain(s)).extracting(Event::type).containsExactly("resync");
    }
  }

  @Test
  void reconnectWithAnIdFromTheFuture_isToldToResync() throws InterruptedException {
    hub.publish("a", "{}");

    try (EventHub.Subscription s = subscribe(hub.lastId() + 1)) {
      assertThat(drain(s)).extracting(Event::type).containsExactly("resync");
    }
  }

  @Test
  void unparsableLastEventId_zero_isToldToResync() throws InterruptedException {
    // EventStream maps a Last-Event-ID that is not a number to 0.
    try (EventHub.Subscription s = subscribe(0)) {
      assertThat(drain(s)).extracting(Event::type).containsExactly("resync");
    }
  }

  @Test
  void slowSubscriber_isDroppedOnOverflow_afterReadingWhatWasQueued()
      throws InterruptedException {
    EventHub.Subscription slow = subscribe(-1);
    EventHub.Subscription fast = subscribe(-1);
    List<Event> fastSaw = new ArrayList<>();

    for (int i = 0; i < EventHub.QUEUE + 1; i++) {
      hub.publish("health", "{}");
      fastSaw.addAll(drain(fast));
    }

    assertThat(hub.subscribers()).isEqualTo(1);
    assertThat(slow.overflowed()).as("still has queued events").isFalse();
    assertThat(drain(slow)).hasSize(EventHub.QUEUE);
    assertThat(slow.overflowed()).isTrue();
    assertThat(fast.overflowed()).isFalse();
    assertThat(fastSaw).hasSize(EventHub.QUEUE + 1);

    hub.publish("health", "{}");
    assertThat(drain(slow)).as("no longer subscribed").isEmpty();
    assertThat(drain(fast)).hasSize(1);
    slow.close();
    fast.close();
    assertThat(hub.subscribers()).isZero();
  }

  @Test
  void droppedSubscriber_reconnectingWithItsLastId_getsTheRest() throws InterruptedException {
    EventHub.Subscription slow = subscribe(-1);
    for (int i = 0; i < EventHub.QUEUE + 5; i++) {
      hub.publish("health", "{\"n\":" + i + "}");
    }
    List<Event> got = drain(slow);
    slow.close();

    try (EventHub.Subscription again = subscribe(got.getLast().id())) {
      List<Event> rest = drain(again);
      assertThat(rest).hasSize(5);
      assertThat(rest.getLast().id()).isEqualTo(hub.lastId());
    }
  }

  @Test
  void subscribers_areCapped() {
    List<EventHub.Subscription> open = new ArrayList<>();
    for (int i = 0; i < EventHub.MAX_SUBSCRIBERS; i++) {
      open.add(subscribe(-1));
    }

    Optional<EventHub.Subscription> one = hub.subscribe(-1);

    assertThat(one).isEmpty();
    assertThat(hub.subscribers()).isEqualTo(EventHub.MAX_SUBSCRIBERS);
    open.getFirst().close();
    assertThat(hub.subscribe(-1)).isPresent();
    open.forEach(EventHub.Subscription::close);
  }

  @Test
  void close_unsubscribes_andIsIdempotent() {
    EventHub.Subscription s = subscribe(-1);

    s.close();
    s.close();

    assertThat(hub.subscribers()).isZero();
  }

  @Test
  void next_waitsAtMostTheGivenTime() throws InterruptedException {
    try (EventHub.Subscription s = subscribe(-1)) {
      long start = System.nanoTime();

      assertThat(s.next(50)).isNull();

      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(40_000_000L);
    }
  }
}
