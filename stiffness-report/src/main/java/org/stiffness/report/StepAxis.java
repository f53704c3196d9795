package org.stiffness.report;

import java.util.Locale;
import org.knowm.xchart.XYChart;

/**
 * A symmetric-log ("symlog") training-step axis for XChart, which has none: checkpoints are
 * log-spaced (0, 1, 4, 9, 20, 44, 95, 205), so on a linear axis the early training, where stiffness
 * moves most, is squashed into a corner; a plain log axis cannot show step 0.
 *
 * <p>The data are transformed and the ticks labelled with real steps. The transform is linear up to
 * step 1 and logarithmic beyond (matplotlib's {@code symlog} with {@code linthresh = 1}): {@code
 * position(s) = s} for {@code s <= 1}, {@code 1 + log10(s)} above. Whole positions are then exactly
 * the steps 0, 1, 10, 100, ... and are the only ticks labelled.
 */
final class StepAxis {
  /** The axis title, saying the scale is not linear. */
  static final String TITLE = "step (log scale; 0 at the left)";

  private StepAxis() {}

  /** Position of a training step on the axis. */
  static double position(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("a training step is never negative: " + step);
    }
    return step <= 1 ? step : 1 + Math.log10(step);
  }

  /** The step at an axis position (the inverse of {@link #position}). */
  static double step(double position) {
    return position <= 1 ? position : Math.pow(10, position - 1);
  }

  /**
   * A tick's label: the step at a whole position (0, 1, 10, 100, 1000, 10k, ...), empty between
   * them, where a label would be a fractional step.
   */
  static String label(double position) {
    long k = Math.round(position);
    if (Math.abs(position - k) > 1e-9 || k < 0) {
      return "";
    }
    if (k == 0) {
      return "0";
    }
    long step = Math.round(Math.pow(10, k - 1));
    return step >= 10_000 && step % 1000 == 0
        ? String.format(Locale.ROOT, "%dk", step / 1000)
        : Long.toString(step);
  }

  /** Labels the chart's x axis with real steps and names its scale. */
  static void apply(XYChart chart) {
    chart.setXAxisTitle(TITLE);
    chart.setCustomXAxisTickLabelsFormatter(StepAxis::label);
    // XChart lays ticks out from the axis minimum: a minimum below 0 (the half cap of an error bar
    // at step 0) would put every tick between whole positions, and leave every label empty.
    chart.getStyler().setXAxisMin(0.0).setPlotGridVerticalLinesVisible(true);
  }
}
