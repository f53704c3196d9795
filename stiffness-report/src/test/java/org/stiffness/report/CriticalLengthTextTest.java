package org.stiffness.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.stiffness.stats.CriticalLength;
import org.stiffness.summary.ExperimentSummary.CriticalLengthSummary;

/**
 * The xi text of the report. The reasons below are written as {@code summary.json} holds them
 * ({@code SummaryWriter.criticalLength}: the reason's name in lower case, a colon, then {@code
 * CriticalLength}'s detail); the first is copied from the demo's summary.
 */
class CriticalLengthTextTest {
  private static String summaryReason(CriticalLength.Reason reason, String detail) {
    return reason.name().toLowerCase(Locale.ROOT) + ": " + detail;
  }

  @Test
  void anEstimateIsItsValueAndIntervalToThreeSignificantDigits() {
    assertEquals(
        "1.38 [1.21, 1.55]",
        CriticalLengthText.of(new CriticalLengthSummary(1.382, 1.2149, 1.5471, null)));
    assertEquals(
        "0.532 [0.0631, 1.00]",
        CriticalLengthText.of(new CriticalLengthSummary(0.53249, 0.063128, 1.0, null)));
    assertEquals(
        "0.900 (no interval)",
        CriticalLengthText.of(new CriticalLengthSummary(0.9, null, null, null)));
  }

  @Test
  void aCrossingBeyondTheLargestDistanceSaysStiffnessStaysPositive() {
    String reason =
        "crossing_outside_range: fitted crossing at d = 2.333 lies outside the observed"
            + " distances [0.03244, 1.474]";
    assertEquals(
        "no crossing: stiffness stays positive over all measured distances (up to 1.47; the"
            + " fitted line would reach 0 at d = 2.33)",
        CriticalLengthText.of(new CriticalLengthSummary(null, null, null, reason)));
  }

  @Test
  void aCrossingBeforeTheSmallestDistanceSaysStiffnessIsAlreadyNegative() {
    String reason =
        summaryReason(
            CriticalLength.Reason.CROSSING_OUTSIDE_RANGE,
            "fitted crossing at d = 0.01234 lies outside the observed distances [0.05000,"
                + " 1.900]");
    assertEquals(
        "no crossing: stiffness is already negative at the smallest measured distance (0.0500;"
            + " the fitted line crosses 0 at d = 0.0123)",
        CriticalLengthText.reason(reason));
  }

  @Test
  void aNonNegativeSlopeSaysStiffnessDoesNotFall() {
    String reason =
        summaryReason(
            CriticalLength.Reason.NON_NEGATIVE_SLOPE,
            "slope = 0.04567 >= 0: stiffness does not decay with distance");
    assertEquals(
        "no crossing: stiffness does not fall with distance (fitted slope 0.0457)",
        CriticalLengthText.reason(reason));
  }

  @Test
  void tooFewPairsSaysNotMeasuredAndHowMany() {
    String reason =
        summaryReason(
            CriticalLength.Reason.TOO_FEW_PAIRS,
            "7 pairs from 3 examples in window [0.0, 0.5]; need >= 10 pairs from >= 2 examples"
                + " at more than one distance");
    assertEquals(
        "not measured: too few pairs to fit (7 in the window, 10 needed)",
        CriticalLengthText.reason(reason));
  }

  @Test
  void anUnboundedIntervalKeepsThePointEstimate() {
    String reason =
        summaryReason(
            CriticalLength.Reason.INTERVAL_UNBOUNDED,
            "point estimate xi = 1.876 but 12 of 200 bootstrap resamples have slope >= 0, so the"
                + " 0.95 interval is unbounded");
    assertEquals(
        "1.88, interval unbounded: 12 of 200 bootstrap resamples do not decay with distance",
        CriticalLengthText.reason(reason));
  }

  @Test
  void anUnknownReasonIsShownWithItsNumbersRounded() {
    assertEquals(
        "something else at d = 2.33 in [0.0324, 1.47]",
        CriticalLengthText.reason("something else at d = 2.333 in [0.03244, 1.474]"));
    assertEquals("no crossing", CriticalLengthText.reason(null));
    assertFalse(CriticalLengthText.of(null).isEmpty());
  }

  @Test
  void threeSignificantDigits() {
    assertEquals("2.33", CriticalLengthText.sig3(2.333));
    assertEquals("0.00631", CriticalLengthText.sig3(0.006313));
    assertEquals("1.00", CriticalLengthText.sig3(1.0));
    assertEquals("205", CriticalLengthText.sig3(205));
    assertEquals("1000", CriticalLengthText.sig3(999.7));
    assertEquals("12300", CriticalLengthText.sig3(12345));
    assertEquals("-0.0457", CriticalLengthText.sig3(-0.04567));
  }
}
