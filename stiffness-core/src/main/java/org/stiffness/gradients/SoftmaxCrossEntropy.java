package org.stiffness.gradients;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/**
 * Softmax cross-entropy on logits {@code (B, classes)} with integer class labels {@code (B)}:
 * {@code L_i = logsumexp(z_i) - z_i[y_i]}, the default loss of the paper's classifiers.
 */
public final class SoftmaxCrossEntropy implements PerExampleLoss {

  @Override
  public NDArray perExample(NDList predictions, NDArray labels) {
    NDArray logits = predictions.head();
    if (logits.getShape().dimension() != 2) {
      throw new IllegalArgumentException(
          "softmax cross-entropy expects logits of shape (B, classes), got " + logits.getShape());
    }
    requireClassLabels(labels, logits.getShape().get(1));
    NDArray logProbabilities = logits.logSoftmax(1);
    NDArray index = labels.toType(DataType.INT64, false).reshape(-1, 1);
    return logProbabilities.gather(index, 1).reshape(-1).neg();
  }

  /** Labels must be whole numbers in [0, classes): anything else would index out of bounds. */
  private static void requireClassLabels(NDArray labels, long classes) {
    float[] values = labels.toType(DataType.FLOAT32, false).toFloatArray();
    for (int i = 0; i < values.length; i++) {
      float label = values[i];
      if (!(label >= 0 && label < classes) || label != Math.rint(label)) {
        throw new IllegalArgumentException(
            "label "
                + label
                + " at row "
                + i
                + " is not a class index in [0, "
                + classes
                + ") for a model with "
                + classes
                + " outputs");
      }
    }
  }

  @Override
  public String toString() {
    return "softmax cross-entropy";
  }
}
