package org.stiffness.cli.reproduce;

import java.util.Locale;
import java.util.TreeSet;
import java.util.function.Function;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.CriticalLengthSummary;
import org.stiffness.summary.ExperimentSummary.PairingSummary;
import org.stiffness.summary.ExperimentSummary.Run;

/**
 * xi and its bootstrap interval as the two critical-length claims read and compare them: an
 * interval lies below another when its high end is below the other's low end, and a missing end
 * counts as unbounded, so that a comparison on it cannot pass.
 */
final class XiReading {
  private XiReading() {}

  /** xi of one definition (within-class or all pairs) at a checkpoint, on the judged pairing. */
  static CriticalLengthSummary xi(
      Function<PairingSummary, CriticalLengthSummary> definition, Checkpoint cp) {
    CriticalLengthSummary xi = definition.apply(Evidence.at(cp));
    if (xi == null) {
      throw new IllegalArgumentException(
          "step " + cp.step() + ": the " + Claims.PAIRING + " pairing has no critical length");
    }
    return xi;
  }

  /** Whether {@code b}'s interval lies wholly below {@code a}'s. */
  static boolean below(CriticalLengthSummary b, CriticalLengthSummary a) {
    return high(b) < low(a);
  }

  /** Whether {@code b}'s interval lies wholly above {@code a}'s. */
  static boolean above(CriticalLengthSummary b, CriticalLengthSummary a) {
    return low(b) > high(a);
  }

  private static double low(CriticalLengthSummary xi) {
    return xi.low() == null ? Double.NEGATIVE_INFINITY : xi.low();
  }

  private static double high(CriticalLengthSummary xi) {
    return xi.high() == null ? Double.POSITIVE_INFINITY : xi.high();
  }

  /** {@code 0.800 [0.750, 0.850]}, or {@code no crossing (crossing_outside_range)}. */
  static String describe(CriticalLengthSummary xi) {
    if (xi.value() == null) {
      return "no crossing (" + shortReason(xi.reason()) + ")";
    }
    return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", xi.value(), low(xi), high(xi));
  }

  /** The reason's keyword, e.g. {@code crossing_outside_range}, without the detail. */
  static String shortReason(String reason) {
    if (reason == null) {
      return "no reason given";
    }
    int colon = reason.indexOf(':');
    return colon < 0 ? reason : reason.substring(0, colon);
  }

  /** The steps a run measured, in order. */
  static TreeSet<Long> steps(Run run) {
    TreeSet<Long> s = new TreeSet<>();
    run.checkpoints().forEach(cp -> s.add(cp.step()));
    return s;
  }
}
