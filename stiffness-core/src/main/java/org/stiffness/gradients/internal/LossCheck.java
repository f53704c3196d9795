package org.stiffness.gradients.internal;

import ai.djl.ndarray.NDArray;
import org.stiffness.gradients.Examples;

/** Turns a non-finite per-example loss into an error that names the example. */
final class LossCheck {
  private LossCheck() {}

  static void requireFinite(NDArray losses, Examples batch) {
    if (losses.getShape().dimension() != 1 || losses.getShape().get(0) != batch.size()) {
      throw new IllegalArgumentException(
          "the loss returned shape "
              + losses.getShape()
              + " for "
              + batch.size()
              + " examples; a per-example loss must return (B)");
    }
    float[] values = losses.toFloatArray();
    for (int i = 0; i < values.length; i++) {
      if (!Float.isFinite(values[i])) {
        throw new IllegalArgumentException(
            "loss of example id "
                + batch.id(i)
                + " in '"
                + batch.name()
                + "' is "
                + values[i]
                + " (check the inputs and parameters for NaN or infinity)");
      }
    }
  }
}
