package org.stiffness;

import ai.djl.Device;
import ai.djl.ndarray.*;
import ai.djl.ndarray.types.*;
import ai.djl.nn.*;
import ai.djl.nn.core.Linear;
import org.junit.jupiter.api.Test;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.*;
import org.stiffness.stats.PairStiffness;

class ScratchPerfTest {
  @Test
  void perf() {
    try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
      SequentialBlock net =
          new SequentialBlock()
              .add(Linear.builder().setUnits(500).build())
              .add(Activation::relu)
              .add(Linear.builder().setUnits(300).build())
              .add(Activation::relu)
              .add(Linear.builder().setUnits(100).build())
              .add(Activation::relu)
              .add(Linear.builder().setUnits(10).build());
      net.initialize(m, DataType.FLOAT32, new Shape(1, 784));
      int n = Integer.getInteger("n", 1024);
      NDArray x = m.randomNormal(new Shape(n, 784));
      NDArray y = m.randomInteger(0, 10, new Shape(n), DataType.INT64);
      Examples ex = Examples.of(x, y);
      try (StiffnessEngine e =
          StiffnessEngine.builder(net)
              .options(GramOptions.defaults().withBlockSize(Integer.getInteger("bs", 0)))
              .build()) {
        for (int r = 0; r < 5; r++) {
          long t0 = System.nanoTime();
          GramMatrix k = e.gram(ex);
          long t1 = System.nanoTime();
          PairStiffness p = PairStiffness.compute(k, ex.ids(), ex.ids());
          long t2 = System.nanoTime();
          GramReport rep = e.lastReport();
          System.out.printf(
              "PERF n=%d gram %.3fs (extract %.3f product %.3f) stats %.3fs => %.0f ex/s block %d%n",
              n,
              (t1 - t0) * 1e-9,
              rep.extractionSeconds(),
              rep.productSeconds(),
              (t2 - t1) * 1e-9,
              n / ((t2 - t0) * 1e-9),
              rep.blockSize());
        }
      }
    }
  }
}
