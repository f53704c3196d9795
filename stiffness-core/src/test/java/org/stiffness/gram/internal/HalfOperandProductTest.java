package org.stiffness.gram.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * Operands stored in fp16 (as on a GPU) are multiplied as fp32 numbers: the product is the fp32
 * product of the same values, never a half-precision product rounded to fp16, so the fp32
 * rounding-error bound applies. Checked against a float64 sum of the exact fp16 values.
 */
class HalfOperandProductTest {
  private static final int ROWS = 5;
  private static final int COLS = 4;
  private static final int INNER = 3000;

  /** Unit roundoff of fp32 arithmetic, 2^-24. */
  private static final double FP32_UNIT_ROUNDOFF = Math.scalb(1.0, -24);

  @Test
  void halfOperandsGiveAnFp32ProductWithinTheFp32Bound() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Random random = new Random(7);
      float[] x = halfValues(random, ROWS * INNER);
      float[] y = halfValues(random, COLS * INNER);
      NDArray xHalf = manager.create(x, new Shape(ROWS, INNER)).toType(DataType.FLOAT16, false);
      NDArray yHalf = manager.create(y, new Shape(COLS, INNER)).toType(DataType.FLOAT16, false);

      NDArray product = Products.product(xHalf, yHalf);
      assertEquals(DataType.FLOAT32, product.getDataType());
      float[] computed = product.toFloatArray();
      // The same numbers as fp32 arrays, multiplied by the same BLAS call: bitwise the same.
      float[] fp32 =
          manager
              .create(x, new Shape(ROWS, INNER))
              .matMul(manager.create(y, new Shape(COLS, INNER)).transpose())
              .toFloatArray();
      Assertions.assertArrayEquals(fp32, computed);
      // gamma_n of fp32 accumulation times sum_k |x_k y_k|: the bound relativeError is built on.
      double gamma = INNER * FP32_UNIT_ROUNDOFF / (1 - INNER * FP32_UNIT_ROUNDOFF);
      for (int i = 0; i < ROWS; i++) {
        for (int j = 0; j < COLS; j++) {
          double exact = 0;
          double absolute = 0;
          for (int k = 0; k < INNER; k++) {
            exact += (double) x[i * INNER + k] * y[j * INNER + k];
            absolute += Math.abs((double) x[i * INNER + k] * y[j * INNER + k]);
          }
          // An fp16-rounded output alone would be off by up to 2^-11 |K|, far beyond this.
          assertEquals(exact, computed[i * COLS + j], gamma * absolute, "entry " + i + "," + j);
        }
      }
      assertEquals(2L * 2 * ROWS * INNER, Products.conversionBytes(xHalf));
      assertEquals(0, Products.conversionBytes(product));
    }
  }

  /** Values that fp16 holds exactly (so the oracle sees the very numbers the product does). */
  private static float[] halfValues(Random random, int n) {
    float[] values = new float[n];
    for (int k = 0; k < n; k++) {
      values[k] = Math.round(Math.max(-4, Math.min(3.99, random.nextGaussian())) * 256) / 256f;
    }
    return values;
  }
}
