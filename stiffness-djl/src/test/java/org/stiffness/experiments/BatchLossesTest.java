package org.stiffness.experiments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** Losses kept on the device come back at their steps, in order, and leave nothing behind. */
class BatchLossesTest {

  @Test
  void lossesComeBackAtTheirStepsInOrder() {
    int steps = 2 * BatchLosses.READBACK_STEPS + 5;
    float[] expected = new float[steps];
    float[] losses = new float[steps];
    List<Long> order = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager()) {
      int before = manager.getManagedArrays().size();
      try (BatchLosses pending = new BatchLosses(manager)) {
        for (int step = 0; step < steps; step++) {
          expected[step] = 0.5f + step / 7f;
          try (NDManager stepScope = manager.newSubManager()) {
            pending.add(step, stepScope.create(expected[step]));
          }
          if (pending.full()) {
            assertEquals(BatchLosses.READBACK_STEPS, (step + 1) - order.size());
            pending.flush(losses, (s, l) -> order.add(s));
            // Training runs for as long as it likes: a flush must leave nothing behind.
            assertEquals(before, manager.getManagedArrays().size(), "arrays left by a flush");
          }
        }
        assertFalse(pending.full());
        pending.flush(losses, (s, l) -> order.add(s));
      }
      assertArrayEquals(expected, losses);
      for (int k = 0; k < steps; k++) {
        assertEquals(k, order.get(k));
      }
      assertEquals(before, manager.getManagedArrays().size(), "arrays left behind");
    }
  }

  @Test
  void theFirstNonFiniteLossStopsTheReadingThere() {
    float[] losses = new float[10];
    List<Long> read = new ArrayList<>();
    try (NDManager manager = NDManager.newBaseManager();
        BatchLosses pending = new BatchLosses(manager)) {
      for (int step = 0; step < 10; step++) {
        pending.add(step, manager.create(step == 6 ? Float.NaN : step));
      }
      IllegalStateException e =
          Assertions.assertThrows(
              IllegalStateException.class,
              () ->
                  pending.flush(
                      losses,
                      (s, l) -> {
                        if (!Float.isFinite(l)) {
                          throw new IllegalStateException("step " + s);
                        }
                        read.add(s);
                      }));
      assertEquals("step 6", e.getMessage());
      assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L), read);
      assertTrue(Float.isNaN(losses[6]));
    }
  }
}
