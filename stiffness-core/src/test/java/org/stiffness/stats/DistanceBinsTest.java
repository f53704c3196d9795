package org.stiffness.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DistanceBinsTest {

  @Test
  void defaultBinsAreTwentyHalfOpenBinsOverZeroToTwo() {
    DistanceBins b = DistanceBins.defaults();
    assertEquals(20, b.count());
    assertEquals(0, b.indexOf(0));
    assertEquals(0, b.indexOf(0.0999));
    assertEquals(1, b.indexOf(0.1));
    assertEquals(10, b.indexOf(1.0));
    assertEquals(19, b.indexOf(2.0), "the top edge belongs to the last bin");
    assertEquals(-1, b.indexOf(-1e-9));
    assertEquals(-1, b.indexOf(2.0000001));
    assertEquals(-1, b.indexOf(Double.NaN));
    assertEquals(1.9, b.lo(19), 1e-15);
    assertEquals(2.0, b.hi(19));
  }

  /** The bin whose edges hold d, by comparing with every edge (the definition). */
  private static int byComparison(DistanceBins bins, double d) {
    int expected = -1;
    int last = bins.count() - 1;
    for (int k = 0; k <= last; k++) {
      if (d >= bins.lo(k) && (d < bins.hi(k) || (k == last && d == bins.hi(k)))) {
        expected = k;
      }
    }
    return expected;
  }

  @Test
  void uniformFastPathAgreesWithEdgeComparison() {
    DistanceBins fast = DistanceBins.uniform(7, 0.3, 1.7);
    // The same edges read back (as from summary.json): recognised as uniform.
    DistanceBins readBack = DistanceBins.of(fast.edges());
    // One edge an ulp off: not uniform, binary search.
    double[] e = fast.edges();
    e[3] = Math.nextUp(e[3]);
    DistanceBins nudged = DistanceBins.of(e);
    Random r = new Random(9);
    for (int t = 0; t < 100_000; t++) {
      double d = t < 8 ? fast.edges()[t] : t < 16 ? e[t - 8] : 0.2 + 1.6 * r.nextDouble();
      assertEquals(byComparison(fast, d), fast.indexOf(d), "d = " + d);
      assertEquals(byComparison(fast, d), readBack.indexOf(d), "d = " + d);
      assertEquals(byComparison(nudged, d), nudged.indexOf(d), "d = " + d);
    }
  }

  @Test
  void givenEdgesMustIncreaseStrictly() {
    assertThrows(IllegalArgumentException.class, () -> DistanceBins.of(0, 1, 1));
    assertEquals(1, DistanceBins.of(0, 0.3, 2).indexOf(0.3));
  }
}
