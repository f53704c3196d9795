package org.stiffness.report;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.stiffness.io.ClassMatrixFile;
import org.stiffness.summary.ExperimentSummary;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.CriticalLengthSummary;
import org.stiffness.summary.ExperimentSummary.PairingSummary;
import org.stiffness.summary.ExperimentSummary.Run;

/**
 * What the figures draw, selected from a summary and the class matrices it points to: runs,
 * checkpoints and pairings by index and key (with one clear error where one is missing), the points
 * of a curve over training, the class names, and the matrices read from their {@code .npy} files.
 */
final class FigureData {
  /** Points of a curve, x (on the {@link StepAxis}) and y in pairs. */
  record Points(List<Double> x, List<Double> y) {}

  /**
   * The critical lengths of a run's checkpoints that have one, and their bootstrap intervals.
   *
   * @param bars {@code {x, low, high}} for each point that has an interval
   */
  record XiPoints(Points points, List<double[]> bars) {}

  private final ExperimentSummary summary;
  private final Path experimentDir;
  private final List<String> classNames;

  /**
   * @param classNames class k's name at index k, or null to take {@code config.class_names} when
   *     the summary has it, else the class indices
   */
  FigureData(ExperimentSummary summary, Path experimentDir, List<String> classNames) {
    if (summary.runs() == null || summary.runs().isEmpty()) {
      throw new IllegalArgumentException("the summary has no runs to plot");
    }
    this.summary = summary;
    this.experimentDir = experimentDir;
    this.classNames =
        classNames != null ? List.copyOf(classNames) : SummaryConfig.classNames(summary.config());
  }

  ExperimentSummary summary() {
    return summary;
  }

  List<Run> runs() {
    return summary.runs();
  }

  /**
   * A learning rate as written by a person: {@code 0.001}, {@code 0.01}; {@code unknown} for the
   * NaN of a merge whose checkpoint did not record it. Titles and file names spell it so.
   */
  static String lr(double lr) {
    if (!Double.isFinite(lr)) {
      return "unknown";
    }
    return BigDecimal.valueOf(lr).stripTrailingZeros().toPlainString();
  }

  /** Checkpoint {@code index} of a run; negative counts from the end (-1 = last). */
  static Checkpoint checkpoint(Run r, int index) {
    List<Checkpoint> cps = r.checkpoints();
    if (cps == null || cps.isEmpty()) {
      throw new IllegalArgumentException("run lr " + lr(r.lr()) + " has no checkpoints");
    }
    int k = index < 0 ? cps.size() + index : index;
    if (k < 0 || k >= cps.size()) {
      throw new IndexOutOfBoundsException(
          "checkpoint " + index + " of a run with " + cps.size() + " checkpoints");
    }
    return cps.get(k);
  }

  /** The pairing {@code p} of a checkpoint. */
  static PairingSummary pairing(Checkpoint cp, String p) {
    PairingSummary ps = cp.pairings() == null ? null : cp.pairings().get(p);
    if (ps == null) {
      throw new IllegalArgumentException("step " + cp.step() + " has no " + p + " pairing");
    }
    return ps;
  }

  /**
   * Pairing keys that the first checkpoint of the first run measured, in summary order: the paper's
   * train-train, train-val, val-val first, then any others (MNLI's mismatched dev set).
   */
  List<String> pairingsPresent() {
    Map<String, PairingSummary> first = summary.runs().get(0).checkpoints().get(0).pairings();
    return first == null ? List.of() : new ArrayList<>(first.keySet());
  }

  /**
   * The names of {@code c} classes: the given or configured ones when there are c, else indices.
   */
  List<String> names(int c) {
    if (classNames != null && classNames.size() == c) {
      return classNames;
    }
    List<String> out = new ArrayList<>();
    for (int k = 0; k < c; k++) {
      out.add(String.valueOf(k));
    }
    return out;
  }

  /** A file the summary names, relative to the experiment directory. */
  Path file(String relative) {
    return experimentDir.resolve(relative);
  }

  /** A class (or group) matrix the summary names, row-major (C * C). */
  double[] matrix(String relative) throws IOException {
    return ClassMatrixFile.readRowMajor(file(relative));
  }

  static int[] ints(List<Integer> values) {
    return values.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * A value of each checkpoint at its step: checkpoints without the value (or a non-finite one) are
   * left out, and so are those of a merge that did not record their step, which have no place on a
   * step axis.
   */
  static Points stepPoints(List<Checkpoint> cps, Function<Checkpoint, Double> value) {
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    for (Checkpoint cp : cps) {
      Double v = value.apply(cp);
      if (v != null && Double.isFinite(v) && cp.step() != null) {
        x.add(StepAxis.position(cp.step()));
        y.add(v);
      }
    }
    return new Points(x, y);
  }

  /** The critical lengths of a run's checkpoints that have a crossing, with their intervals. */
  static XiPoints xiPoints(Run r, Function<Checkpoint, CriticalLengthSummary> which) {
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    List<double[]> bars = new ArrayList<>();
    for (Checkpoint cp : r.checkpoints()) {
      CriticalLengthSummary xi = which.apply(cp);
      if (xi == null || xi.value() == null || !Double.isFinite(xi.value()) || cp.step() == null) {
        continue;
      }
      x.add(StepAxis.position(cp.step()));
      y.add(xi.value());
      if (xi.low() != null && xi.high() != null) {
        bars.add(new double[] {StepAxis.position(cp.step()), xi.low(), xi.high()});
      }
    }
    return new XiPoints(new Points(x, y), bars);
  }

  /** Width of the step axis ({@link StepAxis#position}) the checkpoints span. */
  double positionRange() {
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (Run r : summary.runs()) {
      for (Checkpoint cp : r.checkpoints()) {
        if (cp.step() != null) {
          min = Math.min(min, StepAxis.position(cp.step()));
          max = Math.max(max, StepAxis.position(cp.step()));
        }
      }
    }
    return max > min ? max - min : 0;
  }

  /** Checkpoints of a run whose xi has no value (no crossing) for a pairing. */
  static int checkpointsWithoutCrossing(Run run, String pairing) {
    int n = 0;
    for (Checkpoint cp : run.checkpoints()) {
      PairingSummary ps = cp.pairings() == null ? null : cp.pairings().get(pairing);
      CriticalLengthSummary xi = ps == null ? null : ps.criticalLength();
      if (xi == null || xi.value() == null || !Double.isFinite(xi.value())) {
        n++;
      }
    }
    return n;
  }
}
