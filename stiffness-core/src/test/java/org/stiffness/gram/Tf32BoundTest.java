package org.stiffness.gram;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Precision#TF32}, the opt-in for a GPU where TF32 could be in effect: allowed there, and
 * its bound covers products of operands cut to TF32's 10-bit mantissas, emulated here in Java and
 * compared with exact float64 Gram entries, where the fp32 bound does not.
 */
class Tf32BoundTest {
  private static final int N = 512;

  /** A float cut to TF32: 10 explicit mantissa bits kept, 13 dropped (chopping). */
  private static double tf32(float x) {
    return Float.intBitsToFloat(Float.floatToIntBits(x) & ~((1 << 13) - 1));
  }

  @Test
  void tf32IsAllowedOnAGpuWhereFp32IsRefused() {
    Map<String, String> tf32Possible = Map.of();
    assertDoesNotThrow(() -> Tf32Override.check(Device.gpu(0), Precision.TF32, tf32Possible));
    assertEquals(Precision.TF32, Precision.parse("tf32"));
    assertFalse(Precision.TF32.roundsOperands(), "the GPU rounds, not the project");
  }

  @Test
  void theTf32BoundCoversTf32ProductsWhereTheFp32BoundDoesNot() {
    Random random = new Random(7);
    float[][] x = new float[8][N];
    for (float[] row : x) {
      for (int k = 0; k < N; k++) {
        row[k] = (float) random.nextGaussian();
      }
    }
    double worstTf32 = 0; // largest |error| / (bound of TF32), must stay <= 1
    double worstFp32 = 0; // the same against the fp32 bound, exceeds 1 on the diagonal
    for (float[] a : x) {
      for (float[] b : x) {
        double exact = 0;
        double cut = 0;
        double na = 0;
        double nb = 0;
        for (int k = 0; k < N; k++) {
          exact += (double) a[k] * b[k];
          cut += tf32(a[k]) * tf32(b[k]);
          na += (double) a[k] * a[k];
          nb += (double) b[k] * b[k];
        }
        double scale = Math.sqrt(na) * Math.sqrt(nb);
        double error = Math.abs(cut - exact);
        worstTf32 = Math.max(worstTf32, error / (Precision.TF32.relativeError(N) * scale));
        worstFp32 = Math.max(worstFp32, error / (Precision.FP32.relativeError(N) * scale));
      }
    }
    assertTrue(worstTf32 <= 1, "TF32 products beyond the TF32 bound: " + worstTf32);
    assertTrue(worstFp32 > 1, "the fp32 bound would have covered TF32 too: " + worstFp32);
  }

  @Test
  void theTf32BoundIsTheHandComputedOne() {
    // n = 1: 2u + u^2 with u = 2^-10, accumulation 2 * 2^-23 / (1 - 2 * 2^-23), then 2p + p^2 +
    // 4 * 2^-24: 3.912692e-3.
    assertEquals(3.912692e-3, Precision.TF32.relativeError(1), 1e-9);
  }
}
