package org.stiffness.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.datasets.TrainTestSplit;
import org.stiffness.datasets.subset.BalancedSubset;
import org.stiffness.experiments.MeasurementSettings;
import org.stiffness.experiments.StiffnessMeasurement;

class ImageMeasurementTest {

  @Test
  void valIdsNeverEqualTrainIds(@TempDir Path dir) {
    // Otherwise train-val pairs would be dropped as self-pairs.
    TrainTestSplit digits = Digits.paperSplit();
    try (StiffnessMeasurement m =
        ImageMeasurement.of(
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
}
