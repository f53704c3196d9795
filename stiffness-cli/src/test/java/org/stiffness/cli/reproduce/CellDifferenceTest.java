package org.stiffness.cli.reproduce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link CellDifference} and {@link ClassCells} against means and standard errors by hand. */
class CellDifferenceTest {
  private static final double NAN = Double.NaN;

  @Test
  void unpairedStandardErrorAddsTheTwoVariancesOfTheMean() {
    // a {0.3, 0.5, 0.7}: mean 0.5, variance 0.04; b {0.1, 0.3}: mean 0.2, variance 0.02.
    // SE = sqrt(0.04 / 3 + 0.02 / 2) = sqrt(0.023333) = 0.152753; margin 0.3 < 2 SE = 0.3055.
    CellDifference d =
        CellDifference.unpaired(new double[] {0.3, 0.5, NAN, 0.7}, new double[] {0.1, 0.3});
    assertEquals(0.3, d.margin(), 1e-12);
    assertEquals(Math.sqrt(0.04 / 3 + 0.01), d.se(), 1e-12);
    assertFalse(d.exceeds());
    assertFalse(d.fallsShort());
    assertEquals("a 0.500 vs b 0.200 (difference +0.300, SE 0.153)", d.describe("a", "b"));
  }

  @Test
  void pairedStandardErrorIsThatOfTheMeanChangeOverCellsFiniteAtBothTimes() {
    // Changes {-0.3, -0.35, -0.35} (the fourth cell is empty before): mean -1/3, variance
    // 0.000833, SE sqrt(0.000833 / 3) = 0.016667: it falls short by far more than 2 SE.
    CellDifference d =
        CellDifference.paired(
            new double[] {0.3, 0.35, 0.45, 0.1}, new double[] {0.6, 0.7, 0.8, NAN});
    assertEquals(-1.0 / 3, d.margin(), 1e-12);
    assertEquals(Math.sqrt(0.0025 / 3 / 3), d.se(), 1e-12);
    assertTrue(d.fallsShort());
    assertEquals(0.3, d.first(), 1e-12);
  }

  @Test
  void oneCellHasNoStandardErrorAndDecidesNothing() {
    CellDifference d = CellDifference.unpaired(new double[] {0.9}, new double[] {0.1, 0.2});
    assertTrue(Double.isNaN(d.se()));
    assertFalse(d.exceeds());
    assertFalse(d.fallsShort());
  }

  @Test
  void cellsSplitIntoDiagonalAndOffDiagonalByGroup() {
    double[][] m = {
      {1, 2, 3},
      {4, 5, NAN},
      {7, 8, 9}
    };
    assertArrayEquals(new double[] {1, 5, 9}, ClassCells.diagonal(m));
    assertArrayEquals(new double[] {2, 3, 4, 7, 8}, ClassCells.offDiagonal(m));
    // Classes 0 and 1 in one group, 2 alone.
    List<Integer> groupOf = List.of(0, 0, 1);
    assertArrayEquals(new double[] {2, 4}, ClassCells.offDiagonal(m, groupOf, true));
    assertArrayEquals(new double[] {3, 7, 8}, ClassCells.offDiagonal(m, groupOf, false));
    assertEquals(3.0, ClassCells.mean(new double[] {2, NAN, 4}));
  }
}
