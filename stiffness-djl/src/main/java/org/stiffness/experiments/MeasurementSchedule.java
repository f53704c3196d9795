package org.stiffness.experiments;

import java.util.Arrays;

/**
 * The optimiser steps at which stiffness is measured. Step s means "after s optimiser steps", so
 * step 0 is the initial network and step T (the total) the trained one.
 *
 * <p>Log-spaced by default, because the paper's quantities change fastest early in training: for
 * {@code p} points over {@code T} steps the candidate for point k = 0..p-1 is {@code round((T +
 * 1)^(k / (p - 1))) - 1}, which runs from 0 to T. Where rounding makes candidates collide (small k,
 * where consecutive log-spaced values are less than one step apart) a point is moved to the next
 * free step, and it is kept low enough that every later point still fits before T; the result is
 * exactly {@code min(p, T + 1)} distinct steps including 0 and T. The rule uses only integer
 * rounding of {@link Math#pow}, so it is the same on every run.
 */
public final class MeasurementSchedule {
  private final int points;
  private final long[] explicit;

  private MeasurementSchedule(int points, long[] explicit) {
    this.points = points;
    this.explicit = explicit;
  }

  /**
   * {@code points} log-spaced steps including 0 and the last step (see the class description).
   *
   * @param points number of measurements, at least 2
   */
  public static MeasurementSchedule logSpaced(int points) {
    if (points < 2) {
      throw new IllegalArgumentException(
          "a log-spaced schedule needs at least 2 points (the start and the end), got " + points);
    }
    return new MeasurementSchedule(points, null);
  }

  /**
   * Exactly the given steps (sorted, duplicates merged).
   *
   * @param steps optimiser steps, each {@code >= 0}; they must not exceed the run's total steps
   */
  public static MeasurementSchedule explicit(long... steps) {
    if (steps.length == 0) {
      throw new IllegalArgumentException("no measurement steps given");
    }
    long[] sorted = Arrays.stream(steps).sorted().distinct().toArray();
    if (sorted[0] < 0) {
      throw new IllegalArgumentException("measurement step " + sorted[0] + " is negative");
    }
    return new MeasurementSchedule(0, sorted);
  }

  /**
   * The measurement steps of a run of {@code totalSteps} optimiser steps, ascending and distinct.
   *
   * @throws IllegalArgumentException if an explicit step exceeds {@code totalSteps}
   */
  public long[] steps(long totalSteps) {
    if (totalSteps < 0) {
      throw new IllegalArgumentException("totalSteps = " + totalSteps + ", expected >= 0");
    }
    if (explicit != null) {
      long last = explicit[explicit.length - 1];
      if (last > totalSteps) {
        throw new IllegalArgumentException(
            "measurement step " + last + " is after the last training step " + totalSteps);
      }
      return explicit.clone();
    }
    int n = (int) Math.min(points, totalSteps + 1);
    long[] out = new long[n];
    if (n == 1) {
      return out; // totalSteps == 0: only the initial network
    }
    for (int k = 1; k < n; k++) {
      long candidate = Math.round(Math.pow(totalSteps + 1.0, k / (double) (n - 1))) - 1;
      long lowest = out[k - 1] + 1;
      long highest = totalSteps - (n - 1 - k);
      out[k] = Math.min(Math.max(candidate, lowest), highest);
    }
    return out;
  }

  /** A description for the experiment configuration, e.g. {@code log(12)} or {@code [0, 5, 10]}. */
  @Override
  public String toString() {
    return explicit != null ? Arrays.toString(explicit) : "log(" + points + ")";
  }
}
