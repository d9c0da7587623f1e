package net.anycast.healthchecker.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Percentiles (nearest rank) of a list of samples, in milliseconds. */
record Stats(List<Double> sorted) {
  Stats {
    sorted = new ArrayList<>(sorted);
    Collections.sort(sorted);
  }

  /** Returns the p-th percentile (0 < p ≤ 100), NaN when there are no samples. */
  double p(double p) {
    if (sorted.isEmpty()) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  double min() {
    return sorted.isEmpty() ? Double.NaN : sorted.getFirst();
  }

  double max() {
    return p(100);
  }

  int n() {
    return sorted.size();
  }

  /** Returns "p50/p95/max" with one decimal. */
  String summary() {
    return String.format(Locale.ROOT, "%.1f/%.1f/%.1f", p(50), p(95), max());
  }
}
