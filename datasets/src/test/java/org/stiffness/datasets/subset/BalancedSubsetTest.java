package org.stiffness.datasets.subset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.stiffness.datasets.BuiltinDigits;
import org.stiffness.datasets.ImageShape;
import org.stiffness.datasets.LabelledImages;

class BalancedSubsetTest {

  /** Class k has counts[k] examples, interleaved; pixel = index, so selections are traceable. */
  private static LabelledImages withCounts(int... counts) {
    int n = Arrays.stream(counts).sum();
    int[] y = new int[n];
    int[] left = counts.clone();
    int i = 0;
    while (i < n) {
      for (int k = 0; k < counts.length; k++) {
        if (left[k] > 0) {
          left[k]--;
          y[i++] = k;
        }
      }
    }
    float[] x = new float[n];
    for (int j = 0; j < n; j++) {
      x[j] = j;
    }
    List<String> names = IntStream.range(0, counts.length).mapToObj(k -> "c" + k).toList();
    return new LabelledImages("toy", new ImageShape(1, 1, 1), x, y, names);
  }

  private static int[] countsOf(LabelledImages data, int[] indices) {
    int[] c = new int[data.classCount()];
    for (int i : indices) {
      c[data.label(i)]++;
    }
    return c;
  }

  @Test
  void equalClassesGetEqualShares() {
    LabelledImages digits = BuiltinDigits.load();
    int[] idx = BalancedSubset.ofTotal(digits, 500, 42);
    assertEquals(500, idx.length);
    assertArrayEquals(new int[] {50, 50, 50, 50, 50, 50, 50, 50, 50, 50}, countsOf(digits, idx));
  }

  @Test
  void unevenRemainderGoesToTheLowestClasses() {
    LabelledImages data = withCounts(10, 10, 10);
    assertArrayEquals(new int[] {3, 2, 2}, countsOf(data, BalancedSubset.ofTotal(data, 7, 1)));
  }

  @Test
  void smallClassGivesAllItHasAndOthersShareTheRest() {
    LabelledImages data = withCounts(2, 10, 10);
    assertArrayEquals(new int[] {2, 5, 5}, countsOf(data, BalancedSubset.ofTotal(data, 12, 1)));
    assertArrayEquals(new int[] {2, 6, 5}, countsOf(data, BalancedSubset.ofTotal(data, 13, 1)));
    assertArrayEquals(new int[] {2, 10, 10}, countsOf(data, BalancedSubset.ofTotal(data, 22, 1)));
  }

  @Test
  void sameSeedSameSubsetOtherSeedOtherSubset() {
    LabelledImages digits = BuiltinDigits.load();
    int[] a = BalancedSubset.ofTotal(digits, 300, 7);
    int[] b = BalancedSubset.ofTotal(digits, 300, 7);
    int[] c = BalancedSubset.ofTotal(digits, 300, 8);
    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, c));
  }

  @Test
  void indicesAreDistinctAndGroupedByClassInAscendingOrder() {
    LabelledImages digits = BuiltinDigits.load();
    int[] idx = BalancedSubset.ofTotal(digits, 333, 3);
    Set<Integer> seen = new HashSet<>();
    for (int k = 0; k < idx.length; k++) {
      assertTrue(seen.add(idx[k]), "duplicate " + idx[k]);
      if (k > 0) {
        int prev = digits.label(idx[k - 1]);
        int cur = digits.label(idx[k]);
        assertTrue(prev < cur || (prev == cur && idx[k - 1] < idx[k]));
      }
    }
  }

  @Test
  void perClassTakesExactlyThatManyOfEachClass() {
    LabelledImages digits = BuiltinDigits.load();
    int[] idx = BalancedSubset.perClass(digits, 17, 5);
    int[] expected = new int[10];
    Arrays.fill(expected, 17);
    assertArrayEquals(expected, countsOf(digits, idx));
  }

  @Test
  void perClassBeyondTheSmallestClassNamesIt() {
    LabelledImages data = withCounts(5, 3, 5);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> BalancedSubset.perClass(data, 4, 0));
    assertTrue(e.getMessage().contains("class 1 (c1) has 3 examples"), e.getMessage());
  }

  @Test
  void moreThanTheDatasetIsRefused() {
    LabelledImages data = withCounts(2, 2);
    assertThrows(IllegalArgumentException.class, () -> BalancedSubset.ofTotal(data, 5, 0));
  }

  @Test
  void splitGivesTwoDisjointPartsCoveringTheDataset() {
    LabelledImages digits = BuiltinDigits.load();
    int[][] parts = BalancedSubset.split(digits, 1000, 11);
    assertEquals(1000, parts[0].length);
    assertEquals(797, parts[1].length);
    Set<Integer> all = new HashSet<>();
    Arrays.stream(parts[0]).forEach(all::add);
    Arrays.stream(parts[1]).forEach(all::add);
    assertEquals(1797, all.size());
  }

  @Test
  void selectCarriesPixelsAndLabelsOfTheChosenExamples() {
    LabelledImages data = withCounts(4, 4, 4);
    LabelledImages sub = BalancedSubset.select(data, 6, 9);
    int[] idx = BalancedSubset.ofTotal(data, 6, 9);
    for (int k = 0; k < idx.length; k++) {
      assertEquals(idx[k], sub.pixel(k, 0));
      assertEquals(data.label(idx[k]), sub.label(k));
    }
  }

  @Test
  void subsetFollowsTheDocumentedDefinition() {
    // Oracle: the Javadoc's recipe written out by hand. One Random(seed); per class in order,
    // Fisher-Yates over its ascending indices; keep the first quota; sort within the class.
    LabelledImages data = withCounts(4, 3);
    long seed = 123;
    Random random = new Random(seed);
    int[][] members = {{0, 2, 4, 6}, {1, 3, 5}};
    int[] quota = {3, 2};
    int[] expected = new int[5];
    int at = 0;
    for (int k = 0; k < 2; k++) {
      int[] m = members[k];
      for (int j = m.length - 1; j > 0; j--) {
        int r = random.nextInt(j + 1);
        int t = m[j];
        m[j] = m[r];
        m[r] = t;
      }
      int[] chosen = Arrays.copyOf(m, quota[k]);
      Arrays.sort(chosen);
      for (int c : chosen) {
        expected[at++] = c;
      }
    }
    assertArrayEquals(expected, BalancedSubset.ofTotal(data, 5, seed));
  }
}
