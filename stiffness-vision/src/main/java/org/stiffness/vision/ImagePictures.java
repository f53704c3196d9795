package org.stiffness.vision;

import java.awt.image.BufferedImage;
import java.util.function.IntFunction;
import org.stiffness.datasets.ImageShape;
import org.stiffness.datasets.LabelledImages;

/**
 * Examples of a labelled image set as pictures for a report: one channel as grey, three as RGB,
 * pixel values in [0, 1] (the datasets' own scale, before preprocessing) mapped to 0..255 and
 * clipped. Preprocessed inputs (standardised, on the unit sphere) are not meant to be looked at.
 */
public final class ImagePictures {
  private ImagePictures() {}

  /**
   * Example {@code i} of {@code images} as a picture, for each {@code i}.
   *
   * @throws IllegalArgumentException for images of neither 1 nor 3 channels
   */
  public static IntFunction<BufferedImage> of(LabelledImages images) {
    ImageShape s = images.shape();
    if (s.channels() != 1 && s.channels() != 3) {
      throw new IllegalArgumentException(
          images.name() + ": " + s.channels() + " channels cannot be drawn (1 or 3)");
    }
    return i -> picture(images.example(i), s);
  }

  /** One example, {@code (C, H, W)} row-major, as a picture. */
  static BufferedImage picture(float[] pixels, ImageShape s) {
    int h = s.height();
    int w = s.width();
    int plane = h * w;
    BufferedImage img =
        new BufferedImage(
            w, h, s.channels() == 1 ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int at = y * w + x;
        if (s.channels() == 1) {
          img.getRaster().setSample(x, y, 0, level(pixels[at]));
        } else {
          int rgb =
              (level(pixels[at]) << 16)
                  | (level(pixels[plane + at]) << 8)
                  | level(pixels[2 * plane + at]);
          img.setRGB(x, y, rgb);
        }
      }
    }
    return img;
  }

  private static int level(float value) {
    return Math.round(Math.min(1f, Math.max(0f, value)) * 255f);
  }
}
