package org.stiffness.datasets.preprocess;

import org.stiffness.datasets.LabelledImages;

/**
 * Scales every input to the unit sphere, x -> x / ||x||_2, as in the paper, so that input distances
 * between examples lie in [0, 2] and the stiffness-vs-distance profile has a fixed range.
 *
 * <p>A zero vector has no direction; rather than silently leaving one example off the sphere (and
 * breaking the invariant that every distance is a chord), projecting it is an error that names the
 * example. After standardisation this can only happen to an example equal to the training mean.
 */
public final class SphereProjection {

  private SphereProjection() {}

  /**
   * @param data (N, D) examples
   * @return the same examples with unit L2 norm each (norms computed in double), named {@code
   *     data.name() + "+sphere"}
   * @throws IllegalArgumentException naming the dataset and example if an example is all zeros
   */
  public static LabelledImages apply(LabelledImages data) {
    int d = data.featureCount();
    float[] x = data.copyPixels();
    for (int i = 0; i < data.size(); i++) {
      double sq = 0;
      for (int f = 0; f < d; f++) {
        double v = x[i * d + f];
        sq += v * v;
      }
      if (sq == 0) {
        throw new IllegalArgumentException(
            data.name()
                + ": example "
                + i
                + " is the zero vector and cannot be projected to the unit sphere");
      }
      double inv = 1 / Math.sqrt(sq);
      for (int f = 0; f < d; f++) {
        x[i * d + f] = (float) (x[i * d + f] * inv);
      }
    }
    return data.withPixels(x, data.name() + "+sphere");
  }
}
