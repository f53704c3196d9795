package org.stiffness.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MeasurementScheduleTest {

  @Test
  void logSpacingOfPowersOfTenIsExact() {
    // (T + 1)^(k / 3) for T = 999 is 1, 10, 100, 1000; minus one gives the steps.
    assertArrayEquals(new long[] {0, 9, 99, 999}, MeasurementSchedule.logSpaced(4).steps(999));
  }

  @Test
  void logSpacedIncludesTheStartAndTheLastStep() {
    for (long total : new long[] {1, 7, 82, 1000, 123_457}) {
      long[] steps = MeasurementSchedule.logSpaced(12).steps(total);
      assertEquals(0, steps[0]);
      assertEquals(total, steps[steps.length - 1]);
    }
  }

  @Test
  void logSpacedStepsAreStrictlyIncreasingAndAsManyAsAsked() {
    for (long total : new long[] {11, 30, 82, 1000, 123_457}) {
      long[] steps = MeasurementSchedule.logSpaced(12).steps(total);
      assertEquals(12, steps.length, "total " + total);
      for (int k = 1; k < steps.length; k++) {
        assertTrue(steps[k] > steps[k - 1], "total " + total + " at " + k);
      }
    }
  }

  @Test
  void logSpacedWithMorePointsThanStepsMeasuresEveryStep() {
    assertArrayEquals(new long[] {0, 1, 2, 3, 4}, MeasurementSchedule.logSpaced(12).steps(4));
    assertArrayEquals(new long[] {0}, MeasurementSchedule.logSpaced(3).steps(0));
  }

  @Test
  void logSpacedIsDeterministic() {
    assertArrayEquals(
        MeasurementSchedule.logSpaced(9).steps(4_321),
        MeasurementSchedule.logSpaced(9).steps(4_321));
  }

  @Test
  void explicitStepsAreSortedAndDeduplicated() {
    assertArrayEquals(new long[] {0, 5, 40}, MeasurementSchedule.explicit(40, 0, 5, 5).steps(40));
  }

  @Test
  void explicitStepAfterTheEndIsRejected() {
    assertThrows(
        IllegalArgumentException.class, () -> MeasurementSchedule.explicit(0, 50).steps(40));
    assertThrows(IllegalArgumentException.class, () -> MeasurementSchedule.explicit(-1));
    assertThrows(IllegalArgumentException.class, () -> MeasurementSchedule.logSpaced(1));
  }
}
