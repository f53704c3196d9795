package org.stiffness.gram;

/**
 * Precision of the operands of the Gram products. Products are always fp32 products of the
 * (rounded) operands, so the rounding-error bound of {@link #relativeError} holds on every device
 * ({@code org.stiffness.gram.internal.Products} makes the operands and products).
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

  /**
   * Dimensionless factor c of the bound {@code |K_computed - K| <= c * M_i * M_j} (see {@link
   * GramMatrix}) for products whose longest inner sum has n terms: two rounded factors per product
   * contribute {@code 2(2u + u^2)}, each fp32 sum {@code gamma_n = n u / (1 - n u)}.
   *
   * @param n terms of the longest inner sum
   */
  public double relativeError(long n) {
    double u = unitRoundoff;
    double accumulation = n * FP32_UNIT_ROUNDOFF;
    double gamma = accumulation / Math.max(1e-12, 1 - accumulation);
    double perFactor = 2 * u + u * u + gamma;
    return 2 * perFactor + perFactor * perFactor + 4 * FP32_UNIT_ROUNDOFF;
  }
}
