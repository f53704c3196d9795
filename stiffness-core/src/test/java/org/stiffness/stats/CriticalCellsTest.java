package org.stiffness.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The cell table against a direct comparison with every critical value, on every float within the
 * bound of one (all of them, not a sample; around 0, whose floats are too many, at every power of
 * two) and on floats outside [0, 2].
 */
class CriticalCellsTest {
  private static final double[] CRITICAL = {0, 0.1, 0.7, 1.0 / 3, 1, 1.3, 2, -5, 7};

  private static boolean[] near(CriticalCells cells, float[] d, NDManager manager) {
    NDArray marks = cells.upload(manager);
    NDArray got = cells.near(manager.create(d), marks);
    boolean[] out = new boolean[d.length];
    byte[] bytes = got.toByteArray();
    for (int k = 0; k < d.length; k++) {
      out[k] = bytes[k] != 0;
    }
    return out;
  }

  @Test
  void everyFloatWithinTheBoundOfACriticalValueOrOutsideZeroToTwoIsNear() {
    for (double bound : new double[] {CosineRoundingBound.fp32(784), 3e-7, 2e-3}) {
      double reach = CosineRoundingBound.reach(784);
      CriticalCells cells = CriticalCells.of(CRITICAL, bound, reach);
      List<Float> must = new ArrayList<>();
      for (double c : CRITICAL) {
        if (c <= 0 || c > 2) { // 0 below: the floats around it are too many to visit
          continue;
        }
        for (float f = (float) (c - bound) - Math.ulp((float) (c - bound));
            f <= c + bound + Math.ulp((float) (c + bound));
            f = Math.nextUp(f)) {
          if (Math.abs(f - c) <= bound && f >= -(bound + reach) && f <= 2 + bound + reach) {
            must.add(f);
          }
        }
      }
      for (double scale = bound; scale > 0x1p-149; scale /= 2) { // both sides of 0
        must.add((float) scale);
        must.add((float) -scale);
      }
      for (float f :
          new float[] {
            0, -Float.MIN_VALUE, Float.MIN_VALUE, (float) -(bound + reach), 2.0000002f
          }) {
        must.add(f);
      }
      float[] d = new float[must.size()];
      for (int k = 0; k < d.length; k++) {
        d[k] = must.get(k);
      }
      try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
        boolean[] got = near(cells, d, manager);
        for (int k = 0; k < d.length; k++) {
          assertTrue(got[k], d[k] + " is within " + bound + " of a critical value, or outside");
        }
      }
    }
  }

  @Test
  void floatsFarFromEveryCriticalValueAreNotNear() {
    double bound = CosineRoundingBound.fp32(784);
    CriticalCells cells = CriticalCells.of(CRITICAL, bound, 0);
    float[] far = {0.05f, 0.4f, 0.5f, 0.9f, 1.15f, 1.5f, 1.999f, (float) (1 + 10 * bound)};
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      boolean[] got = near(cells, far, manager);
      for (int k = 0; k < far.length; k++) {
        assertEquals(false, got[k], far[k] + " is far from every critical value");
      }
    }
  }
}
