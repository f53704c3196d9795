package org.stiffness.gram;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Precision of the operands of the Gram products. Accumulation is always fp32.
 *
 * <p>On a GPU, FP16 operands feed half-precision matrix products (tensor cores accumulate in fp32).
 * On a CPU, operands are rounded to fp16 and multiplied in fp32, which is numerically the same
 * product of fp16 inputs with fp32 accumulation. BF16 is not offered: DJL 0.36 aborts the JVM on
 * {@code toType(BFLOAT16)} on both the CPU and CUDA engines.
 */
public enum Precision {
  /** fp32 operands. */
  FP32(0.0),
  /** fp16 operands (unit roundoff 2^-11), rows scaled to unit norm first to avoid underflow. */
  FP16(Math.scalb(1.0, -11));

  /** Unit roundoff of fp32 accumulation. */
  static final double FP32_UNIT_ROUNDOFF = Math.scalb(1.0, -24);

  private final double unitRoundoff;

  Precision(double unitRoundoff) {
    this.unitRoundoff = unitRoundoff;
  }

  /** Unit roundoff of the operands (0 when operands are exact fp32 values). */
  public double unitRoundoff() {
    return unitRoundoff;
  }

  /** Parses "fp32" / "fp16" (case-insensitive). */
  public static Precision parse(String text) {
    for (Precision precision : values()) {
      if (precision.name().equalsIgnoreCase(text)) {
        return precision;
      }
    }
    throw new IllegalArgumentException("unknown precision '" + text + "': expected fp32 or fp16");
  }

  /** The operand as it enters a product: rounded (and on GPUs stored) at this precision. */
  NDArray operand(NDArray array) {
    if (this == FP32) {
      return array;
    }
    NDArray half = array.toType(DataType.FLOAT16, false);
    return runsNatively(array.getDevice()) ? half : half.toType(DataType.FLOAT32, false);
  }

  /** {@code x y^T} as fp32, from operands made by {@link #operand}. */
  static NDArray product(NDArray x, NDArray y) {
    NDArray product = x.matMul(y.transpose());
    return product.getDataType() == DataType.FLOAT32
        ? product
        : product.toType(DataType.FLOAT32, false);
  }

  /** Batched {@code x_b y_b^T} as fp32. */
  static NDArray batchProduct(NDArray x, NDArray y) {
    NDArray product = x.batchMatMul(y.transpose(0, 2, 1));
    return product.getDataType() == DataType.FLOAT32
        ? product
        : product.toType(DataType.FLOAT32, false);
  }

  private static boolean runsNatively(Device device) {
    return Device.Type.GPU.equals(device.getDeviceType());
  }

  /**
   * Dimensionless factor c of the bound {@code |K_computed - K| <= c * M_i * M_j} (see {@link
   * GramMatrix}) for products whose longest inner sum has n terms: two rounded factors per product
   * contribute {@code 2(2u + u^2)}, each fp32 sum {@code gamma_n = n u / (1 - n u)}.
   */
  double relativeError(long n) {
    double u = unitRoundoff;
    double accumulation = n * FP32_UNIT_ROUNDOFF;
    double gamma = accumulation / Math.max(1e-12, 1 - accumulation);
    double perFactor = 2 * u + u * u + gamma;
    return 2 * perFactor + perFactor * perFactor + 4 * FP32_UNIT_ROUNDOFF;
  }
}
