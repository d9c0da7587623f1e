package net.anycast.healthchecker.web;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Fans events out to the streams of {@code GET /api/v1/events}, each with a bounded queue.
 *
 * <p>A client that falls behind by more than {@value #QUEUE} events is cut off rather than
 * allowed to hold memory; like every client whose stream ends, it reconnects with the last id it
 * saw and gets what it missed from the last {@value #HISTORY} events, or a {@code resync} event
 * (re-read the status) when that is too far back. Publishing never blocks.
 */
final class EventHub {
  static final int QUEUE = 1024;
  static final int HISTORY = 1024;
  static final int MAX_SUBSCRIBERS = 64;

  private final ArrayDeque<Event> history = new ArrayDeque<>();
  private final List<Subscription> subscribers = new ArrayList<>();
  private long lastId;

  /**
   * @param firstId ids continue from here: the daemon passes its start time in microseconds, so
   *     a client still holding an id of an earlier run is told to resync, not replayed wrongly
   */
  EventHub(long firstId) {
    this.lastId = firstId;
  }

  /** Publishes an event to every subscriber; returns it. */
  synchronized Event publish(String type, String json) {
    Event e = new Event(++lastId, type, json);
    history.addLast(e);
    if (history.size() > HISTORY) {
      history.removeFirst();
    }
    for (Subscription s : List.copyOf(subscribers)) {
      if (!s.queue.offer(e)) {
        s.overflowed = true;
        subscribers.remove(s);
      }
    }
    return e;
  }

  /**
   * Subscribes; returns empty when {@value #MAX_SUBSCRIBERS} streams are open already.
   *
   * @param lastSeen the id the client saw last (Last-Event-ID), or -1 for a new client
   */
  synchronized Optional<Subscription> subscribe(long lastSeen) {
    if (subscribers.size() >= MAX_SUBSCRIBERS) {
      return Optional.empty();
    }
    Subscription s = new Subscription(this);
    if (lastSeen >= 0 && lastSeen != lastId) {
      Event oldest = history.peekFirst();
      if (lastSeen > lastId || oldest == null || oldest.id() > lastSeen + 1) {
        s.queue.offer(new Event(lastId, "resync", "{}"));
      } else {
        history.stream().filter(e -> e.id() > lastSeen).forEach(s.queue::offer);
      }
    }
    subscribers.add(s);
    return Optional.of(s);
  }

  /** Returns the id of the last event published ({@code firstId} before the first). */
  synchronized long lastId() {
    return lastId;
  }

  synchronized int subscribers() {
    return subscribers.size();
  }

  private synchronized void unsubscribe(Subscription s) {
    subscribers.remove(s);
  }

  /** One stream's queue. */
  static final class Subscription implements AutoCloseable {
    private final EventHub hub;
    private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE);
    private volatile boolean overflowed;

    private Subscription(EventHub hub) {
      this.hub = hub;
    }

    /** Returns the next event, or null after {@code millis} without one. */
    Event next(long millis) throws InterruptedException {
      return queue.poll(millis, TimeUnit.MILLISECONDS);
    }

    /** Returns true when the client fell too far behind and was dropped. */
    boolean overflowed() {
      return overflowed && queue.isEmpty();
    }

    @Override
    public void close() {
      hub.unsubscribe(this);
    }
  }
}
