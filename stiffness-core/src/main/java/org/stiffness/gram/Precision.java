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
  FP32(0.0, Math.scalb(1.0, -24), 1),
  /** fp16 operands (unit roundoff 2^-11), rows scaled to unit norm first to avoid underflow. */
  FP16(Math.scalb(1.0, -11), Math.scalb(1.0, -24), 1),
  /**
   * fp32 operands that a GPU may multiply as TF32: the opt-in for a process where TF32 could be in
   * effect (no {@code NVIDIA_TF32_OVERRIDE=0}, see {@code org.stiffness.gram.Tf32Override}), which
   * refuses {@link #FP32} on a GPU. The bound counts operands cut to 10-bit mantissas ({@code
   * 2^-10}, chopping as well as rounding) and tensor-core sums charged {@code 2^-23} over twice as
   * many roundings as terms (Fasi, Higham, Mikaitis and Pranesh, "Numerical behavior of NVIDIA
   * tensor cores", PeerJ CS 2021; the model of {@code CosineRoundingBound#tf32}). It does not count
   * the error TF32 convolutions leave in the per-example gradients themselves (about {@code 1e-3}
   * relative). On a CPU the products are exact fp32 and only the bound is wider.
   */
  TF32(Math.scalb(1.0, -10), Math.scalb(1.0, -23), 2);

  /** Unit roundoff of fp32 accumulation. */
  static final double FP32_UNIT_ROUNDOFF = Math.scalb(1.0, -24);

  private final double unitRoundoff;
  private final double sumUnit;
  private final int roundingsPerTerm;

  Precision(double unitRoundoff, double sumUnit, int roundingsPerTerm) {
    this.unitRoundoff = unitRoundoff;
    this.sumUnit = sumUnit;
    this.roundingsPerTerm = roundingsPerTerm;
  }

  /**
   * Whether this project rounds (and on a GPU stores) the operands itself before the products: fp16
   * only. TF32's rounding is the GPU's, inside the product.
   */
  public boolean roundsOperands() {
    return this == FP16;
  }

  /** Unit roundoff of the operands (0 when operands are exact fp32 values). */
  public double unitRoundoff() {
    return unitRoundoff;
  }

  /** Parses "fp32" / "fp16" / "tf32" (case-insensitive). */
  public static Precision parse(String text) {
    for (Precision precision : values()) {
      if (precision.name().equalsIgnoreCase(text)) {
        return precision;
      }
    }
    throw new IllegalArgumentException(
        "unknown precision '" + text + "': expected fp32, fp16 or tf32");
  }

  /**
   * Dimensionless factor c of the bound {@code |K_computed - K| <= c * M_i * M_j} (see {@link
   * GramMatrix}) for products whose longest inner sum has n terms: two rounded factors per product
   * contribute {@code 2(2u + u^2)}, each sum {@code gamma = k n s / (1 - k n s)} with s the unit of
   * the accumulation and k its roundings per term (fp32: {@code 2^-24}, 1; TF32: {@code 2^-23}, 2).
   *
   * @param n terms of the longest inner sum
   */
  public double relativeError(long n) {
    double u = unitRoundoff;
    double accumulation = roundingsPerTerm * n * sumUnit;
    double gamma = accumulation / Math.max(1e-12, 1 - accumulation);
    double perFactor = 2 * u + u * u + gamma;
    return 2 * perFactor + perFactor * perFactor + 4 * FP32_UNIT_ROUNDOFF;
  }
}
