package org.stiffness.cli;

import java.io.PrintWriter;
import org.stiffness.experiments.ExperimentListener;

/**
 * Says where a run's data came from, in one line ({@code stiffness: data: ...}), when its first
 * learning rate starts: after every check of the options and the data, so that a refusal stays the
 * run's only line on stderr.
 */
final class DataSourceLine extends ForwardingListener {
  private final PrintWriter err;
  private final String source;
  private boolean said;

  /**
   * @param next the listener every event goes on to
   * @param err where the line goes
   * @param source the data source in words, e.g. "mnist from directory /data/mnist"
   */
  DataSourceLine(ExperimentListener next, PrintWriter err, String source) {
    super(next);
    this.err = err;
    this.source = source;
  }

  @Override
  public void runStarted(int run, int runs, double lr, long totalSteps) {
    if (!said) {
      said = true;
      err.println("stiffness: data: " + source);
      err.flush();
    }
    next.runStarted(run, runs, lr, totalSteps);
  }
}
