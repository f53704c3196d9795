package org.stiffness.gram;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * Precision of the operands of the Gram products. Products are always fp32 products of the
 * (rounded) operands, so the rounding-error bound of {@link #relativeError} holds on every device.
 *
 * <p>FP16 operands are rounded to fp16. On a GPU they are also stored in fp16 (half the memory of
 * the blocks a computation keeps) and converted to fp32 one layer at a time for each product; on a
 * CPU they are stored as the fp32 values of the rounded numbers, which skips that conversion. Half-
 * precision products are not used: cuBLAS rounds their output to fp16 and, with PyTorch's default
 * {@code allow_fp16_reduced_precision_reduction}, may add split-K partial sums in fp16, errors that
 * depend on cuBLAS's choice of split and that the sign-uncertainty bound could not cover. BF16 is
 * not offered: DJL 0.36 aborts the JVM on {@code toType(BFLOAT16)} on both the CPU and CUDA
 * engines.
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

  /** {@code x y^T}, an fp32 product, from operands made by {@link #operand}. */
  static NDArray product(NDArray x, NDArray y) {
    return fp32(x).matMul(fp32(y).transpose());
  }

  /** Batched {@code x_b y_b^T}, fp32 products. */
  static NDArray batchProduct(NDArray x, NDArray y) {
    return fp32(x).batchMatMul(fp32(y).transpose(0, 2, 1));
  }

  /** An fp16 operand as the fp32 array of the same numbers (exact: fp32 holds every fp16). */
  private static NDArray fp32(NDArray operand) {
    return operand.getDataType() == DataType.FLOAT32
        ? operand
        : operand.toType(DataType.FLOAT32, false);
  }

  /**
   * Bytes of the fp32 copies {@link #product} makes of an operand stored in fp16: twice its size.
   */
  static long conversionBytes(NDArray operand) {
    return operand.getDataType() == DataType.FLOAT16 ? 2 * LayerOperand.bytesOf(operand) : 0;
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
