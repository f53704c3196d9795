package org.stiffness.gram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import org.junit.jupiter.api.Test;
import org.stiffness.StiffnessEngine;
import org.stiffness.gradients.Examples;

/**
 * The paper's fully connected net at N = 8192 under a 2 GiB budget: its full gradient matrix would
 * be 8192 x 575,310 fp32 = 18.9 GB, the engine plans well under the budget, and entries across tile
 * boundaries equal a separate small computation.
 */
class LargeGramUnderBudgetTest {
  private static final int N = 8192;
  private static final long BUDGET = 2L << 30;

  @Test
  void fullyConnectedNetAt8192ExamplesStaysUnderTwoGibibytes() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      manager.getEngine().setRandomSeed(17);
      SequentialBlock model =
          new SequentialBlock()
              .add(Linear.builder().setUnits(500).build())
              .add(Activation::relu)
              .add(Linear.builder().setUnits(300).build())
              .add(Activation::relu)
              .add(Linear.builder().setUnits(100).build())
              .add(Activation::relu)
              .add(Linear.builder().setUnits(10).build());
      model.initialize(manager, DataType.FLOAT32, new Shape(1, 784));
      NDArray inputs = manager.randomNormal(new Shape(N, 784));
      NDArray labels = manager.randomInteger(0, 10, new Shape(N), DataType.INT64);
      Examples all = Examples.of(inputs, labels);

      GramOptions options = GramOptions.defaults().withMemoryBudget(BUDGET);
      try (StiffnessEngine engine = StiffnessEngine.builder(model).options(options).build()) {
        GramMatrix k = engine.gram(all);
        GramReport report = engine.lastReport();
        System.out.printf(
            "N=%d budget %s: planned device peak %s, block %d, %d tiles, %d passes,"
                + " %.2f s in passes, %.2f s in products%n",
            N,
            MemoryBudget.format(BUDGET),
            MemoryBudget.format(report.plannedPeakBytes()),
            report.blockSize(),
            report.tiles(),
            report.blockExtractions(),
            report.extractionSeconds(),
            report.productSeconds());
        assertTrue(report.plannedPeakBytes() <= BUDGET, "planned " + report.plannedPeakBytes());
        assertTrue(report.tiles() > 1, "the set is tiled");

        // Examples from both ends of the set, recomputed as a small rectangular Gram.
        int[] picks = {0, 1, 2, 4095, 4096, 4097, 8190, 8191};
        NDList pickedInputs = new NDList();
        NDList pickedLabels = new NDList();
        for (int i : picks) {
          pickedInputs.add(inputs.get(new NDIndex("{}:{}", i, i + 1)));
          pickedLabels.add(labels.get(new NDIndex("{}:{}", i, i + 1)));
        }
        Examples few =
            Examples.of(
                "few",
                new NDList(NDArrays.concat(pickedInputs)),
                NDArrays.concat(pickedLabels),
                null);
        GramMatrix small = engine.gram(few);
        for (int a = 0; a < picks.length; a++) {
          for (int b = 0; b < picks.length; b++) {
            float expected = small.get(a, b);
            assertEquals(
                expected,
                k.get(picks[a], picks[b]),
                1e-4 * Math.sqrt(small.rowSquaredNorm(a) * small.colSquaredNorm(b)),
                "entry " + picks[a] + "," + picks[b]);
          }
        }
      }
    }
  }
}
