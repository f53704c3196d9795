package org.stiffness.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import org.knowm.xchart.XYChart;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.ClassCoherence;
import org.stiffness.summary.ExperimentSummary.CoherenceSummary;
import org.stiffness.summary.ExperimentSummary.PairValue;
import org.stiffness.summary.ExperimentSummary.Run;

/**
 * Gradient coherence and confusion of a pairing of a set with itself over training, beside its
 * stiffness over training: on top {@code alpha / alpha_perp} of the whole set and the mean over the
 * classes of each class's own (a log axis: the ratio runs from about 1 for orthogonal gradients up
 * to m); below the most negative cosine over all pairs and the lowest of the classes' within-class
 * ones, on [-1, 1].
 */
final class CoherencePlot {
  private static final Color ALL = new Color(31, 119, 180);
  private static final Color WITHIN = new Color(214, 39, 40);

  private CoherencePlot() {}

  /** Whether the pairing's checkpoints carry coherence figures (a set with itself). */
  static boolean present(FigureData data, String pairing) {
    for (Run r : data.runs()) {
      for (Checkpoint cp : r.checkpoints()) {
        if (FigureData.pairing(cp, pairing).coherence() != null) {
          return true;
        }
      }
    }
    return false;
  }

  /** Draws the figure of one run into {@code out}. */
  static Path draw(FigureData data, int run, String pairing, Path out) throws IOException {
    Run r = data.runs().get(run);
    List<Checkpoint> cps = r.checkpoints();
    String lr = FigureData.lr(r.lr());
    Function<Function<CoherenceSummary, Double>, FigureData.Points> points =
        value ->
            FigureData.stepPoints(
                cps,
                cp -> {
                  CoherenceSummary c = FigureData.pairing(cp, pairing).coherence();
                  return c == null ? null : value.apply(c);
                });
    XYChart top =
        ChartStyle.chart(
            "Gradient coherence over training, " + pairing + ", lr " + lr,
            "step",
            "alpha / alpha_perp");
    StepAxis.apply(top);
    top.getStyler().setYAxisLogarithmic(true);
    boolean any =
        ChartStyle.line(
                top,
                "all examples",
                points.apply(positive(CoherenceSummary::alphaRatio)),
                ALL,
                ChartStyle.SOLID)
            != null;
    any |=
        ChartStyle.line(
                top,
                "within each class (mean over classes)",
                points.apply(positive(CoherencePlot::meanClassRatio)),
                WITHIN,
                ChartStyle.DASHED)
            != null;
    if (!any) {
      top.getStyler().setYAxisLogarithmic(false);
      ChartStyle.placeholder(top, "no coherence recorded (every gradient zero)");
    }
    XYChart bottom =
        ChartStyle.chart(
            "Gradient confusion over training, " + pairing + ", lr " + lr,
            "step",
            "most negative cosine");
    StepAxis.apply(bottom);
    bottom.getStyler().setYAxisMin(-1.0).setYAxisMax(1.0);
    boolean pairs =
        ChartStyle.line(
                bottom,
                "all pairs",
                points.apply(c -> value(c.mostNegativeCosine())),
                ALL,
                ChartStyle.SOLID)
            != null;
    pairs |=
        ChartStyle.line(
                bottom,
                "within class (lowest over classes)",
                points.apply(CoherencePlot::lowestWithinClass),
                WITHIN,
                ChartStyle.DASHED)
            != null;
    if (!pairs) {
      ChartStyle.placeholder(bottom, "no pair of two nonzero gradients");
    }
    return PngFiles.writePng(out, ChartStyle.stack(top, bottom));
  }

  /** A value a log axis can show: null unless positive. */
  private static Function<CoherenceSummary, Double> positive(Function<CoherenceSummary, Double> f) {
    return c -> {
      Double v = f.apply(c);
      return v != null && v > 0 ? v : null;
    };
  }

  /** The mean over the classes of their {@code m_c alpha_c}, of those that have one. */
  static Double meanClassRatio(CoherenceSummary c) {
    double sum = 0;
    int n = 0;
    for (ClassCoherence k : c.classes()) {
      if (k.alphaRatio() != null) {
        sum += k.alphaRatio();
        n++;
      }
    }
    return n == 0 ? null : sum / n;
  }

  /** The lowest of the classes' most negative within-class cosines. */
  static Double lowestWithinClass(CoherenceSummary c) {
    Double lowest = null;
    for (ClassCoherence k : c.classes()) {
      Double v = value(k.mostNegativeCosine());
      if (v != null && (lowest == null || v < lowest)) {
        lowest = v;
      }
    }
    return lowest;
  }

  private static Double value(PairValue p) {
    return p == null ? null : p.value();
  }
}
