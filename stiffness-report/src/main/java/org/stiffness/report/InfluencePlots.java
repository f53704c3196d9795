package org.stiffness.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/**
 * The two charts of flip detection: self-influence of flipped against clean training examples
 * (histograms), and the share of flipped labels found against the share of the training set
 * inspected, by self-influence and by final loss.
 */
final class InfluencePlots {
  private static final Color CLEAN = new Color(31, 119, 180);
  private static final Color FLIPPED = new Color(214, 39, 40);
  private static final Color LOSS = new Color(255, 127, 14);
  private static final Color CHANCE = Color.GRAY;
  private static final int BINS = 40;

  private InfluencePlots() {}

  /**
   * Histograms of {@code log10} self-influence, flipped and clean examples apart, each as the share
   * of its own group per bin (10 % flipped against 90 % clean would otherwise hide the flipped
   * ones). A self-influence of zero is drawn in the lowest bin.
   */
  static XYChart histogram(InfluenceResults r) {
    XYChart chart =
        ChartStyle.chart(
            "Self-influence of flipped and clean training examples",
            "log10 self-influence",
            "share of the group");
    chart.getStyler().setXAxisDecimalPattern("0.0");
    chart.getStyler().setXAxisTickMarkSpacingHint(80);
    double[] logs = new double[r.selfInfluence().length];
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < logs.length; i++) {
      double s = r.selfInfluence()[i];
      logs[i] = s > 0 ? Math.log10(s) : Double.NEGATIVE_INFINITY;
      if (Double.isFinite(logs[i])) {
        lo = Math.min(lo, logs[i]);
        hi = Math.max(hi, logs[i]);
      }
    }
    if (!(hi >= lo)) {
      ChartStyle.placeholder(chart, "no positive self-influence to draw");
      return chart;
    }
    if (hi == lo) {
      hi = lo + 1;
    }
    double width = (hi - lo) / BINS;
    boolean any = false;
    for (boolean group : new boolean[] {false, true}) {
      double[] counts = new double[BINS];
      int members = 0;
      for (int i = 0; i < logs.length; i++) {
        if (r.flipped()[i] != group) {
          continue;
        }
        int bin = Double.isFinite(logs[i]) ? (int) ((logs[i] - lo) / width) : 0;
        counts[Math.min(Math.max(bin, 0), BINS - 1)]++;
        members++;
      }
      if (members == 0) {
        continue;
      }
      // A step outline, so that the two groups overlap legibly.
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      x.add(lo);
      y.add(0.0);
      for (int b = 0; b < BINS; b++) {
        x.add(lo + b * width);
        y.add(counts[b] / members);
        x.add(lo + (b + 1) * width);
        y.add(counts[b] / members);
      }
      x.add(hi);
      y.add(0.0);
      String name =
          String.format(
              Locale.ROOT, "%s (%d examples)", group ? "flipped labels" : "clean labels", members);
      XYSeries s = chart.addSeries(name, x, y);
      ChartStyle.style(s, group ? FLIPPED : CLEAN, ChartStyle.SOLID);
      any = true;
    }
    if (!any) {
      ChartStyle.placeholder(chart, "no training example");
    }
    return chart;
  }

  /**
   * The share of flipped labels found against the share of the training set inspected, from the
   * highest score down, by self-influence and by final loss, with each ranking's ROC AUC in the
   * legend, and chance (the diagonal).
   */
  static XYChart detection(InfluenceResults r) {
    XYChart chart =
        ChartStyle.chart(
            "Finding the flipped labels",
            "share of the training set inspected",
            "share of the flipped labels found");
    // Shares on [0, 1]. XChart 4.0.3 places this panel's ticks at steps such as 0.03 and 0.034
    // whatever the spacing hints, so the labels carry the digits a tick needs: a "0.0" pattern
    // rounded 0.06 to "0.1" and drew every curve about 5 % off its labels.
    chart.getStyler().setXAxisDecimalPattern("0.0##");
    chart.getStyler().setYAxisDecimalPattern("0.0##");
    chart.getStyler().setXAxisTickMarkSpacingHint(80);
    chart.getStyler().setYAxisTickMarkSpacingHint(40);
    chart.getStyler().setXAxisMin(0.0).setXAxisMax(1.0).setYAxisMin(0.0).setYAxisMax(1.0);
    if (r.flippedCount() == 0) {
      ChartStyle.placeholder(chart, "no label flipped (--flip-labels 0)");
      return chart;
    }
    int n = r.selfInfluence().length;
    double[] x = new double[n + 1];
    for (int k = 0; k <= n; k++) {
      x[k] = k / (double) n;
    }
    XYSeries si =
        chart.addSeries(
            "by self-influence (AUC " + auc(r.aucSelfInfluence()) + ")",
            x,
            r.foundBySelfInfluence());
    ChartStyle.style(si, FLIPPED, ChartStyle.SOLID);
    XYSeries loss =
        chart.addSeries("by final loss (AUC " + auc(r.aucLoss()) + ")", x, r.foundByLoss());
    ChartStyle.style(loss, LOSS, ChartStyle.DASHED);
    XYSeries chance = chart.addSeries("chance", new double[] {0, 1}, new double[] {0, 1});
    ChartStyle.style(chance, CHANCE, new BasicStroke(1f));
    return chart;
  }

  /** An AUC as the legend and the report print it. */
  static String auc(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.3f", value) : "n/a";
  }
}
