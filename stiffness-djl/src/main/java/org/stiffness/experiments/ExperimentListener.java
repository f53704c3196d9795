package org.stiffness.experiments;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stiffness.summary.ExperimentSummary.Checkpoint;

/**
 * Progress of a learning-rate sweep ({@link LearningRateSweep}: the vision and the nlp experiment);
 * every method has an empty default. The command line maps it to a progress bar; {@link #logging()}
 * writes log lines.
 */
public interface ExperimentListener {

  /**
   * A run (one learning rate) starts.
   *
   * @param run index of the run, from 0
   * @param runs number of runs
   * @param lr its learning rate
   * @param totalSteps optimiser steps it will take
   */
  default void runStarted(int run, int runs, double lr, long totalSteps) {}

  /** One optimiser step of the current run is done ({@code step} counts from 1). */
  default void stepped(double lr, long step, long totalSteps, float batchLoss) {}

  /**
   * What is measured differs from what was asked for, in one line that says how and why (for
   * example a measured subset smaller than requested); said before the runs start.
   */
  default void notice(String message) {}

  /** A checkpoint was measured. */
  default void checkpointMeasured(double lr, Checkpoint checkpoint) {}

  /** The current run diverged (non-finite loss) and stops; {@link #runFinished} follows. */
  default void runDiverged(double lr, Training.DivergedException e) {}

  /** The current run is done. */
  default void runFinished(double lr) {}

  /** Log lines through slf4j: run starts and ends at INFO, each checkpoint at INFO. */
  static ExperimentListener logging() {
    Logger log = LoggerFactory.getLogger(LearningRateSweep.class);
    return new ExperimentListener() {
      @Override
      public void runStarted(int run, int runs, double lr, long totalSteps) {
        log.info("run {}/{}: lr={}, {} steps", run + 1, runs, lr, totalSteps);
      }

      @Override
      public void notice(String message) {
        log.warn(message);
      }

      @Override
      public void checkpointMeasured(double lr, Checkpoint c) {
        var tv = c.pairings().get("train-val");
        log.info(
            "lr={} step {} (epoch {}): train loss {} acc {}, val loss {} acc {},"
                + " train-val within/between sign {}/{}",
            lr,
            c.step(),
            String.format("%.2f", c.epoch()),
            String.format("%.4f", c.trainLoss()),
            String.format("%.3f", c.trainAcc()),
            String.format("%.4f", c.valLoss()),
            String.format("%.3f", c.valAcc()),
            tv == null ? null : tv.withinSign(),
            tv == null ? null : tv.betweenSign());
      }

      @Override
      public void runDiverged(double lr, Training.DivergedException e) {
        log.warn("run lr={}: {}; its later checkpoints are not measured", lr, e.getMessage());
      }

      @Override
      public void runFinished(double lr) {
        log.info("run lr={} done", lr);
      }
    };
  }
}
