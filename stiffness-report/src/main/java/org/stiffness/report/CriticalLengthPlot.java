package org.stiffness.report;

import static org.stiffness.report.ChartStyle.DASHED;
import static org.stiffness.report.ChartStyle.SOLID;
import static org.stiffness.report.ChartStyle.chart;
import static org.stiffness.report.ChartStyle.line;
import static org.stiffness.report.ChartStyle.stack;
import static org.stiffness.report.FigureData.lr;
import static org.stiffness.report.FigureData.pairing;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.CriticalLengthSummary;
import org.stiffness.summary.ExperimentSummary.Run;

/**
 * The critical-length figure ({@link Plots#criticalLengthOverTraining}): xi vs training step, one
 * colour per learning rate, within-class pairs solid and all pairs dashed, each point with its
 * bootstrap interval as an asymmetric bar.
 */
final class CriticalLengthPlot {
  private CriticalLengthPlot() {}

  /** The figure of one pairing over every run of {@code data}. */
  static BufferedImage figure(FigureData data, String pairing) {
    String definition = SummaryConfig.xiDefinition(data.summary().config());
    XYChart chart =
        chart(
            "Critical length over training, "
                + pairing
                + (definition == null ? "" : " (" + definition + ")"),
            "step",
            "xi (cosine distance of inputs)");
    StepAxis.apply(chart);
    boolean any = false;
    List<String> neverCrossed = new ArrayList<>();
    for (int i = 0; i < data.runs().size(); i++) {
      Run r = data.runs().get(i);
      Color colour = ChartStyle.runColour(i);
      boolean within =
          xiSeries(
              data,
              chart,
              r,
              "lr " + lr(r.lr()),
              colour,
              SOLID,
              cp -> pairing(cp, pairing).criticalLength());
      if (!within) {
        neverCrossed.add(lr(r.lr()));
      }
      any |= within;
      any |=
          xiSeries(
              data,
              chart,
              r,
              "lr " + lr(r.lr()) + ", all pairs",
              colour,
              DASHED,
              cp -> pairing(cp, pairing).criticalLengthAllPairs());
    }
    if (!any) {
      // An empty chart would throw in XChart; a flat placeholder says so instead.
      ChartStyle.placeholder(chart, "no checkpoint has a crossing");
    } else if (!neverCrossed.isEmpty()) {
      // A missing solid curve says nothing by itself: the legend says why it is missing.
      XYSeries first = chart.getSeriesCollection().iterator().next();
      XYSeries s =
          chart.addSeries(
              "within-class xi not measured\n(no crossing): lr " + String.join(", ", neverCrossed),
              new double[] {first.getXData()[0]},
              new double[] {first.getYData()[0]});
      s.setMarker(SeriesMarkers.NONE);
      s.setLineColor(Color.GRAY);
    }
    return stack(chart);
  }

  /** One xi curve of a run with its interval bars; false when no checkpoint has a crossing. */
  private static boolean xiSeries(
      FigureData data,
      XYChart chart,
      Run r,
      String label,
      Color colour,
      BasicStroke stroke,
      Function<Checkpoint, CriticalLengthSummary> which) {
    FigureData.XiPoints xi = FigureData.xiPoints(r, which);
    int omitted = r.checkpoints().size() - xi.points().x().size();
    String name = label + (omitted > 0 ? " (" + omitted + " without crossing)" : "");
    if (line(chart, name, xi.points(), colour, stroke) == null) {
      return false;
    }
    // XChart's error bars are symmetric; the bootstrap interval is not, so each bar is its own
    // path: low cap, low to high, high cap (caps 1% of the step axis wide).
    double cap = 0.01 * Math.max(1, data.positionRange());
    int k = 0;
    for (double[] b : xi.bars()) {
      double xs = b[0];
      XYSeries bar =
          chart.addSeries(
              name + " interval " + k++,
              new double[] {xs - cap, xs + cap, xs, xs, xs - cap, xs + cap},
              new double[] {b[1], b[1], b[1], b[2], b[2], b[2]});
      ChartStyle.style(bar, colour, new BasicStroke(1.5f));
      bar.setShowInLegend(false);
    }
    return true;
  }
}
