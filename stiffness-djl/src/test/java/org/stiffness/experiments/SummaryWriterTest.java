package org.stiffness.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.stiffness.stats.CriticalLength;
import org.stiffness.summary.ExperimentSummary.CriticalLengthSummary;

class SummaryWriterTest {

  @Test
  void noCrossingIsWrittenAsNullsWithItsReason() {
    CriticalLengthSummary s =
        SummaryWriter.criticalLength(
            new CriticalLength.NoCrossing(
                CriticalLength.Reason.NON_NEGATIVE_SLOPE, "slope 0.1", 42));
    assertNull(s.value());
    assertNull(s.low());
    assertNull(s.high());
    assertEquals("non_negative_slope: slope 0.1", s.reason());
  }

  @Test
  void theReasonIsSpelledTheSameUnderATurkishDefaultLocale() {
    // Turkish lower-cases I to a dotless i: summary.json must not depend on the machine's locale.
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.forLanguageTag("tr-TR"));
    try {
      CriticalLengthSummary s =
          SummaryWriter.criticalLength(
              new CriticalLength.NoCrossing(
                  CriticalLength.Reason.INTERVAL_UNBOUNDED, "30 of 200 without a crossing", 42));
      assertEquals("interval_unbounded: 30 of 200 without a crossing", s.reason());
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void undefinedMeansAreWrittenAsNull() {
    assertNull(SummaryWriter.finiteOrNull(Double.NaN));
    assertEquals(0.25, SummaryWriter.finiteOrNull(0.25));
  }
}
