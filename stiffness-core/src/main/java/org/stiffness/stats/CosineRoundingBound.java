package org.stiffness.stats;

/**
 * How far a float32 cosine distance of {@link CosineTileDistances} can lie from its reference, the
 * float of {@link InputDistances#cosine(float[], int, float[], int, int)}'s float64 value: a
 * rigorous bound for any summation order, blocking, split or FMA use inside the matrix product.
 *
 * <p>The derivation, for a pair of float inputs x, y of dimension D, with {@code s = sum x_k y_k}
 * exact, r and c the Java inverse norms ({@link InputDistances#inverseNorms}, float64), {@code t =
 * s r c} and {@code R = clamp(1 - t, 0, 2)}; {@code gamma(n, u) = n u / (1 - n u)} (Higham,
 * Accuracy and Stability of Numerical Algorithms, 2nd ed., Lemma 3.1 and Eq. 3.5):
 *
 * <ol>
 *   <li>Inverse norms. The squares are exact in float64 and non-negative, so their sum is within
 *       {@code gamma(D - 1, 2^-53)} relative; the square root and the division round once each:
 *       {@code r = (1 + theta) / |x|} with {@code |theta| <= rho = gamma(D + 3, 2^-53)}. By
 *       Cauchy-Schwarz {@code sum |x_k y_k| r c <= (1 + rho)^2}, so {@code |t| <= (1 + rho)^2}.
 *   <li>Normalised operands, made in Java: {@code xh_k = (float) (x_k r)}, a float64 product then a
 *       rounding to float: {@code |xh_k - x_k r| <= v |x_k r|}, {@code v = 2^-24 + 2^-52} (plus
 *       {@code 2^-150} when the float is subnormal, counted in step 4). Hence {@code |sum xh_k yh_k
 *       - t| <= ((1 + v)^2 - 1)(1 + rho)^2} and {@code sum |xh_k yh_k| <= K = (1 + v)^2 (1 +
 *       rho)^2}.
 *   <li>The product. The engine may first round its operands (TF32: mantissas cut to 10 bits,
 *       relative error {@code w}), then sums the D products in any order: every term passes through
 *       at most D roundings, so {@code |fl(sum a_k b_k) - sum a_k b_k| <= gamma(D, u) sum |a_k
 *       b_k|} for every order of evaluation, with or without FMA (an FMA drops the product's
 *       rounding). This holds for a classical product (every BLAS libtorch calls, never a
 *       Strassen-type one). So {@code |chat - sum xh yh| <= ((1 + w)^2 (1 + gamma) - 1) K}.
 *   <li>Underflow. A flush-to-zero engine (GPUs, some BLAS) may add {@code < 2^-126} at each of the
 *       at most 2D roundings and drop operands below {@code 2^-126} (each product term then moves
 *       by {@code < 2^-126 * 2 (1 + v)(1 + rho)} at most); Java's gradual underflow in step 2 moves
 *       a term by {@code <= 2^-149}: together at most {@code 8 D 2^-126}.
 *   <li>{@code d32 = fl32(1 - chat)}: {@code |1 - chat| < 4}, so one rounding moves it by at most
 *       {@code 2^-23}. Clamping to [0, 2] moves nothing away from R (clamping is 1-Lipschitz and R
 *       is clamped): {@code |d32 - R| <= E = (step 2) + (step 3) + (step 4) + 2^-23}.
 *   <li>The reference: its dot product has D exact terms summed in float64 and two products with r
 *       and c, so it is within {@code gamma(D + 1, 2^-53)(1 + rho)^2} of t, and {@code 1 - p}
 *       rounds by at most {@code 3 * 2^-53}; clamped to [0, 2] and rounded to float, by at most
 *       {@code 2^-24} more.
 * </ol>
 *
 * <p>So {@code |d32 - ref| <= E + gamma(D + 1, 2^-53)(1 + rho)^2 + 3 * 2^-53 + 2^-24}. The few
 * float64 operations that evaluate this expression err by far less than {@code 2^-40} relative,
 * which the result is inflated by. For D = 784 and fp32 products it is about {@code 4.70e-5},
 * almost all of it {@code gamma(784, 2^-24)}: the worst case, not the typical error (about {@code
 * 1e-7} on Gaussian inputs).
 */
final class CosineRoundingBound {
  private static final double FP64 = 0x1p-53;
  private static final double FP32 = 0x1p-24;

  private CosineRoundingBound() {}

  /** The bound for IEEE fp32 products (round to nearest): a CPU, or a GPU without TF32. */
  static double fp32(int dim) {
    return of(dim, 0, FP32, dim);
  }

  /**
   * The bound for a GPU told to run fp32 products as TF32 ({@link
   * org.stiffness.gram.Tf32Override}). The operands lose their mantissas below 10 bits: {@code w =
   * 2^-10} covers chopping as well as rounding ({@code 2^-11}). Tensor cores add their products in
   * blocks aligned to the largest term and truncate the bits shifted out (Fasi, Higham, Mikaitis
   * and Pranesh, "Numerical behavior of NVIDIA tensor cores", PeerJ CS 2021): not IEEE addition, so
   * the sum is charged the unit of chopping, {@code 2^-23}, over twice as many roundings as terms.
   * This rests on those measurements, not on a documented standard.
   */
  static double tf32(int dim) {
    return of(dim, 0x1p-10, 2 * FP32, 2L * dim);
  }

  /**
   * @param dim D, the input dimension
   * @param operandUnit w: relative error of the engine's own rounding of its operands (0 if none)
   * @param sumUnit u of the engine's accumulation
   * @param roundings roundings a product term may pass through in the engine's sum
   * @return the bound on {@code |d32 - ref|}; {@code +infinity} when the dimension is too large for
   *     the bound to mean anything ({@code roundings * sumUnit >= 1/2})
   */
  static double of(int dim, double operandUnit, double sumUnit, long roundings) {
    if (roundings * sumUnit >= 0.5) {
      return Double.POSITIVE_INFINITY;
    }
    double rho = gamma(dim + 3L, FP64);
    double norms = (1 + rho) * (1 + rho);
    double v = FP32 + 2 * FP64;
    double k = (1 + v) * (1 + v) * norms;
    double normalised = ((1 + v) * (1 + v) - 1) * norms;
    double w2 = (1 + operandUnit) * (1 + operandUnit);
    double product = (w2 * (1 + gamma(roundings, sumUnit)) - 1) * k;
    double underflow = 8.0 * dim * 0x1p-126;
    double finish = 2 * FP32;
    double reference = gamma(dim + 1L, FP64) * norms + 3 * FP64 + FP32;
    return (normalised + product + underflow + finish + reference) * (1 + 0x1p-40);
  }

  /**
   * How far beyond {@code [0, 2]} the exact cosine distance {@code 1 - t} of the Java inverse norms
   * can lie: {@code |t| <= (1 + rho)^2} (step 1), so at most {@code 3 rho}.
   */
  static double reach(int dim) {
    return 3 * gamma(dim + 3L, FP64) * (1 + 0x1p-40);
  }

  private static double gamma(long n, double u) {
    return n * u / (1 - n * u);
  }
}
