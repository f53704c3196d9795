package org.stiffness.summary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Every number of two summaries' {@code runs} side by side: how many, how many differ, and the
 * largest absolute difference with where it is, over all numbers and per quantity. For checking
 * that a run on another device, with other tiles or after a change gives the same statistics within
 * stated tolerances: one per quantity ({@link #exceeding}), since counts, cosines and the figures
 * of a trained run differ by different amounts for the same correct computation.
 *
 * <p>A quantity is the name of the field that holds a number ({@code within_cos}, {@code pairs},
 * {@code uncertain_sign_pairs}, {@code value} of a critical length...), array positions left out.
 * The {@code reason} texts of a critical length name a cause and the numbers that led to it ({@code
 * crossing_outside_range: fitted crossing at d = 2.536 ...}); two are the same when their causes
 * (the text before the first colon) are, the numbers being judged where they are numbers.
 *
 * @param numbers numbers compared
 * @param differing numbers that are not bitwise equal
 * @param largestDifference the largest absolute difference (0 when none differ)
 * @param where the JSON path of that number ({@code runs[0].checkpoints[3].pairings.train-val...}),
 *     or null
 * @param mismatches places where the two differ in shape (a key, a length, a number against a null
 *     or a string), at most 20
 * @param quantities the same figures per quantity, in the order first met
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SummaryComparison(
    long numbers,
    long differing,
    double largestDifference,
    String where,
    List<String> mismatches,
    Map<String, Quantity> quantities) {

  /**
   * The numbers of one quantity.
   *
   * @param numbers numbers compared
   * @param differing numbers that are not bitwise equal
   * @param largestDifference the largest absolute difference (0 when none differ)
   * @param where the JSON path of that number, or null
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  public record Quantity(long numbers, long differing, double largestDifference, String where) {}

  /** Compares {@code a.runs} with {@code b.runs} (the configurations may differ). */
  public static SummaryComparison of(JsonNode a, JsonNode b) {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    Walk w = new Walk();
    w.walk(a.path("runs"), b.path("runs"), "runs", "runs");
    Map<String, Quantity> quantities = new LinkedHashMap<>();
    w.byQuantity.forEach((name, t) -> quantities.put(name, t.quantity()));
    return new SummaryComparison(
        w.all.numbers,
        w.all.differing,
        w.all.largest,
        w.all.where,
        List.copyOf(w.mismatches),
        quantities);
  }

  /** Whether the two have the same shape and every number is within {@code tolerance}. */
  public boolean within(double tolerance) {
    return mismatches.isEmpty() && largestDifference <= tolerance;
  }

  /**
   * The quantities whose largest difference exceeds their tolerance, one line each ({@code
   * within_cos: 2.1e-04 at runs[0]... > 1.2e-04}); empty when all are within.
   *
   * @param tolerances tolerance per quantity name
   * @param otherwise the tolerance of a quantity not named ({@code +infinity}: any)
   */
  public List<String> exceeding(Map<String, Double> tolerances, double otherwise) {
    List<String> out = new ArrayList<>();
    quantities.forEach(
        (name, q) -> {
          double tolerance = tolerances.getOrDefault(name, otherwise);
          if (q.largestDifference() > tolerance) {
            out.add(
                String.format(
                    Locale.ROOT,
                    "%s: %.3g at %s > %.3g",
                    name,
                    q.largestDifference(),
                    q.where(),
                    tolerance));
          }
        });
    return out;
  }

  private static final class Tally {
    long numbers;
    long differing;
    double largest;
    String where;

    void add(double x, double y, String path) {
      numbers++;
      if (Double.doubleToRawLongBits(x) != Double.doubleToRawLongBits(y)) {
        differing++;
        double d = Math.abs(x - y);
        if (d > largest || where == null) {
          largest = Math.max(largest, d);
          where = path;
        }
      }
    }

    Quantity quantity() {
      return new Quantity(numbers, differing, largest, where);
    }
  }

  private static final class Walk {
    final Tally all = new Tally();
    final Map<String, Tally> byQuantity = new LinkedHashMap<>();
    final List<String> mismatches = new ArrayList<>();

    /**
     * @param name the field that holds {@code a} and {@code b} (array positions left out)
     */
    void walk(JsonNode a, JsonNode b, String path, String name) {
      if (a.isNumber() && b.isNumber()) {
        double x = a.doubleValue();
        double y = b.doubleValue();
        all.add(x, y, path);
        byQuantity.computeIfAbsent(name, k -> new Tally()).add(x, y, path);
      } else if ("reason".equals(name) && a.isTextual() && b.isTextual()) {
        if (!cause(a.asText()).equals(cause(b.asText()))) {
          mismatch(path + " is " + a + " against " + b);
        }
      } else if (a.isObject() && b.isObject()) {
        Iterator<String> names = a.fieldNames();
        while (names.hasNext()) {
          String field = names.next();
          if (!b.has(field)) {
            mismatch(path + "." + field + " only in the first");
          } else {
            walk(a.get(field), b.get(field), path + "." + field, field);
          }
        }
        Iterator<String> others = b.fieldNames();
        while (others.hasNext()) {
          String field = others.next();
          if (!a.has(field)) {
            mismatch(path + "." + field + " only in the second");
          }
        }
      } else if (a.isArray() && b.isArray()) {
        if (a.size() != b.size()) {
          mismatch(path + " has " + a.size() + " entries against " + b.size());
          return;
        }
        for (int i = 0; i < a.size(); i++) {
          walk(a.get(i), b.get(i), path + "[" + i + "]", name);
        }
      } else if (!a.equals(b)) {
        mismatch(path + " is " + a + " against " + b);
      }
    }

    /** The cause a reason names: its text before the first colon. */
    private static String cause(String reason) {
      int colon = reason.indexOf(':');
      return colon < 0 ? reason : reason.substring(0, colon);
    }

    private void mismatch(String what) {
      if (mismatches.size() < 20) {
        mismatches.add(what);
      }
    }
  }
}
