package org.stiffness.stats;

import java.util.Arrays;
import java.util.Objects;

/**
 * Two other readings of the per-example-gradient Gram matrix K of a set with itself, beside
 * stiffness.
 *
 * <ul>
 *   <li><em>Gradient coherence</em> (Chatterjee and Zielinski 2020): {@code alpha = E[g_i . g_j] /
 *       E[g_i . g_i]} with i and j drawn independently from the set's m examples, that is {@code
 *       alpha = sum_ij K_ij / (m trace K)}, the diagonal included. Orthogonal gradients give its
 *       baseline {@code alpha_perp = 1 / m}, identical ones give 1; the paper reports {@code alpha
 *       / alpha_perp = m alpha} ({@link #ratio()}). Per class c the same over the class's m_c
 *       examples. An example with a zero gradient counts in m and adds nothing to either sum.
 *   <li><em>Gradient confusion</em> (Sankararaman et al. 2020): the most negative inner product
 *       {@code K_ij} and the most negative cosine over the pairs of two distinct examples, with the
 *       pair that gives it, over all pairs and within each class. The pairs are those of every
 *       stiffness statistic: self-pairs and examples with a zero gradient are left out. Both
 *       orientations of a pair count, each with its entry as computed (where both K_ij and K_ji
 *       were computed they may differ in the last bit). Of several pairs with the same value, the
 *       one with the smallest first and then second position is reported, so the result does not
 *       depend on how the tiles were shared out; the first position is the smaller.
 * </ul>
 *
 * @param examples m, the examples of the set
 * @param alpha coherence of the whole set; NaN when every gradient is zero
 * @param classExamples m_c per class
 * @param classAlpha coherence of each class's examples; NaN for a class without examples or with
 *     zero gradients only
 * @param cosine the most negative cosine over all pairs, or null without a pair
 * @param innerProduct the most negative inner product over all pairs, or null without a pair
 * @param classCosine per class, its most negative within-class cosine (null entries for classes
 *     without a pair)
 * @param classInnerProduct per class, its most negative within-class inner product
 */
public record GradientCoherence(
    int examples,
    double alpha,
    int[] classExamples,
    double[] classAlpha,
    MostNegative cosine,
    MostNegative innerProduct,
    MostNegative[] classCosine,
    MostNegative[] classInnerProduct) {

  /** Copies the arrays. */
  public GradientCoherence {
    classExamples = classExamples.clone();
    classAlpha = classAlpha.clone();
    classCosine = classCosine.clone();
    classInnerProduct = classInnerProduct.clone();
  }

  /**
   * The smallest value of a pair statistic and the pair that gives it.
   *
   * @param value the value (an fp32 Gram entry or cosine, as a double)
   * @param first position of the first example in the set, the smaller of the two
   * @param second position of the second example
   */
  public record MostNegative(double value, int first, int second) {}

  /** {@code alpha / alpha_perp = m alpha}: 1 for orthogonal gradients, m for identical ones. */
  public double ratio() {
    return alpha * examples;
  }

  /** {@code m_c alpha_c} of class c. */
  public double classRatio(int c) {
    return classAlpha[c] * classExamples[c];
  }

  /** Per class, copies. */
  @Override
  public int[] classExamples() {
    return classExamples.clone();
  }

  /** Per class, copies. */
  @Override
  public double[] classAlpha() {
    return classAlpha.clone();
  }

  /** Per class, copies. */
  @Override
  public MostNegative[] classCosine() {
    return classCosine.clone();
  }

  /** Per class, copies. */
  @Override
  public MostNegative[] classInnerProduct() {
    return classInnerProduct.clone();
  }

  /** Column of {@link #fromSums}' per-example minima: the most negative cosine of any pair. */
  public static final int COSINE = 0;

  /** Column of the per-example minima: the most negative cosine of a within-class pair. */
  public static final int COSINE_WITHIN = 1;

  /** Column of the per-example minima: the most negative inner product of any pair. */
  public static final int INNER_PRODUCT = 2;

  /** Column of the per-example minima: the most negative inner product within class. */
  public static final int INNER_PRODUCT_WITHIN = 3;

  /** Columns of the per-example minima. */
  public static final int MINIMA = 4;

  /**
   * Coherence and confusion from sums over the pairs of a set with itself.
   *
   * @param squaredNorms {@code K_ii} of each example
   * @param labels class of each example, in {@code [0, classes)}
   * @param classes number of classes k
   * @param cellSums {@code (k, k)} row-major: per class cell the sum of {@code K_ij} over its pairs
   *     of two distinct examples (the diagonal comes from {@code squaredNorms})
   * @param minima {@code (m, }{@value #MINIMA}{@code )} row-major: per example i the smallest value
   *     of its pairs (i, j) in each column ({@link #COSINE}, ...), +inf for none
   * @param partners the same shape: the j of each minimum (the smallest j of equal values)
   */
  public static GradientCoherence fromSums(
      double[] squaredNorms,
      int[] labels,
      int classes,
      double[] cellSums,
      double[] minima,
      long[] partners) {
    int m = squaredNorms.length;
    if (labels.length != m
        || cellSums.length != classes * classes
        || minima.length != m * MINIMA
        || partners.length != m * MINIMA) {
      throw new IllegalArgumentException(
          "coherence sums of "
              + m
              + " examples and "
              + classes
              + " classes, got "
              + labels.length
              + " labels, "
              + cellSums.length
              + " cells and "
              + minima.length
              + " minima");
    }
    double trace = 0;
    double[] classTrace = new double[classes];
    int[] classCount = new int[classes];
    for (int i = 0; i < m; i++) {
      trace += squaredNorms[i];
      classTrace[labels[i]] += squaredNorms[i];
      classCount[labels[i]]++;
    }
    double offDiagonal = 0;
    for (double s : cellSums) {
      offDiagonal += s;
    }
    double[] classAlpha = new double[classes];
    for (int c = 0; c < classes; c++) {
      classAlpha[c] = alpha(cellSums[c * classes + c], classTrace[c], classCount[c]);
    }
    MostNegative[] classCosine = new MostNegative[classes];
    MostNegative[] classInner = new MostNegative[classes];
    MostNegative cosine = null;
    MostNegative inner = null;
    for (int i = 0; i < m; i++) {
      int c = labels[i];
      cosine = smaller(cosine, i, minima, partners, COSINE);
      inner = smaller(inner, i, minima, partners, INNER_PRODUCT);
      classCosine[c] = smaller(classCosine[c], i, minima, partners, COSINE_WITHIN);
      classInner[c] = smaller(classInner[c], i, minima, partners, INNER_PRODUCT_WITHIN);
    }
    return new GradientCoherence(
        m,
        alpha(offDiagonal, trace, m),
        classCount,
        classAlpha,
        cosine,
        inner,
        classCosine,
        classInner);
  }

  /** {@code (off-diagonal sum + trace) / (m trace)}; NaN without a nonzero gradient. */
  private static double alpha(double offDiagonal, double trace, int m) {
    return m == 0 || trace == 0 ? Double.NaN : (offDiagonal + trace) / (m * trace);
  }

  /**
   * The smaller of {@code best} and example i's minimum in column q; of equal values the smaller
   * pair, first then second position. (Row i's minimum is the first of its equal values, so its
   * partner gives row i's smallest pair; a pair of one diagonal tile is seen from both its
   * examples, with the entry each orientation's product gave, which may differ in the last bit.)
   */
  private static MostNegative smaller(
      MostNegative best, int i, double[] minima, long[] partners, int q) {
    double v = minima[i * MINIMA + q];
    if (v == Double.POSITIVE_INFINITY) {
      return best;
    }
    int j = Math.toIntExact(partners[i * MINIMA + q]);
    MostNegative candidate = new MostNegative(v, Math.min(i, j), Math.max(i, j));
    return best == null || precedes(candidate, best) ? candidate : best;
  }

  /** Whether {@code a} comes before {@code b}: a smaller value, or the same and a smaller pair. */
  public static boolean precedes(MostNegative a, MostNegative b) {
    if (a.value() != b.value()) {
      return a.value() < b.value();
    }
    return a.first() != b.first() ? a.first() < b.first() : a.second() < b.second();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GradientCoherence g
        && examples == g.examples
        && Double.compare(alpha, g.alpha) == 0
        && Arrays.equals(classExamples, g.classExamples)
        && Arrays.equals(classAlpha, g.classAlpha)
        && Objects.equals(cosine, g.cosine)
        && Objects.equals(innerProduct, g.innerProduct)
        && Arrays.equals(classCosine, g.classCosine)
        && Arrays.equals(classInnerProduct, g.classInnerProduct);
  }

  @Override
  public int hashCode() {
    return Objects.hash(examples, alpha, Arrays.hashCode(classAlpha), cosine);
  }

  @Override
  public String toString() {
    return "GradientCoherence[m = "
        + examples
        + ", alpha = "
        + alpha
        + ", most negative cosine "
        + cosine
        + ", inner product "
        + innerProduct
        + "]";
  }
}
