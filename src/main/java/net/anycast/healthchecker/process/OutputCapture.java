package net.anycast.healthchecker.process;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One stream's output as it arrives in pieces: keeps the first {@link CapturedOutput#LIMIT}
 * bytes and counts the rest. Not thread-safe: one reader feeds it, and hands it over through a
 * happens-before edge (end of a task, a latch) before {@link #result()} is read.
 */
final class OutputCapture {
  private byte[] kept; // allocated on the first byte: most checks print nothing
  private int keptLength;
  private long dropped;

  /** Takes {@code n} bytes from the start of {@code bytes}. */
  void accept(byte[] bytes, int n) {
    int take = room(n);
    if (take > 0) {
      System.arraycopy(bytes, 0, kept, keptLength, take);
      keptLength += take;
    }
    dropped += n - take;
  }

  /** Takes {@code n} bytes from the start of native memory {@code bytes}. */
  void accept(MemorySegment bytes, int n) {
    int take = room(n);
    if (take > 0) {
      MemorySegment.copy(bytes, ValueLayout.JAVA_BYTE, 0, kept, keptLength, take);
      keptLength += take;
    }
    dropped += n - take;
  }

  private int room(int n) {
    int take = Math.min(n, CapturedOutput.LIMIT - keptLength);
    if (take > 0 && kept == null) {
      kept = new byte[CapturedOutput.LIMIT];
    }
    return take;
  }

  /** Returns what was taken so far, decoded as UTF-8. */
  CapturedOutput result() {
    if (keptLength == 0 && dropped == 0) {
      return CapturedOutput.empty();
    }
    String text = new String(Arrays.copyOf(kept, keptLength), StandardCharsets.UTF_8);
    return new CapturedOutput(text, dropped);
  }
}
