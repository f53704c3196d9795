package org.stiffness.experiments;

import java.util.Objects;

/**
 * Which checkpoint of a learning-rate sweep is measured, and where its files go.
 *
 * @param lr the run's constant learning rate
 * @param step optimiser steps taken before the measurement
 * @param checkpointDir where its matrices go, relative to the experiment directory ({@code
 *     matrices/lr=0.001/step=000120}); its saved checkpoint goes to the same path under {@code
 *     checkpoints/}
 */
public record CheckpointId(double lr, long step, String checkpointDir) {
  /** Requires the directory. */
  public CheckpointId {
    Objects.requireNonNull(checkpointDir, "checkpointDir");
  }
}
