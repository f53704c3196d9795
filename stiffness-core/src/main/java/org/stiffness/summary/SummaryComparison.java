package org.stiffness.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * Every number of two summaries' {@code runs} side by side: how many, how many differ, and the
 * largest absolute difference with where it is. For checking that a run on another device, with
 * other tiles or after a change gives the same statistics within a stated tolerance.
 *
 * @param numbers numbers compared
 * @param differing numbers that are not bitwise equal
 * @param largestDifference the largest absolute difference (0 when none differ)
 * @param where the JSON path of that number ({@code runs[0].checkpoints[3].pairings.train-val...}),
 *     or null
 * @param mismatches places where the two differ in shape (a key, a length, a number against a null
 *     or a string), at most 20
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SummaryComparison(
    long numbers, long differing, double largestDifference, String where, List<String> mismatches) {

  /** Compares {@code a.runs} with {@code b.runs} (the configurations may differ). */
  public static SummaryComparison of(JsonNode a, JsonNode b) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    Walk w = new Walk();
    w.walk(a.path("runs"), b.path("runs"), "runs");
    return new SummaryComparison(
        w.numbers, w.differing, w.largest, w.where, List.copyOf(w.mismatches));
  }

  /** Whether the two have the same shape and every number is within {@code tolerance}. */
  public boolean within(double tolerance) {
    return mismatches.isEmpty() && largestDifference <= tolerance;
  }

  private static final class Walk {
    long numbers;
    long differing;
    double largest;
    String where;
    final List<String> mismatches = new ArrayList<>();

    void walk(JsonNode a, JsonNode b, String path) {
      if (a.isNumber() && b.isNumber()) {
        numbers++;
        double x = a.doubleValue();
        double y = b.doubleValue();
        if (Double.doubleToRawLongBits(x) != Double.doubleToRawLongBits(y)) {
          differing++;
          double d = Math.abs(x - y);
          if (d > largest || where == null) {
            largest = Math.max(largest, d);
            where = path;
          }
        }
      } else if (a.isObject() && b.isObject()) {
        Iterator<String> names = a.fieldNames();
        while (names.hasNext()) {
          String name = names.next();
          if (!b.has(name)) {
            mismatch(path + "." + name + " only in the first");
          } else {
            walk(a.get(name), b.get(name), path + "." + name);
          }
        }
        Iterator<String> others = b.fieldNames();
        while (others.hasNext()) {
          String name = others.next();
          if (!a.has(name)) {
            mismatch(path + "." + name + " only in the second");
          }
        }
      } else if (a.isArray() && b.isArray()) {
        if (a.size() != b.size()) {
          mismatch(path + " has " + a.size() + " entries against " + b.size());
          return;
        }
        for (int i = 0; i < a.size(); i++) {
          walk(a.get(i), b.get(i), path + "[" + i + "]");
        }
      } else if (!a.equals(b)) {
        mismatch(path + " is " + a + " against " + b);
      }
    }

    private void mismatch(String what) {
      if (mismatches.size() < 20) {
        mismatches.add(what);
      }
    }
  }
}
