package org.stiffness.gram;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.stiffness.StiffnessEngine;
import org.stiffness.gradients.Examples;
import org.stiffness.testing.PaperShapedModels;
import org.stiffness.testing.PaperShapedModels.Twin;
import org.stiffness.testing.RandomExamples;

/**
 * The default budget is read from the device's free memory once and then kept: PyTorch's caching
 * allocator holds the memory of freed tensors, so the free memory seen after one measurement is
 * less than before it, and re-reading it would make every later engine plan other tiles.
 */
class DefaultBudgetTest {

  @Test
  void everyEngineOfAProcessPlansWithTheFirstReading() {
    AtomicInteger reads = new AtomicInteger();
    // Free memory that halves at every reading, as it looks after each measurement on a GPU.
    MemoryBudget.Defaults defaults =
        new MemoryBudget.Defaults(
            d -> new MemoryBudget.DeviceMemory(1L << 40, 240_000L >> reads.getAndIncrement()));
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Twin twin = PaperShapedModels.mlp(manager, 12, 9, 7, 4);
      Examples x = RandomExamples.of(manager, "x", twin.exampleShape(), 45, 4, 3, 0).examples();
      GramReport first;
      try (StiffnessEngine engine =
          StiffnessEngine.builder(twin.block()).defaultBudgets(defaults).build()) {
        engine.gram(x);
        first = engine.lastReport();
        engine.gram(x);
        assertSamePlan(first, engine.lastReport());
      }
      // A new engine for the next checkpoint, as every measurement makes one.
      try (StiffnessEngine engine =
          StiffnessEngine.builder(twin.block()).defaultBudgets(defaults).build()) {
        engine.gram(x);
        assertSamePlan(first, engine.lastReport());
      }
      assertEquals(1, reads.get(), "free memory read once");
      assertEquals(120_000, first.budgetBytes(), "half the free memory");
      assertTrue(first.tiles() > 1, "the budget should bind: " + first.tiles() + " tile(s)");
    }
  }

  private static void assertSamePlan(GramReport a, GramReport b) {
    assertEquals(a.budgetBytes(), b.budgetBytes(), "budget");
    assertEquals(a.blockSize(), b.blockSize(), "block size");
    assertEquals(a.tiles(), b.tiles(), "tiles");
  }
}
