package net.anycast.healthchecker.process;

import java.io.IOException;
import java.io.InputStream;

/**
 * The first {@value #LIMIT} bytes a command wrote to one stream, and how many more it wrote.
 *
 * <p>Bounded because a command that loops printing must cost memory proportional to nothing;
 * the rest is still read (and dropped) so the command never blocks on a full pipe.
 *
 * @param text the kept bytes, decoded as UTF-8 (invalid sequences replaced)
 * @param droppedBytes bytes read past the limit and thrown away
 */
public record CapturedOutput(String text, long droppedBytes) {
  /** Bytes kept per stream, as Consul caps check output. */
  public static final int LIMIT = 4096;

  /** Returns output with nothing in it. */
  public static CapturedOutput empty() {
    return new CapturedOutput("", 0);
  }

  /** Returns everything {@code in} yields until end of stream, keeping the first LIMIT bytes. */
  static CapturedOutput drain(InputStream in) throws IOException {
    OutputCapture capture = new OutputCapture();
    byte[] scratch = new byte[8192];
    int n;
    while ((n = in.read(scratch)) >= 0) {
      capture.accept(scratch, n);
    }
    return capture.result();
  }

  /** Returns the text, ending with a "[truncated …]" mark when bytes were dropped. */
  @Override
  public String toString() {
    return droppedBytes == 0 ? text : text + "...[truncated, " + droppedBytes + " more bytes]";
  }
}
