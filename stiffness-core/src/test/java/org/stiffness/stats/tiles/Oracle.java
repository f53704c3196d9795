package org.stiffness.stats.tiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.Map;
import org.stiffness.gram.GramMatrix;
import org.stiffness.gram.TilePlan;
import org.stiffness.stats.BinnedStiffness;
import org.stiffness.stats.ClassStiffness;
import org.stiffness.stats.CriticalLength;
import org.stiffness.stats.DistanceProfile;
import org.stiffness.stats.GradientCoherence;
import org.stiffness.stats.InputDistances;
import org.stiffness.stats.PairStiffness;
import org.stiffness.stats.RowStatistics;
import org.stiffness.stats.StiffnessMeasure;
import org.stiffness.stats.TileDistances;

/**
 * The float64 reference: the whole-matrix statistics of {@code org.stiffness.stats} (PairStiffness,
 * ClassStiffness, DistanceProfile, CriticalLength), and the critical-length sums per row as a plain
 * loop over the whole matrices, compared with what the tile reductions give.
 */
public final class Oracle {
  /** Relative tolerance of float64 sums whose only difference is the order of additions. */
  public static final double SUMS = 1e-9;

  private Oracle() {}

  /** Per-row sums of the fitted pairs, straight from the pair matrices (null labels: all pairs). */
  public static RowStatistics rowStatistics(
      PairStiffness pairs,
      InputDistances d,
      int[] rowLabels,
      int[] colLabels,
      CriticalLength.Config c) {
    int rows = pairs.rows();
    double[] sums = new double[rows * RowStatistics.WIDTH];
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < rows; i++) {
      for (int j = 0; j < pairs.cols(); j++) {
        double dist = d.get(i, j);
        boolean within = rowLabels == null || rowLabels[i] == colLabels[j];
        if (!pairs.valid(i, j) || pairs.selfPair(i, j) || !within) {
          continue;
        }
        if (dist < c.windowLo() || dist > c.windowHi()) {
          continue;
        }
        double y = c.measure() == StiffnessMeasure.SIGN ? pairs.sign(i, j) : pairs.cosine(i, j);
        int o = i * RowStatistics.WIDTH;
        sums[o + RowStatistics.N] += 1;
        sums[o + RowStatistics.D] += dist;
        sums[o + RowStatistics.Y] += y;
        sums[o + RowStatistics.DD] += dist * dist;
        sums[o + RowStatistics.DY] += dist * y;
        sums[o + RowStatistics.YY] += y * y;
        min = Math.min(min, dist);
        max = Math.max(max, dist);
      }
    }
    return new RowStatistics(rows, sums, min, max);
  }

  /**
   * Coherence and confusion of X = X straight from the whole matrix, in float64: alpha as the sum
   * of every entry over m times the trace (the diagonal from the squared norms), and the most
   * negative cosine and entry by a scan of every ordered pair (i, j) of two distinct valid examples
   * (both orientations: an engine's matrix need not be symmetric to the last bit), keeping the
   * smallest value and, of equal values, the smallest pair.
   */
  public static GradientCoherence coherence(
      GramMatrix k, PairStiffness pairs, int[] labels, int classes) {
    int m = k.rows();
    double all = 0;
    double trace = 0;
    double[] cellSum = new double[classes];
    double[] classTrace = new double[classes];
    int[] classCount = new int[classes];
    for (int i = 0; i < m; i++) {
      classCount[labels[i]]++;
      trace += k.rowSquaredNorm(i);
      classTrace[labels[i]] += k.rowSquaredNorm(i);
      for (int j = 0; j < m; j++) {
        double kij = i == j ? k.rowSquaredNorm(i) : k.get(i, j);
        all += kij;
        if (labels[i] == labels[j]) {
          cellSum[labels[i]] += kij;
        }
      }
    }
    double[] classAlpha = new double[classes];
    for (int c = 0; c < classes; c++) {
      classAlpha[c] =
          classTrace[c] == 0 ? Double.NaN : cellSum[c] / (classCount[c] * classTrace[c]);
    }
    GradientCoherence.MostNegative cosine = null;
    GradientCoherence.MostNegative inner = null;
    GradientCoherence.MostNegative[] classCosine = new GradientCoherence.MostNegative[classes];
    GradientCoherence.MostNegative[] classInner = new GradientCoherence.MostNegative[classes];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < m; j++) {
        if (i == j || !pairs.valid(i, j) || pairs.selfPair(i, j)) {
          continue;
        }
        int a = Math.min(i, j);
        int b = Math.max(i, j);
        var c = new GradientCoherence.MostNegative(pairs.cosine(i, j), a, b);
        var e = new GradientCoherence.MostNegative(k.get(i, j), a, b);
        cosine = lower(cosine, c);
        inner = lower(inner, e);
        if (labels[i] == labels[j]) {
          classCosine[labels[i]] = lower(classCosine[labels[i]], c);
          classInner[labels[i]] = lower(classInner[labels[i]], e);
        }
      }
    }
    return new GradientCoherence(
        m,
        trace == 0 ? Double.NaN : all / (m * trace),
        classCount,
        classAlpha,
        cosine,
        inner,
        classCosine,
        classInner);
  }

  private static GradientCoherence.MostNegative lower(
      GradientCoherence.MostNegative best, GradientCoherence.MostNegative candidate) {
    if (best == null || candidate.value() < best.value()) {
      return candidate;
    }
    boolean smallerPair =
        candidate.first() < best.first()
            || (candidate.first() == best.first() && candidate.second() < best.second());
    return candidate.value() == best.value() && smallerPair ? candidate : best;
  }

  /**
   * Coherence from tiles an engine computed against its own whole matrix, whose entries may differ
   * from the tiles' in the last bits: alphas within 1e-6, each minimum within {@code 1e-6}
   * (relative, at least 1e-6 of the largest entry magnitude) of the oracle's, at a pair whose
   * oracle value is as close to the oracle's minimum (a near-tie may name another pair).
   */
  public static void assertCoherenceWithinRounding(
      GradientCoherence expected, GradientCoherence actual, GramMatrix k, PairStiffness pairs) {
    assertTrue(actual != null, "a pairing of a set with itself has coherence figures");
    assertEquals(expected.examples(), actual.examples(), "examples");
    assertEquals(expected.alpha(), actual.alpha(), 1e-6 * Math.abs(expected.alpha()), "alpha");
    double largest = 0;
    for (int i = 0; i < k.rows(); i++) {
      largest = Math.max(largest, k.rowSquaredNorm(i));
    }
    double entryTolerance = 1e-6 * largest;
    assertNear(expected.cosine(), actual.cosine(), pairs, null, 1e-6, "most negative cosine");
    assertNear(expected.innerProduct(), actual.innerProduct(), null, k, entryTolerance, "inner");
    for (int c = 0; c < expected.classAlpha().length; c++) {
      assertNear(expected.classCosine()[c], actual.classCosine()[c], pairs, null, 1e-6, "cos " + c);
      assertNear(
          expected.classInnerProduct()[c],
          actual.classInnerProduct()[c],
          null,
          k,
          entryTolerance,
          "inner " + c);
    }
  }

  private static void assertNear(
      GradientCoherence.MostNegative expected,
      GradientCoherence.MostNegative actual,
      PairStiffness cosines,
      GramMatrix entries,
      double tolerance,
      String what) {
    if (expected == null) {
      assertEquals(null, actual, what);
      return;
    }
    assertTrue(actual != null, what + ": expected " + expected);
    assertEquals(expected.value(), actual.value(), tolerance, what + ": value");
    double atPair =
        cosines != null
            ? Math.min(
                cosines.cosine(actual.first(), actual.second()),
                cosines.cosine(actual.second(), actual.first()))
            : Math.min(
                entries.get(actual.first(), actual.second()),
                entries.get(actual.second(), actual.first()));
    assertEquals(expected.value(), atPair, tolerance, what + ": the oracle's value at " + actual);
  }

  /** Alphas within {@link #SUMS}; the minima and their pairs exactly. */
  public static void assertCoherence(GradientCoherence expected, GradientCoherence actual) {
    assertTrue(actual != null, "a pairing of a set with itself has coherence figures");
    assertEquals(expected.examples(), actual.examples(), "examples");
    assertClose(expected.alpha(), actual.alpha(), "alpha");
    assertArrayEquals(expected.classExamples(), actual.classExamples(), "examples per class");
    assertClose(expected.classAlpha(), actual.classAlpha(), "alpha per class");
    assertEquals(expected.cosine(), actual.cosine(), "most negative cosine");
    assertEquals(expected.innerProduct(), actual.innerProduct(), "most negative inner product");
    assertArrayEquals(
        expected.classCosine(), actual.classCosine(), "most negative cosine by class");
    assertArrayEquals(
        expected.classInnerProduct(),
        actual.classInnerProduct(),
        "most negative inner product by class");
  }

  /**
   * The whole distance matrix a plan's reductions saw: each tile's distances as the reductions ask
   * for them (exact at the spec's bin edges and window ends, {@link
   * TileDistances#tile(TilePlan.Tile, NDManager, double[])}), and for X = X the transposes of the
   * mirrored ones (a mirrored tile stands for its transpose with its own values).
   */
  public static InputDistances assembled(StatisticsSpec spec, TilePlan plan, NDManager manager) {
    TileDistances d = spec.distances();
    double[] edges = spec.options().bins().edges();
    double[] critical = Arrays.copyOf(edges, edges.length + 2);
    critical[edges.length] = spec.options().criticalLength().windowLo();
    critical[edges.length + 1] = spec.options().criticalLength().windowHi();
    int rows = plan.rows();
    int cols = plan.cols();
    float[] all = new float[rows * cols];
    for (TilePlan.Tile t : plan.tiles()) {
      float[] v;
      try (NDManager scope = manager.newSubManager()) {
        v = d.tile(t, scope, critical).toFloatArray();
      }
      for (int i = 0; i < t.height(); i++) {
        for (int j = 0; j < t.width(); j++) {
          float x = v[i * t.width() + j];
          all[(t.rowStart() + i) * cols + t.colStart() + j] = x;
          if (plan.symmetric() && t.rowBlock() != t.colBlock()) {
            all[(t.colStart() + j) * cols + t.rowStart() + i] = x;
          }
        }
      }
    }
    return new InputDistances(rows, cols, all);
  }

  /** Everything the reductions give, against the whole-matrix statistics. */
  public static void assertAgrees(
      PairingStatistics s,
      GramMatrix k,
      StatisticsSpec spec,
      InputDistances distances,
      Map<String, int[][]> groupings) {
    assertAgrees(s, k, spec, distances, groupings, true);
  }

  /**
   * {@link #assertAgrees}, for tiles an engine computed apart from its whole matrix {@code k}: the
   * coherence minima within rounding ({@link #assertCoherenceWithinRounding}).
   */
  public static void assertAgreesWithEngine(
      PairingStatistics s,
      GramMatrix k,
      StatisticsSpec spec,
      InputDistances distances,
      Map<String, int[][]> groupings) {
    assertAgrees(s, k, spec, distances, groupings, false);
  }

  private static void assertAgrees(
      PairingStatistics s,
      GramMatrix k,
      StatisticsSpec spec,
      InputDistances distances,
      Map<String, int[][]> groupings,
      boolean sameEntries) {
    PairingSide rows = spec.rows();
    PairingSide cols = spec.cols();
    assertArrayEquals(rows.ids(), k.rowExamples().ids(), "the Gram matrix's row ids");
    assertArrayEquals(cols.ids(), k.colExamples().ids(), "the Gram matrix's column ids");
    PairStiffness pairs = PairStiffness.of(k);
    assertEquals(pairs.consideredPairs(), s.consideredPairs(), "considered pairs");
    assertEquals(pairs.uncertainSignPairs(), s.uncertainSignPairs(), "uncertain signs");
    assertArrayEquals(pairs.zeroNormRows(), s.zeroNormRows(), "zero-norm rows");
    assertArrayEquals(pairs.zeroNormCols(), s.zeroNormCols(), "zero-norm columns");
    if (spec.symmetric()) {
      GradientCoherence expected = coherence(k, pairs, rows.labels(), spec.classes());
      if (sameEntries) {
        assertCoherence(expected, s.coherence());
      } else {
        assertCoherenceWithinRounding(expected, s.coherence(), k, pairs);
      }
    } else {
      assertEquals(null, s.coherence(), "no coherence for a pairing of two sets");
    }
    assertClasses(
        ClassStiffness.compute(pairs, rows.labels(), cols.labels(), spec.classes()),
        s.classes(),
        "classes");
    for (Grouping g : spec.groupings()) {
      int[][] byGroup = groupings.get(g.name());
      assertClasses(
          ClassStiffness.compute(pairs, byGroup[0], byGroup[1], g.groups()),
          s.groupings().get(g.name()),
          g.name());
    }
    if (distances == null) {
      return;
    }
    StatisticsOptions o = spec.options();
    DistanceProfile profile =
        DistanceProfile.compute(pairs, distances, rows.labels(), cols.labels(), o.bins());
    assertBins(profile.withinClass(), s.distanceProfile().withinClass(), "within-class bins");
    assertBins(profile.allPairs(), s.distanceProfile().allPairs(), "all-pairs bins");
    assertEquals(profile.outOfRangePairs(), s.distanceProfile().outOfRangePairs(), "out of range");
    assertRows(
        rowStatistics(pairs, distances, rows.labels(), cols.labels(), o.criticalLength()),
        s.withinClassRows(),
        "within-class rows");
    assertRows(
        rowStatistics(pairs, distances, null, null, o.criticalLength()),
        s.allPairsRows(),
        "all-pairs rows");
    assertXi(
        CriticalLength.estimate(pairs, distances, rows.labels(), cols.labels(), o.criticalLength()),
        s.criticalLength(),
        "xi");
    assertXi(
        CriticalLength.estimateAllPairs(pairs, distances, o.criticalLength()),
        s.criticalLengthAllPairs(),
        "all-pairs xi");
  }

  public static void assertClasses(ClassStiffness expected, ClassStiffness actual, String what) {
    assertArrayEquals(expected.pairCounts(), actual.pairCounts(), what + ": pair counts");
    // Sign sums are integers, so their means are the same divisions.
    assertArrayEquals(
        expected.matrix(StiffnessMeasure.SIGN),
        actual.matrix(StiffnessMeasure.SIGN),
        what + ": sign means");
    assertClose(
        expected.matrix(StiffnessMeasure.COSINE),
        actual.matrix(StiffnessMeasure.COSINE),
        what + ": cosine means");
  }

  public static void assertBins(BinnedStiffness expected, BinnedStiffness actual, String what) {
    assertEquals(expected.binCount(), actual.binCount(), what);
    for (int b = 0; b < expected.binCount(); b++) {
      assertEquals(expected.pairs(b), actual.pairs(b), what + " " + b + ": pairs");
      assertEquals(expected.meanSign(b), actual.meanSign(b), 0.0, what + " " + b + ": sign");
      assertClose(expected.meanCosine(b), actual.meanCosine(b), what + " " + b + ": cosine");
    }
  }

  public static void assertRows(RowStatistics expected, RowStatistics actual, String what) {
    assertEquals(expected.rows(), actual.rows(), what);
    for (int i = 0; i < expected.rows(); i++) {
      assertEquals(expected.pairs(i), actual.pairs(i), what + " row " + i + ": pairs");
      for (int c = 1; c < RowStatistics.WIDTH; c++) {
        double scale = expected.get(i, RowStatistics.N) * 4; // |d|, |y| <= 2: each term's bound
        assertEquals(
            expected.get(i, c), actual.get(i, c), SUMS * Math.max(1, scale), what + " row " + i);
      }
    }
    assertEquals(expected.minDistance(), actual.minDistance(), 0.0, what + ": min distance");
    assertEquals(expected.maxDistance(), actual.maxDistance(), 0.0, what + ": max distance");
  }

  public static void assertXi(
      CriticalLength.Result expected, CriticalLength.Result actual, String what) {
    if (expected instanceof CriticalLength.NoCrossing none) {
      CriticalLength.NoCrossing got = assertInstanceOf(CriticalLength.NoCrossing.class, actual);
      assertEquals(none.reason(), got.reason(), what + ": " + got.detail());
      assertEquals(none.pairs(), got.pairs(), what + ": pairs");
      return;
    }
    CriticalLength.Estimate e = (CriticalLength.Estimate) expected;
    CriticalLength.Estimate a = assertInstanceOf(CriticalLength.Estimate.class, actual, what);
    assertClose(e.xi(), a.xi(), what + ": xi");
    assertClose(e.low(), a.low(), what + ": low");
    assertClose(e.high(), a.high(), what + ": high");
    assertClose(e.slope(), a.slope(), what + ": slope");
    assertEquals(e.pairs(), a.pairs(), what + ": pairs");
    assertEquals(e.examples(), a.examples(), what + ": examples");
    assertEquals(e.minDistance(), a.minDistance(), 0.0, what);
    assertEquals(e.maxDistance(), a.maxDistance(), 0.0, what);
  }

  public static void assertClose(double[] expected, double[] actual, String what) {
    assertEquals(expected.length, actual.length, what);
    for (int i = 0; i < expected.length; i++) {
      assertClose(expected[i], actual[i], what + " [" + i + "]");
    }
  }

  public static void assertClose(double expected, double actual, String what) {
    if (Double.isNaN(expected)) {
      assertTrue(Double.isNaN(actual), what + ": expected NaN, got " + actual);
      return;
    }
    assertEquals(expected, actual, SUMS * Math.abs(expected) + 1e-15, what);
  }
}
