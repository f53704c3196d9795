package org.stiffness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import org.junit.jupiter.api.Test;
import org.stiffness.gram.GramMatrix;
import org.stiffness.testing.RandomExamples;
import org.stiffness.testing.ScaleBlock;

/** A trainable layer without a gradient rule sends the model to the batch-of-one loop. */
class FallbackTest {

  @Test
  void unsupportedLayerFallsBackToTheLoopAndProbeOnlyNamesIt() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      SequentialBlock model =
          new SequentialBlock()
              .add(Linear.builder().setUnits(5).build())
              .add(new ScaleBlock())
              .add(Linear.builder().setUnits(3).build());
      model.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
      RandomExamples x = RandomExamples.of(manager, "x", new Shape(4), 9, 3, 1, 0);

      IllegalArgumentException error =
          assertThrows(
              IllegalArgumentException.class,
              () -> StiffnessEngine.builder(model).method(GradientMethod.PROBE).build());
      assertTrue(error.getMessage().contains("02ScaleBlock"), error.getMessage());

      GramMatrix auto;
      try (StiffnessEngine engine = StiffnessEngine.builder(model).build()) {
        assertEquals("generic", engine.method());
        auto = engine.gram(x.examples());
      }
      try (StiffnessEngine engine =
          StiffnessEngine.builder(model).method(GradientMethod.GENERIC).build()) {
        assertArrayEquals(auto.values(), engine.gram(x.examples()).values(), 0f);
      }
    }
  }

  @Test
  void frozenUnsupportedLayerDoesNotForceTheLoop() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      ScaleBlock frozen = new ScaleBlock();
      SequentialBlock model =
          new SequentialBlock()
              .add(Linear.builder().setUnits(5).build())
              .add(frozen)
              .add(Linear.builder().setUnits(3).build());
      model.initialize(manager, DataType.FLOAT32, new Shape(1, 4));
      frozen.freezeParameters(true);
      RandomExamples x = RandomExamples.of(manager, "x", new Shape(4), 9, 3, 2, 0);
      try (StiffnessEngine probe = StiffnessEngine.builder(model).build();
          StiffnessEngine loop =
              StiffnessEngine.builder(model).method(GradientMethod.GENERIC).build()) {
        assertEquals("probe", probe.method());
        float[] fast = probe.gram(x.examples()).values();
        float[] reference = loop.gram(x.examples()).values();
        for (int k = 0; k < fast.length; k++) {
          assertEquals(reference[k], fast[k], 1e-5 * Math.abs(reference[k]) + 1e-7, "entry " + k);
        }
      }
    }
  }
}
