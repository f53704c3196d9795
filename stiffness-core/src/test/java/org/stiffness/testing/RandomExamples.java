package org.stiffness.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.stiffness.gradients.Examples;

/** Seeded random inputs and labels, held both as DJL arrays and as doubles for the oracle. */
public record RandomExamples(Examples examples, double[][] inputs, int[] labels) {

  /**
   * @param firstId id of the first example (ids are consecutive), to control overlap between sets
   */
  public static RandomExamples of(
      NDManager manager, String name, Shape example, int n, int classes, long seed, long firstId) {
    Random random = new Random(seed);
    int width = Math.toIntExact(example.size());
    float[] flat = new float[n * width];
    double[][] inputs = new double[n][width];
    int[] labels = new int[n];
    float[] labelValues = new float[n];
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < width; k++) {
        float value = (float) random.nextGaussian();
        flat[i * width + k] = value;
        inputs[i][k] = value;
      }
      labels[i] = random.nextInt(classes);
      labelValues[i] = labels[i];
      ids[i] = firstId + i;
    }
    NDArray x = manager.create(flat, new Shape(n).addAll(example));
    NDArray y = manager.create(labelValues);
    return new RandomExamples(Examples.of(name, new NDList(x), y, ids), inputs, labels);
  }
}
