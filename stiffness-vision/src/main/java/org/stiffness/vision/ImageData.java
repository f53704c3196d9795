package org.stiffness.vision;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;
import org.stiffness.datasets.ImageShape;
import org.stiffness.datasets.LabelledImages;
import org.stiffness.experiments.TrainingData;

/** Labelled images as the training and the measurement feed them: {@code (B, C, H, W)} float32. */
public final class ImageData {
  private ImageData() {}

  /**
   * The images as training and evaluation read them, each batch sliced from the one pixel buffer.
   *
   * @param images the labelled images
   */
  public static TrainingData of(LabelledImages images) {
    return new TrainingData() {
      @Override
      public int size() {
        return images.size();
      }

      @Override
      public int label(int row) {
        return images.label(row);
      }

      @Override
      public NDList inputs(NDManager manager, int[] rows) {
        return new NDList(ImageData.inputs(manager, images, rows));
      }
    };
  }

  /**
   * Images {@code rows} of {@code data} as {@code (B, C, H, W)} float32, owned by {@code manager}.
   *
   * @param manager owns the array
   * @param data the images
   * @param rows which images, in this order
   */
  public static NDArray inputs(NDManager manager, LabelledImages data, int[] rows) {
    int d = data.featureCount();
    float[] out = new float[Math.multiplyExact(rows.length, d)];
    FloatBuffer pixels = data.pixels();
    for (int k = 0; k < rows.length; k++) {
      pixels.get(rows[k] * d, out, k * d, d);
    }
    ImageShape s = data.shape();
    return manager.create(out, new Shape(rows.length, s.channels(), s.height(), s.width()));
  }
}
