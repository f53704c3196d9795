package org.stiffness.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.datasets.TrainTestSplit;
import org.stiffness.datasets.subset.BalancedSubset;
import org.stiffness.stats.CriticalLength;
import org.stiffness.summary.ExperimentSummary.CriticalLengthSummary;

class StiffnessMeasurementTest {

  @Test
  void valIdsNeverEqualTrainIds(@TempDir Path dir) {
    // Otherwise train-val pairs would be dropped as self-pairs.
    TrainTestSplit digits = Digits.paperSplit();
    try (StiffnessMeasurement m =
        new StiffnessMeasurement(
            BalancedSubset.select(digits.train(), 50, 0),
            BalancedSubset.select(digits.test(), 50, 0),
            10,
            Device.cpu(),
            dir,
            MeasurementSettings.defaults())) {
      Set<Long> ids = new HashSet<>();
      for (long id : m.trainExamples().ids()) {
        ids.add(id);
      }
      for (long id : m.valExamples().ids()) {
        assertTrue(ids.add(id), "val id " + id + " is also a train id");
      }
      assertEquals(100, ids.size());
    }
  }

  @Test
  void noCrossingIsWrittenAsNullsWithItsReason() {
    CriticalLengthSummary s =
        StiffnessMeasurement.criticalLength(
            new CriticalLength.NoCrossing(
                CriticalLength.Reason.NON_NEGATIVE_SLOPE, "slope 0.1", 42));
    assertNull(s.value());
    assertNull(s.low());
    assertNull(s.high());
    assertEquals("non_negative_slope: slope 0.1", s.reason());
  }

  @Test
  void undefinedMeansAreWrittenAsNull() {
    assertNull(StiffnessMeasurement.finiteOrNull(Double.NaN));
    assertEquals(0.25, StiffnessMeasurement.finiteOrNull(0.25));
  }
}
