package org.stiffness.experiments.influence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class LabelFlipTest {

  private static int[] cycling(int n, int classes) {
    int[] labels = new int[n];
    Arrays.setAll(labels, i -> i % classes);
    return labels;
  }

  @Test
  void flipsTheRoundedShareAndOnlyThose() {
    int[] labels = cycling(1000, 10);
    LabelFlip flip = LabelFlip.of(labels, 10, 0.1, 3);
    assertEquals(100, flip.flipped().length);
    boolean[] mask = flip.mask(labels.length);
    int changed = 0;
    for (int i = 0; i < labels.length; i++) {
      if (mask[i]) {
        assertNotEquals(labels[i], flip.labels()[i], "flipped example " + i + " kept its class");
        changed++;
      } else {
        assertEquals(labels[i], flip.labels()[i], "clean example " + i + " changed");
      }
    }
    assertEquals(100, changed);
    assertEquals(3, LabelFlip.of(cycling(25, 5), 5, 0.1, 0).flipped().length); // round(2.5) = 3
  }

  @Test
  void flippedIndicesAreAscendingAndDistinct() {
    int[] flipped = LabelFlip.of(cycling(500, 10), 10, 0.3, 11).flipped();
    for (int k = 1; k < flipped.length; k++) {
      assertTrue(flipped[k] > flipped[k - 1]);
    }
  }

  @Test
  void newClassesAreSpreadOverTheOtherClasses() {
    // 5000 flips of class 0 to one of 9 others: each about 556 times, binomial sd about 22.
    int[] labels = new int[5000];
    LabelFlip flip = LabelFlip.of(labels, 10, 1.0, 5);
    int[] counts = new int[10];
    for (int l : flip.labels()) {
      counts[l]++;
    }
    assertEquals(0, counts[0]);
    for (int c = 1; c < 10; c++) {
      assertTrue(Math.abs(counts[c] - 5000 / 9.0) < 110, "class " + c + ": " + counts[c]);
    }
  }

  @Test
  void theSameSeedFlipsTheSameLabelsAndAnotherSeedOthers() {
    int[] labels = cycling(300, 10);
    LabelFlip a = LabelFlip.of(labels, 10, 0.2, 1);
    LabelFlip b = LabelFlip.of(labels, 10, 0.2, 1);
    assertArrayEquals(a.flipped(), b.flipped());
    assertArrayEquals(a.labels(), b.labels());
    assertTrue(!Arrays.equals(a.flipped(), LabelFlip.of(labels, 10, 0.2, 2).flipped()));
  }

  @Test
  void zeroFlipsNothingAndLeavesTheInputAlone() {
    int[] labels = cycling(50, 3);
    int[] before = labels.clone();
    LabelFlip flip = LabelFlip.of(labels, 3, 0, 0);
    assertEquals(0, flip.flipped().length);
    assertArrayEquals(before, flip.labels());
    LabelFlip.of(labels, 3, 0.5, 0);
    assertArrayEquals(before, labels);
  }

  @Test
  void refusesAFractionOutOfRangeAndASingleClass() {
    assertThrows(IllegalArgumentException.class, () -> LabelFlip.of(new int[4], 2, -0.1, 0));
    assertThrows(IllegalArgumentException.class, () -> LabelFlip.of(new int[4], 2, 1.5, 0));
    assertThrows(IllegalArgumentException.class, () -> LabelFlip.of(new int[4], 2, Double.NaN, 0));
    assertThrows(IllegalArgumentException.class, () -> LabelFlip.of(new int[4], 1, 0.5, 0));
    assertThrows(IllegalArgumentException.class, () -> LabelFlip.of(new int[] {0, 3}, 2, 0.5, 0));
  }
}
