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
    NDArray logProbabilities = logits.logSoftmax(1);
    NDArray index = labels.toType(DataType.INT64, false).reshape(-1, 1);
    return logProbabilities.gather(index, 1).reshape(-1).neg();
  }

  @Override
  public String toString() {
    return "softmax cross-entropy";
  }
}
