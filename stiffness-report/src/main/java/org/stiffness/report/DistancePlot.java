package org.stiffness.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.stiffness.summary.ExperimentSummary.DistanceBin;

/**
 * The panels of the stiffness-vs-distance figure: a bin's mean with a band of one standard error,
 * and the bins' pair counts. A bin of a few pairs has a mean of +1 or -1 by chance (the demo's last
 * all-pairs bin holds 3 pairs), so bins under {@link #MIN_BIN_PAIRS} are left out of the stiffness
 * curves; the count panel shows them, and the minimum, so nothing is hidden.
 */
final class DistancePlot {
  /**
   * Bins with fewer pairs are left out of the stiffness curves: the same minimum as the
   * reproduction's decay claim uses, so the plot shows the bins the claim judges. With 100 pairs
   * one standard error of a mean near 0 is at most 0.1.
   */
  static final long MIN_BIN_PAIRS = 100;

  /** The x axis: the distance the bins are of (docs/paper.md, "Input distance"). */
  static final String X_TITLE = "cosine distance of inputs (1 - cos)";

  /** Band fill: the curve's colour at this alpha (0-255), so overlapping bands stay readable. */
  private static final int BAND_ALPHA = 50;

  private static final Color COUNT_COLOUR = new Color(90, 90, 90);
  private static final Color MINIMUM_COLOUR = new Color(214, 39, 40);

  private DistancePlot() {}

  /**
   * One standard error of a bin's mean stiffness, treating its pairs as independent draws: {@code
   * sqrt((1 - m^2) / (n - 1))} for mean {@code m} over {@code n} pairs; NaN for fewer than 2.
   *
   * <p>Why this needs only the mean: a pair's sign stiffness is +1 or -1, so its sample variance is
   * {@code n / (n - 1) * (1 - m^2)} exactly (an exactly zero dot product, whose sign is 0, only
   * makes it smaller). A cosine lies in [-1, 1], and a variable there has variance at most {@code
   * (1 - m)(1 + m)} (Bhatia-Davis), so for cosine stiffness this is an upper bound: the summary
   * keeps each bin's count and mean, not its spread. Pairs that share an example are not
   * independent, which this does not count.
   */
  static double standardError(double mean, long pairs) {
    if (pairs < 2 || !Double.isFinite(mean)) {
      return Double.NaN;
    }
    return Math.sqrt(Math.max(0, 1 - mean * mean) / (pairs - 1));
  }

  /** Whether a bin is drawn on the stiffness panels: enough pairs and a mean. */
  static boolean shown(DistanceBin b, Function<DistanceBin, Double> mean) {
    Double m = mean.apply(b);
    return b.pairs() >= MIN_BIN_PAIRS && m != null && Double.isFinite(m);
  }

  /** An empty stiffness panel over [-1, 1]. */
  static XYChart stiffnessPanel(String title, String yTitle) {
    XYChart chart = ChartStyle.chart(title, X_TITLE, yTitle);
    chart.getStyler().setYAxisMin(-1.0).setYAxisMax(1.0);
    return chart;
  }

  /**
   * One curve: the means of the bins {@link #shown} at their centres, with markers (a left-out bin
   * is a gap between markers), over a band of one {@link #standardError} either side.
   */
  static void curve(
      XYChart chart,
      String name,
      List<DistanceBin> bins,
      Function<DistanceBin, Double> mean,
      Color colour,
      BasicStroke stroke) {
    if (bins == null) {
      return;
    }
    List<Double> x = new ArrayList<>();
    List<Double> y = new ArrayList<>();
    List<Double> lower = new ArrayList<>();
    List<Double> upper = new ArrayList<>();
    for (DistanceBin b : bins) {
      if (!shown(b, mean)) {
        continue;
      }
      double m = mean.apply(b);
      double se = standardError(m, b.pairs());
      x.add((b.lo() + b.hi()) / 2);
      y.add(m);
      lower.add(m - se);
      upper.add(m + se);
    }
    if (x.isEmpty()) {
      return;
    }
    // The band first, so the line is drawn over it: lower edge left to right, upper edge back.
    List<Double> bx = new ArrayList<>(x);
    List<Double> by = new ArrayList<>(lower);
    for (int k = x.size() - 1; k >= 0; k--) {
      bx.add(x.get(k));
      by.add(upper.get(k));
    }
    XYSeries band = chart.addSeries(name + " band", bx, by);
    band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
    band.setFillColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), BAND_ALPHA));
    band.setLineColor(new Color(0, 0, 0, 0));
    band.setMarker(SeriesMarkers.NONE);
    band.setShowInLegend(false);
    XYSeries s = chart.addSeries(name, x, y);
    ChartStyle.style(s, colour, stroke);
    s.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(colour);
  }

  /** A flat, invisible series where no bin had enough pairs: XChart cannot draw an empty chart. */
  static void placeholderIfEmpty(XYChart chart) {
    if (chart.getSeriesCollection().isEmpty()) {
      XYSeries s =
          chart.addSeries(
              "no bin has " + MIN_BIN_PAIRS + " pairs", new double[] {1}, new double[] {0});
      s.setMarker(SeriesMarkers.NONE);
      s.setLineColor(Color.WHITE);
    }
  }

  /**
   * The count panel: pairs per bin on a log axis, with the minimum as a line. The distances depend
   * on the inputs only, so runs measured on the same examples have the same counts: a profile is
   * drawn once however many runs share it.
   */
  static final class Counts {
    private final XYChart chart;
    private final List<List<Long>> drawn = new ArrayList<>();
    private double occupiedLo = Double.POSITIVE_INFINITY;
    private double occupiedHi = Double.NEGATIVE_INFINITY;

    Counts(String title) {
      chart = ChartStyle.chart(title, X_TITLE, "pairs in the bin (log scale)");
      chart.getStyler().setYAxisLogarithmic(true).setYAxisDecimalPattern("#,##0");
    }

    /** Adds a profile's counts (bins without pairs have no point on a log axis). */
    void add(String name, List<DistanceBin> bins, BasicStroke stroke) {
      if (bins == null) {
        return;
      }
      List<Long> counts = bins.stream().map(DistanceBin::pairs).toList();
      if (drawn.contains(counts)) {
        return;
      }
      List<Double> x = new ArrayList<>();
      List<Double> y = new ArrayList<>();
      for (DistanceBin b : bins) {
        if (b.pairs() > 0) {
          occupiedLo = Math.min(occupiedLo, b.lo());
          occupiedHi = Math.max(occupiedHi, b.hi());
          x.add((b.lo() + b.hi()) / 2);
          y.add((double) b.pairs());
        }
      }
      if (x.isEmpty()) {
        return;
      }
      drawn.add(counts);
      // A second, different profile of the same kind comes from runs on other examples.
      String label = chart.getSeries(name) != null ? name + " (" + drawn.size() + ")" : name;
      XYSeries s = chart.addSeries(label, x, y);
      ChartStyle.style(s, COUNT_COLOUR, stroke);
      s.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(COUNT_COLOUR);
    }

    /** Sets a panel's x axis to the range of the bins that have pairs. */
    void shareRange(XYChart panel) {
      if (occupiedLo < occupiedHi) {
        panel.getStyler().setXAxisMin(occupiedLo).setXAxisMax(occupiedHi);
      }
    }

    /** The panel, with the minimum drawn across the occupied bins. */
    XYChart chart() {
      if (occupiedLo < occupiedHi) {
        XYSeries min =
            chart.addSeries(
                "fewer pairs: left out above (" + MIN_BIN_PAIRS + ")",
                new double[] {occupiedLo, occupiedHi},
                new double[] {MIN_BIN_PAIRS, MIN_BIN_PAIRS});
        ChartStyle.style(min, MINIMUM_COLOUR, new BasicStroke(1.5f));
      } else {
        XYSeries s = chart.addSeries("no distance bins", new double[] {1}, new double[] {1});
        s.setMarker(SeriesMarkers.NONE);
        s.setLineColor(Color.WHITE);
      }
      return chart;
    }
  }
}
