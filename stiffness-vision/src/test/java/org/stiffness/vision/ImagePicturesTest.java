package org.stiffness.vision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.stiffness.datasets.ImageShape;
import org.stiffness.datasets.LabelledImages;

class ImagePicturesTest {

  @Test
  void greyPixelsMapToLevelsRowByRowAndClip() {
    // One 2x3 grey image: row 0 = 0, 0.5, 1; row 1 = -1 (clipped to 0), 2 (clipped to 255), 0.2.
    float[] pixels = {0f, 0.5f, 1f, -1f, 2f, 0.2f};
    LabelledImages images =
        new LabelledImages("t", new ImageShape(1, 2, 3), pixels, new int[] {0}, List.of("a"));
    BufferedImage img = ImagePictures.of(images).apply(0);
    assertEquals(3, img.getWidth());
    assertEquals(2, img.getHeight());
    int[] expected = {0, 128, 255, 0, 255, 51};
    for (int k = 0; k < 6; k++) {
      assertEquals(expected[k], img.getRaster().getSample(k % 3, k / 3, 0), "pixel " + k);
    }
  }

  @Test
  void threeChannelsArePlanesOfRedGreenBlue() {
    // One 1x2 image: red plane 1, 0; green 0, 1; blue 0, 0.4.
    float[] pixels = {1f, 0f, 0f, 1f, 0f, 0.4f};
    LabelledImages images =
        new LabelledImages("t", new ImageShape(3, 1, 2), pixels, new int[] {0}, List.of("a"));
    BufferedImage img = ImagePictures.of(images).apply(0);
    assertEquals(0xFF0000, img.getRGB(0, 0) & 0xFFFFFF);
    assertEquals(0x00FF66, img.getRGB(1, 0) & 0xFFFFFF);
  }

  @Test
  void refusesOtherChannelCounts() {
    LabelledImages images =
        new LabelledImages(
            "t", new ImageShape(2, 1, 1), new float[] {0, 0}, new int[] {0}, List.of("a"));
    assertThrows(IllegalArgumentException.class, () -> ImagePictures.of(images));
  }
}
