package org.stiffness.experiments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * The batch losses of training steps, kept on the device and copied to the host together: reading
 * each step's loss back on its own makes a GPU wait for the host at every step.
 */
final class BatchLosses implements AutoCloseable {
  /** Steps read back together (a divergence is noticed at most this many steps late). */
  static final int READBACK_STEPS = 32;

  private final NDManager manager;
  private final NDList pending = new NDList();
  private long firstPendingStep;

  BatchLosses(NDManager parent) {
    this.manager = parent.newSubManager();
  }

  /** Keeps the 0-d mean loss of step {@code step} (0-based), which then belongs to this object. */
  void add(long step, NDArray loss) {
    if (pending.isEmpty()) {
      firstPendingStep = step;
    }
    loss.attach(manager);
    pending.add(loss);
  }

  boolean full() {
    return pending.size() >= READBACK_STEPS;
  }

  /** Reads the pending losses back in one copy, into {@code losses} at their steps. */
  void flush(float[] losses, StepLosses sink) {
    if (pending.isEmpty()) {
      return;
    }
    float[] values;
    try (NDArray stacked = NDArrays.stack(pending)) {
      values = stacked.toFloatArray();
    }
    pending.close();
    pending.clear();
    for (int k = 0; k < values.length; k++) {
      long step = firstPendingStep + k;
      losses[Math.toIntExact(step)] = values[k];
      sink.read(step, values[k]);
    }
  }

  /** Receives each step's loss in step order once read back. */
  @FunctionalInterface
  interface StepLosses {
    void read(long step, float loss);
  }

  @Override
  public void close() {
    manager.close();
  }
}
