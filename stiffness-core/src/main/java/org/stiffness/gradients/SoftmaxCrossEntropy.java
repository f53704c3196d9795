package org.stiffness.gradients;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;

/**
 * Softmax cross-entropy on logits {@code (B, classes)} with integer class labels {@code (B)}:
 * {@code L_i = logsumexp(z_i) - z_i[y_i]}, the default loss of the paper's classifiers.
 *
 * <p>Its gradient {@code dL_i/dz_i = p_i - onehot(y_i)}, {@code p_i = softmax(z_i)}, is prescribed
 * rather than left to autograd ({@link PrescribedGradient}): autograd forms {@code p_y - 1} in
 * fp32, which cancels to an absolute error of about {@code 2^-24}, a relative error of {@code 2^-24
 * / L} in the per-example gradient (the label's component is wholly lost below {@code L = 6e-8}).
 * Here {@code 1 - p_y} is the sum of the other probabilities, each accurate to fp32's relative
 * precision, so per-example gradients keep it at every loss until the probabilities underflow
 * (margins beyond about 87 nats).
 */
public final class SoftmaxCrossEntropy implements PerExampleLoss {
  private final boolean labelsChecked;

  /** The loss, checking every batch's labels (one copy of them to the host per call). */
  public SoftmaxCrossEntropy() {
    this(false);
  }

  private SoftmaxCrossEntropy(boolean labelsChecked) {
    this.labelsChecked = labelsChecked;
  }

  /**
   * The loss for callers that check their labels on the host ({@link #requireClassLabels(int[],
   * long)}) before they become arrays: a training step then never waits for the device to read its
   * labels back. Labels outside {@code [0, classes)} are not detected here.
   */
  public static SoftmaxCrossEntropy ofCheckedLabels() {
    return new SoftmaxCrossEntropy(true);
  }

  @Override
  public NDArray perExample(NDList predictions, NDArray labels) {
    NDArray logits = predictions.head();
    if (logits.getShape().dimension() != 2) {
      throw new IllegalArgumentException(
          "softmax cross-entropy expects logits of shape (B, classes), got " + logits.getShape());
    }
    int classes = Math.toIntExact(logits.getShape().get(1));
    requireClassLabels(labels, classes);
    // The value needs no graph: its gradient is prescribed below.
    NDArray logProbabilities = logits.stopGradient().logSoftmax(1);
    NDArray index = labels.toType(DataType.INT64, false).reshape(-1, 1);
    NDArray losses = logProbabilities.gather(index, 1).reshape(-1).neg();
    NDArray target = index.reshape(-1).oneHot(classes, logits.getDataType());
    return PrescribedGradient.of(losses, logits, outputGradient(logProbabilities, target));
  }

  /**
   * {@code dL/dz = p - onehot(y)} with {@code 1 - p_y} summed from the other probabilities, shape
   * {@code (B, classes)}.
   */
  private static NDArray outputGradient(NDArray logProbabilities, NDArray target) {
    NDArray p = logProbabilities.exp();
    // p_k off the label; exactly 0 on it (p_y - p_y).
    NDArray others = p.sub(p.mul(target));
    return others.sub(target.mul(others.sum(new int[] {1}, true)));
  }

  /** Labels must be whole numbers in [0, classes): anything else would index out of bounds. */
  private void requireClassLabels(NDArray labels, long classes) {
    if (!labelsChecked) {
      float[] values = labels.toType(DataType.FLOAT32, false).toFloatArray();
      for (int i = 0; i < values.length; i++) {
        requireClassLabel(values[i], i, classes);
      }
    }
  }

  /**
   * Checks labels that are still on the host against a model's number of outputs, with the message
   * {@link #perExample} would give, for callers of {@link #ofCheckedLabels}.
   *
   * @throws IllegalArgumentException naming the first label outside {@code [0, classes)}
   */
  public static void requireClassLabels(int[] labels, long classes) {
    for (int i = 0; i < labels.length; i++) {
      requireClassLabel(labels[i], i, classes);
    }
  }

  private static void requireClassLabel(float label, int row, long classes) {
    if (!(label >= 0 && label < classes) || label != Math.rint(label)) {
      throw new IllegalArgumentException(
          "label "
              + label
              + " at row "
              + row
              + " is not a class index in [0, "
              + classes
              + ") for a model with "
              + classes
              + " outputs");
    }
  }

  @Override
  public String toString() {
    return "softmax cross-entropy";
  }
}
