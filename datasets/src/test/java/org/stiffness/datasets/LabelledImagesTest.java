package org.stiffness.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A dataset's copies: what they share, what they copy, and what they refuse. */
class LabelledImagesTest {
  private static LabelledImages three() {
    float[] pixels = {1, 2, 3, 4, 5, 6};
    return new LabelledImages(
        "toy", new ImageShape(1, 1, 2), pixels, new int[] {0, 1, 2}, List.of("a", "b", "c"));
  }

  @Test
  void theConstructorCopiesWhatItIsGiven() {
    float[] pixels = {1, 2, 3, 4};
    int[] labels = {0, 1};
    LabelledImages images =
        new LabelledImages("toy", new ImageShape(1, 1, 2), pixels, labels, List.of("a", "b"));
    pixels[0] = 99;
    labels[0] = 1;
    assertEquals(1, images.pixel(0, 0));
    assertEquals(0, images.label(0));
  }

  @Test
  void otherLabelsKeepThePixelsAndTheOriginal() {
    LabelledImages images = three();
    int[] flipped = {2, 1, 0};
    LabelledImages relabelled = images.withLabels(flipped, "toy (labels flipped)");
    flipped[0] = 1; // the new dataset holds its own labels
    assertArrayEquals(new int[] {2, 1, 0}, relabelled.labels());
    assertArrayEquals(new int[] {0, 1, 2}, images.labels());
    assertArrayEquals(images.copyPixels(), relabelled.copyPixels());
    assertEquals("toy (labels flipped)", relabelled.name());
    assertTrue(relabelled.pixels().isReadOnly(), "shared pixels are handed out read-only");
  }

  @Test
  void otherLabelsAreChecked() {
    LabelledImages images = three();
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> images.withLabels(new int[] {0, 3, 1}, "bad"));
    assertTrue(e.getMessage().contains("label out of range at example 1"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> images.withLabels(new int[] {0, 1}, "x"));
  }
}
