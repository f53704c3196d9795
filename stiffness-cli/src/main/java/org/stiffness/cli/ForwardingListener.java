package org.stiffness.cli;

import org.stiffness.experiments.ExperimentListener;
import org.stiffness.experiments.Training;
import org.stiffness.summary.ExperimentSummary.Checkpoint;

/**
 * An {@link ExperimentListener} that passes every event on to {@code next}: the base of the
 * listeners that add one thing to a run's events and override only where they add it.
 */
abstract class ForwardingListener implements ExperimentListener {
  /** Where every event goes on to. */
  protected final ExperimentListener next;

  ForwardingListener(ExperimentListener next) {
    this.next = next;
  }

  @Override
  public void runStarted(int run, int runs, double lr, long totalSteps) {
    next.runStarted(run, runs, lr, totalSteps);
  }

  @Override
  public void stepped(double lr, long step, long totalSteps, float batchLoss) {
    next.stepped(lr, step, totalSteps, batchLoss);
  }

  @Override
  public void notice(String message) {
    next.notice(message);
  }

  @Override
  public void checkpointMeasured(double lr, Checkpoint checkpoint) {
    next.checkpointMeasured(lr, checkpoint);
  }

  @Override
  public void runDiverged(double lr, Training.DivergedException e) {
    next.runDiverged(lr, e);
  }

  @Override
  public void runFinished(double lr) {
    next.runFinished(lr);
  }
}
