package net.anycast.healthchecker.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The results: one row per figure, with its parameters and, when it has a target, PASS/FAIL. */
final class Table {
  /** One figure. verdict is PASS, FAIL or "" when the figure has no target. */
  record Row(String measure, String params, String value, String target, String verdict) {}

  private final List<Row> rows = new ArrayList<>();

  /** Adds a figure without a target. */
  void info(String measure, String params, String value) {
    rows.add(new Row(measure, params, value, "", ""));
    System.out.println("  " + measure + " [" + params + "]: " + value);
  }

  /** Adds a figure with a target; pass says whether it was met. */
  void target(String measure, String params, String value, String target, boolean pass) {
    rows.add(new Row(measure, params, value, target, pass ? "PASS" : "FAIL"));
    System.out.println("  " + measure + " [" + params + "]: " + value + "  target " + target
        + " -> " + (pass ? "PASS" : "FAIL"));
  }

  /** Prints the table as Markdown, so it can be pasted into docs/benchmarks.md. */
  void print(PrintStream out) {
    out.println("| measure | parameters | value | target | result |");
    out.println("|---|---|---|---|---|");
    for (Row r : rows) {
      out.println("| " + r.measure() + " | " + r.params() + " | " + r.value() + " | " + r.target()
          + " | " + r.verdict() + " |");
    }
  }
}
