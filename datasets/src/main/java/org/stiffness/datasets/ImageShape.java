package org.stiffness.datasets;

/**
 * The shape of one image, channels first: an example is stored row-major as (C, H, W), so pixel (c,
 * y, x) sits at feature index {@code (c * height + y) * width + x}.
 *
 * @param channels C, 1 for greyscale, 3 for RGB
 * @param height H in pixels
 * @param width W in pixels
 */
public record ImageShape(int channels, int height, int width) {

  /**
   * @throws IllegalArgumentException unless every dimension is at least 1
   */
  public ImageShape {
    if (channels <= 0 || height <= 0 || width <= 0) {
      throw new IllegalArgumentException(
          "image shape must be positive, got (" + channels + ", " + height + ", " + width + ")");
    }
  }

  /** Number of features per example, C * H * W. */
  public int features() {
    return Math.multiplyExact(channels, Math.multiplyExact(height, width));
  }

  @Override
  public String toString() {
    return "(" + channels + ", " + height + ", " + width + ")";
  }
}
