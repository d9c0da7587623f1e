package net.anycast.healthchecker.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** One run of the benchmark's check program: which service, when (wall clock), what it said. */
record Stamp(String service, Instant at, int exitCode) {
  /** Returns the stamps {@code stamp} wrote to {@code log}, from byte {@code from} on. */
  static List<Stamp> read(Path log, long from) throws IOException {
    List<Stamp> out = new ArrayList<>();
    if (!Files.exists(log)) {
      return out;
    }
    byte[] all = Files.readAllBytes(log);
    String text = new String(all, (int) Math.min(from, all.length),
        all.length - (int) Math.min(from, all.length), java.nio.charset.StandardCharsets.US_ASCII);
    for (String line : text.split("\n")) {
      String[] w = line.split(" ");
      if (w.length == 3) {
        long ns = Long.parseLong(w[1]);
        out.add(new Stamp(w[0], Instant.ofEpochSecond(ns / 1_000_000_000L, ns % 1_000_000_000L),
            Integer.parseInt(w[2])));
      }
    }
    return out;
  }

  /** Returns the size of {@code log} now: where the next stamps will start. */
  static long mark(Path log) throws IOException {
    return Files.exists(log) ? Files.size(log) : 0;
  }
}
