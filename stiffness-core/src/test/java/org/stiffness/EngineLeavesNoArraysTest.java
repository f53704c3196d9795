package org.stiffness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import org.junit.jupiter.api.Test;
import org.stiffness.gradients.Examples;
import org.stiffness.testing.PaperShapedModels;
import org.stiffness.testing.PaperShapedModels.Twin;
import org.stiffness.testing.RandomExamples;

/**
 * An engine is built at every checkpoint; whatever it computes must not stay attached to the
 * model's or the examples' managers, which live for the whole experiment. Counted through DJL's own
 * record of the arrays each manager owns.
 */
class EngineLeavesNoArraysTest {

  @Test
  void buildingEnginesAndMeasuringLeavesTheModelsAndInputsManagersAsTheyWere() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Twin twin = PaperShapedModels.mlp(manager, 12, 9, 7, 4);
      Examples x = RandomExamples.of(manager, "x", twin.exampleShape(), 30, 4, 3, 0).examples();
      // One engine first: what a first use creates once (parameters on the device) is not a leak.
      try (StiffnessEngine engine = StiffnessEngine.builder(twin.block()).build()) {
        engine.gram(x);
      }
      int before = manager.getManagedArrays().size();
      for (int checkpoint = 0; checkpoint < 5; checkpoint++) {
        try (StiffnessEngine engine = StiffnessEngine.builder(twin.block()).build()) {
          engine.gram(x);
        }
      }
      assertEquals(before, manager.getManagedArrays().size(), "arrays left per engine");
    }
  }

  @Test
  void aNonFiniteInputIsNamedAndItsMasksAreFreed() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Twin twin = PaperShapedModels.mlp(manager, 12, 9, 7, 4);
      Examples x = RandomExamples.of(manager, "x", twin.exampleShape(), 6, 4, 3, 0).examples();
      x.inputs().head().set(new NDIndex("4, 2"), Float.NaN);
      int before = manager.getManagedArrays().size();
      try (StiffnessEngine engine = StiffnessEngine.builder(twin.block()).build()) {
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> engine.gram(x));
        assertTrue(e.getMessage().contains("example id 4 (row 4)"), e.getMessage());
      }
      assertEquals(before, manager.getManagedArrays().size(), "the masks were freed");
    }
  }

  @Test
  void aNonFiniteParameterIsCountedAndItsMasksAreFreed() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Twin twin = PaperShapedModels.mlp(manager, 12, 9, 7, 4);
      NDArray weight = twin.block().getParameters().valueAt(0).getArray();
      weight.set(new NDIndex("0, 0"), Float.POSITIVE_INFINITY);
      weight.set(new NDIndex("1, 3"), Float.NaN);
      int before = manager.getManagedArrays().size();
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> StiffnessEngine.builder(twin.block()).build());
      assertTrue(e.getMessage().contains("has 2 NaN or infinite values"), e.getMessage());
      assertEquals(before, manager.getManagedArrays().size(), "the masks were freed");
    }
  }
}
