package org.stiffness.experiments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.io.DataInputStream;
import java.io.DataOutputStream;

/**
 * DJL's plain SGD (no momentum) at a fixed learning rate: it has no state a resumed run needs (its
 * update count only feeds the learning-rate tracker, which is fixed), so it saves nothing.
 */
final class ResumableSgd implements ResumableOptimizer {
  private final Optimizer sgd;

  ResumableSgd(double learningRate) {
    this.sgd = Optimizer.sgd().setLearningRateTracker(Tracker.fixed((float) learningRate)).build();
  }

  @Override
  public void update(String parameterId, NDArray weight, NDArray gradient) {
    sgd.update(parameterId, weight, gradient);
  }

  @Override
  public void write(DataOutputStream out) {}

  @Override
  public void read(DataInputStream in, NDManager manager) {}
}
