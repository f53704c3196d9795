package org.stiffness.stats;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.types.DataType;

/**
 * What one pair (i, j) contributes to every statistic, defined once (paper, "Stiffness"): the
 * scalar forms are what the whole-matrix classes of {@code org.stiffness.stats} compute per pair;
 * the array forms, next to them, are what {@code org.stiffness.stats.tiles.TileReducer} computes
 * for a whole chunk of a tile at once, element for element the same numbers ({@code PairTermsTest}
 * checks them bitwise).
 *
 * <ul>
 *   <li>A pair whose two examples have the same id is a <em>self-pair</em>, and a pair with an
 *       example of zero gradient (squared norm 0) is <em>invalid</em>: neither enters any
 *       statistic.
 *   <li>Cosine stiffness: {@code K_ij * (1/|g_i|) * (1/|g_j|)} in float64, in that order, clamped
 *       to [-1, 1] (rounding can leave it) and stored as float32.
 *   <li>Sign stiffness: the sign of the fp32 entry {@code K_ij}.
 *   <li>Uncertain sign: {@code |K_ij| <= (relativeError * rowScale_i) * colScale_j}, the entry's
 *       rounding-error bound ({@code GramMatrix.errorBound}).
 *   <li>The distance bin of the float input distance ({@link DistanceBins#indexOf}), and whether
 *       the pair is <em>fitted</em> by the critical length: its distance lies in the window {@code
 *       [lo, hi]} (both ends included).
 *   <li>A fitted pair adds {@code 1, d, y, d^2, d y, y^2} to its row's critical-length sums ({@code
 *       RowStatistics} columns), y its cosine or sign stiffness.
 * </ul>
 */
public final class PairTerms {
  private PairTerms() {}

  /** Whether row example {@code rowId} and column example {@code colId} are the same example. */
  public static boolean selfPair(long rowId, long colId) {
    return rowId == colId;
  }

  /** {@code 1 / |g|} from {@code |g|^2}; 0 for a zero gradient, the mark of an invalid example. */
  public static double inverseNorm(double squaredNorm) {
    return squaredNorm == 0 ? 0 : 1 / Math.sqrt(squaredNorm);
  }

  /** Cosine stiffness of an entry of two examples with these inverse gradient norms. */
  public static float cosine(float k, double rowInverseNorm, double colInverseNorm) {
    double c = k * rowInverseNorm * colInverseNorm;
    return (float) Math.max(-1.0, Math.min(1.0, c));
  }

  /**
   * The first step of {@link #cosine(float, double, double)} for a chunk: {@code K_ij * (1/|g_i|) *
   * (1/|g_j|)} in float64, in that order, not yet clamped; {@code entries} fp32 {@code (n, w)} (a
   * float times a double is the double product, as in Java), the inverse norms float64 {@code (n,
   * 1)} and {@code (1, w)}; float64 {@code (n, w)}.
   */
  public static NDArray scaledEntries(
      NDArray entries, NDArray rowInverseNorms, NDArray colInverseNorms) {
    // The second product in place: one array of (n, w) doubles fewer to allocate and fault in.
    return entries.mul(rowInverseNorms).muli(colInverseNorms);
  }

  /**
   * The second step: the {@link #scaledEntries} clamped to [-1, 1] and stored as float32. Rounding
   * to float before clamping gives the same floats (the clamp bounds are floats, rounding is
   * monotonic), and the float32 clamp is the cheaper pass.
   *
   * @param one fp32 1 and {@code minusOne} fp32 -1, 0-d arrays on the chunk's device
   */
  public static NDArray cosine(NDArray scaledEntries, NDArray one, NDArray minusOne) {
    try (NDArray single = scaledEntries.toType(DataType.FLOAT32, false);
        NDArray high = single.minimum(one)) {
      return high.maximum(minusOne);
    }
  }

  /** Sign stiffness of an entry: -1, 0 or 1. */
  public static int sign(float k) {
    return k > 0 ? 1 : (k < 0 ? -1 : 0);
  }

  /** {@link #sign(float)} of a chunk, fp32. */
  public static NDArray sign(NDArray k) {
    return k.sign();
  }

  /**
   * The row's factor of an entry's rounding-error bound: {@code relativeError * rowScale}; the
   * bound is this times the column's error scale.
   */
  public static double rowBound(double relativeError, double rowErrorScale) {
    return relativeError * rowErrorScale;
  }

  /** Whether an entry's sign lies within its rounding-error bound. */
  public static boolean uncertainSign(float k, double rowBound, double colErrorScale) {
    return Math.abs(k) <= rowBound * colErrorScale;
  }

  /**
   * The rounding-error bounds of a chunk's entries: the row bounds {@code (n, 1)} times the column
   * error scales {@code (1, w)}, float64 (NaN for an invalid example: no comparison with NaN
   * holds); float64 {@code (n, w)}.
   */
  public static NDArray errorBounds(NDArray rowBounds, NDArray colErrorScales) {
    return rowBounds.mul(colErrorScales);
  }

  /**
   * {@link #uncertainSign} of a chunk: {@code absEntries} = {@code |K|} fp32 {@code (n, w)} against
   * the chunk's {@link #errorBounds} (a float compared with a double as in Java: exactly); boolean
   * {@code (n, w)}.
   */
  public static NDArray uncertainSign(NDArray absEntries, NDArray errorBounds) {
    return absEntries.lte(errorBounds);
  }

  /** Whether a pair at input distance {@code d} is fitted by a critical length over [lo, hi]. */
  public static boolean fitted(double d, double lo, double hi) {
    return d >= lo && d <= hi;
  }

  /**
   * {@link #fitted(double, double, double)} of a chunk of float32 distances against float64 window
   * ends {@code lo} and {@code hi} (0-d arrays on the chunk's device); boolean.
   */
  public static NDArray fitted(NDArray distances64, NDArray lo, NDArray hi) {
    try (NDArray above = distances64.gte(lo);
        NDArray below = distances64.lte(hi)) {
      return above.logicalAnd(below);
    }
  }

  /**
   * {@link DistanceBins#indexOf} of a chunk of float32 distances, with {@code count()} for a
   * distance outside the bins; float32 (small integers, exact). A float {@code d} lies at or above
   * a double edge {@code e} exactly when it lies at or above the smallest float at or above {@code
   * e} ({@link #floatAtOrAbove}), so every comparison with the edges is made in float32 against
   * such thresholds, made once per tile. For uniform bins the bin is first guessed by arithmetic
   * ({@code floor((d - lo) * count / (hi - lo))}, right or one off near an edge) and then set by
   * the two thresholds around the guess; for other bins it counts the interior thresholds at or
   * below {@code d}.
   *
   * @param c the bins' thresholds and the constants, on the chunk's device
   */
  public static NDArray binIndex(NDArray distances, DistanceBins bins, BinConstants c) {
    NDArray d = distances;
    NDArray index;
    if (bins.isUniform()) {
      NDArray guess;
      try (NDArray shifted = d.sub(c.lowestEdge());
          NDArray scaled = shifted.mul(c.inverseWidth());
          NDArray floor = scaled.floor();
          NDArray atLeastZero = floor.maximum(c.zero())) {
        guess = atLeastZero.minimum(c.lastBin());
      }
      try (NDArray at = guess.toType(DataType.INT64, false);
          NDArray lower = c.lowerEdges().take(at);
          NDArray upper = c.upperEdges().take(at);
          NDArray below = d.lt(lower);
          NDArray above = d.gte(upper);
          NDArray down = below.toType(DataType.FLOAT32, false);
          NDArray up = above.toType(DataType.FLOAT32, false);
          NDArray stepped = guess.sub(down)) {
        index = stepped.add(up);
      }
      guess.close();
    } else {
      index = d.zerosLike();
      long nb = bins.count();
      for (long e = 1; e < nb; e++) {
        try (NDArray edge = c.lowerEdges().get(e);
            NDArray atOrAbove = d.gte(edge);
            NDArray one = atOrAbove.toType(DataType.FLOAT32, false)) {
          index = replace(index, index.add(one));
        }
      }
    }
    // Outside [lo, hi]: the extra index count (d == hi is in the last bin: its upper edge is +inf).
    try (NDArray under = d.lt(c.lowestEdge());
        NDArray over = d.gt(c.highestEdge());
        NDArray outside = under.logicalOr(over);
        NDArray inside = outside.logicalNot()) {
      // DJL's where broadcasts the third operand only.
      NDArray result = NDArrays.where(inside, index, c.binCount());
      index.close();
      return result;
    }
  }

  /**
   * The smallest float at or above {@code e}: for a float d, {@code d >= e} iff {@code d >= it}.
   */
  public static float floatAtOrAbove(double e) {
    float f = (float) e;
    return f >= e ? f : Math.nextUp(f);
  }

  /** The largest float at or below {@code e}: for a float d, {@code d > e} iff {@code d > it}. */
  public static float floatAtOrBelow(double e) {
    float f = (float) e;
    return f <= e ? f : Math.nextDown(f);
  }

  /**
   * The constants {@link #binIndex} reads, float32 arrays on the chunk's device (made once per
   * tile): per bin k its lower edge {@link #floatAtOrAbove} and its upper edge likewise (+inf for
   * the last bin, which holds its upper edge).
   *
   * @param lowerEdges {@code (count)} thresholds of the bins' lower edges
   * @param upperEdges {@code (count)} thresholds of their upper edges, the last +inf
   * @param lowestEdge 0-d threshold of the lowest edge (below it: outside)
   * @param highestEdge 0-d {@link #floatAtOrBelow} of the highest edge (above it: outside)
   * @param inverseWidth 0-d {@code count / (hi - lo)} (for the guess only)
   * @param zero 0-d 0
   * @param lastBin 0-d {@code count - 1}
   * @param binCount 0-d {@code count}
   */
  public record BinConstants(
      NDArray lowerEdges,
      NDArray upperEdges,
      NDArray lowestEdge,
      NDArray highestEdge,
      NDArray inverseWidth,
      NDArray zero,
      NDArray lastBin,
      NDArray binCount) {}

  private static NDArray replace(NDArray old, NDArray value) {
    old.close();
    return value;
  }
}
