package org.stiffness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;

class StepAxisTest {
  @Test
  void positionsAreLinearUpToStepOneAndLogarithmicAbove() {
    // Hand-computed: s for s <= 1, 1 + log10(s) above; log10(205) = 2.311753861...
    assertEquals(0.0, StepAxis.position(0), 0);
    assertEquals(1.0, StepAxis.position(1), 0);
    assertEquals(2.0, StepAxis.position(10), 1e-15);
    assertEquals(3.0, StepAxis.position(100), 1e-15);
    assertEquals(1.6020599913279623, StepAxis.position(4), 1e-15);
    assertEquals(3.311753861055754, StepAxis.position(205), 1e-15);
    // The demo's log-spaced checkpoints are spread out: step 1 sits a decade right of step 0.
    assertEquals(1.0, StepAxis.position(1) - StepAxis.position(0), 0);
    assertThrows(IllegalArgumentException.class, () -> StepAxis.position(-1));
  }

  @Test
  void stepIsTheInverseOfPosition() {
    for (long s : new long[] {0, 1, 2, 9, 44, 95, 205, 100_000}) {
      assertEquals(s, StepAxis.step(StepAxis.position(s)), 1e-9 * Math.max(1, s));
    }
  }

  @Test
  void onlyWholePositionsAreLabelledWithTheirStep() {
    assertEquals("0", StepAxis.label(0));
    assertEquals("1", StepAxis.label(1));
    assertEquals("10", StepAxis.label(2));
    assertEquals("100", StepAxis.label(3.0000000000000004));
    assertEquals("1000", StepAxis.label(4));
    assertEquals("10k", StepAxis.label(5));
    assertEquals("100k", StepAxis.label(6));
    // Between whole positions a label would be a fractional step (10^0.5 = 3.16): none.
    assertEquals("", StepAxis.label(1.5));
    assertEquals("", StepAxis.label(0.5));
    assertEquals("", StepAxis.label(-1));
  }

  /**
   * XChart lays ticks out from the axis minimum; an error bar's cap at step 0 reaches below 0, and
   * a minimum there put every tick between whole positions, so no step was labelled.
   */
  @Test
  void theAxisStartsAtStepZeroSoTicksFallOnWholePositions() {
    XYChart chart = new XYChart(100, 100);
    StepAxis.apply(chart);
    assertEquals(0.0, chart.getStyler().getXAxisMin());
    assertEquals(StepAxis.TITLE, chart.getXAxisTitle());
  }
}
