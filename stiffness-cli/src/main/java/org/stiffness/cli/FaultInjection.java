package org.stiffness.cli;

import java.io.PrintWriter;
import org.stiffness.experiments.ExperimentListener;
import org.stiffness.summary.ExperimentSummary.Checkpoint;

/**
 * A place for the fault tests to stop a training run at a known point, so that they can kill it
 * there (SIGKILL, SIGTERM) instead of racing it: with the system property {@value #PAUSE} = n, the
 * process announces and then sleeps when its n-th checkpoint (counted from 1 over all runs) has
 * been measured, after the state of checkpoint n - 1 was saved and before that of checkpoint n is.
 * Without the property it does nothing.
 */
final class FaultInjection {
  /** The system property naming the checkpoint to pause at. */
  static final String PAUSE = "stiffness.fault.pause-at-checkpoint";

  /** The line announcing the pause, followed by the checkpoint's number. */
  static final String PAUSED = "stiffness: fault injection: paused at checkpoint ";

  private FaultInjection() {}

  /** {@code listener}, pausing as {@value #PAUSE} asks. */
  static ExperimentListener around(ExperimentListener listener, PrintWriter err) {
    String value = System.getProperty(PAUSE);
    if (value == null) {
      return listener;
    }
    int at = Integer.parseInt(value.trim());
    return new ForwardingListener(listener) {
      private int measured;

      @Override
      public void checkpointMeasured(double lr, Checkpoint checkpoint) {
        next.checkpointMeasured(lr, checkpoint);
        if (++measured == at) {
          err.println(PAUSED + at);
          err.flush();
          try {
            Thread.sleep(Long.MAX_VALUE);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
      }
    };
  }
}
