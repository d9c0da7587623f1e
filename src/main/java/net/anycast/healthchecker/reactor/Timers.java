package net.anycast.healthchecker.reactor;

import java.util.Arrays;

/**
 * The timers of one reactor: a binary min-heap of {@link Timer}s by due time, each knowing its
 * place so that disarming is O(log n) and leaves nothing behind (a check's deadline is disarmed
 * by almost every run). Pure: the reactor's loop passes the time in ({@link #runDue}); nothing
 * here reads a clock. Not thread-safe: only the reactor thread touches it.
 */
final class Timers {
  private Timer[] heap = new Timer[64];
  private int size;

  /** Arms {@code t} for {@code atNanos}, moving it if it was armed already. */
  void arm(Timer t, long atNanos) {
    if (t.armed()) {
      disarm(t);
    }
    t.atNanos = atNanos;
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, size * 2);
    }
    heap[size] = t;
    t.index = size;
    size++;
    up(t.index);
  }

  /** Disarms {@code t}; nothing happens when it is not armed. */
  void disarm(Timer t) {
    int i = t.index;
    if (i < 0) {
      return;
    }
    size--;
    Timer last = heap[size];
    heap[size] = null;
    t.index = -1;
    if (last != t) {
      heap[i] = last;
      last.index = i;
      down(i);
      up(last.index);
    }
  }

  /** Returns when the earliest timer is due; {@link Long#MAX_VALUE} when none is armed. */
  long nextDue() {
    return size == 0 ? Long.MAX_VALUE : heap[0].atNanos;
  }

  /** Returns the number of armed timers. */
  int size() {
    return size;
  }

  /**
   * Runs, in due order, the timers due at or before {@code nowNanos}, at most as many as were
   * armed when it was called: a task that arms a timer for a time already past (a loop behind
   * its slots) cannot keep this pass going for ever; the reactor calls again at once, since
   * {@link #nextDue} is past. Returns how many ran. A task that throws is not caught here: the
   * reactor logs it, and the timers not yet run wait for the next pass.
   */
  int runDue(long nowNanos) {
    int ran = 0;
    int budget = size;
    while (ran < budget && size > 0 && heap[0].atNanos - nowNanos <= 0) {
      Timer t = heap[0];
      disarm(t);
      ran++;
      t.task.run();
    }
    return ran;
  }

  private void up(int i) {
    Timer t = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      Timer p = heap[parent];
      if (p.atNanos - t.atNanos <= 0) {
        break;
      }
      heap[i] = p;
      p.index = i;
      i = parent;
    }
    heap[i] = t;
    t.index = i;
  }

  private void down(int i) {
    Timer t = heap[i];
    int half = size >>> 1;
    while (i < half) {
      int child = 2 * i + 1;
      Timer c = heap[child];
      int right = child + 1;
      if (right < size && heap[right].atNanos - c.atNanos < 0) {
        child = right;
        c = heap[child];
      }
      if (t.atNanos - c.atNanos <= 0) {
        break;
      }
      heap[i] = c;
      c.index = i;
      i = child;
    }
    heap[i] = t;
    t.index = i;
  }
}
