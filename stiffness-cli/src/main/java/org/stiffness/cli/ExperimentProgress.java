package org.stiffness.cli;

import java.io.PrintWriter;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.stiffness.experiments.ExperimentListener;
import org.stiffness.experiments.Training;
import org.stiffness.summary.ExperimentSummary;

/**
 * Progress of a training-and-measurement experiment on stderr: a bar over the training steps of
 * each run when stderr is a terminal (the latest measurement as its message), otherwise one plain
 * line per run and per measurement, which is what batch-job logs want.
 */
final class ExperimentProgress implements ExperimentListener, AutoCloseable {
  private final PrintWriter err;
  private final boolean terminal;
  private ProgressBar bar;

  /**
   * @param err where plain lines go
   * @param terminal draw bars on the process's stderr instead
   */
  ExperimentProgress(PrintWriter err, boolean terminal) {
    this.err = err;
    this.terminal = terminal;
  }

  @Override
  public void runStarted(int run, int runs, double lr, long totalSteps) {
    String name = String.format(Locale.ROOT, "run %d/%d, lr %g", run + 1, runs, lr);
    if (terminal) {
      bar =
          new ProgressBarBuilder()
              .setTaskName(name)
              .setInitialMax(totalSteps)
              .setUnit(" steps", 1)
              .setStyle(ProgressBarStyle.ASCII)
              .setConsumer(new ConsoleProgressBarConsumer(System.err))
              .setUpdateIntervalMillis(250)
              .build();
      return;
    }
    err.printf(Locale.ROOT, "stiffness: %s, %d steps%n", name, totalSteps);
    err.flush();
  }

  @Override
  public void notice(String message) {
    close(); // its own line even under a bar: it is about what the results mean, not progress
    err.println("stiffness: " + message);
    err.flush();
  }

  @Override
  public void stepped(double lr, long step, long totalSteps, float batchLoss) {
    if (bar != null) {
      bar.stepTo(step);
    }
  }

  @Override
  public void checkpointMeasured(double lr, ExperimentSummary.Checkpoint checkpoint) {
    // train-val, the paper's headline pairing, when it is measured; else the first one.
    String key =
        checkpoint.pairings().containsKey("train-val")
            ? "train-val"
            : checkpoint.pairings().keySet().iterator().next();
    ExperimentSummary.PairingSummary pairing = checkpoint.pairings().get(key);
    String line =
        String.format(
            Locale.ROOT,
            "step %d: train loss %.4f, val acc %.3f, %s cosine stiffness within %s between %s",
            checkpoint.step(),
            checkpoint.trainLoss(),
            checkpoint.valAcc(),
            key,
            // Cosine, not sign: within a class sign stiffness is 1.000 at nearly every checkpoint
            // and tells nothing (docs/reproduction.md); sign stays in summary.json and the report.
            format(pairing.withinCos()),
            format(pairing.betweenCos()));
    if (bar != null) {
      bar.setExtraMessage(line);
      return;
    }
    err.println("stiffness:   " + line);
    err.flush();
  }

  @Override
  public void runDiverged(double lr, Training.DivergedException e) {
    close();
    // Said on its own line even on a terminal: a diverged run is a result, not progress.
    err.println("stiffness: warning: lr " + lr + ": " + e.getMessage() + "; the run stops here");
    err.flush();
  }

  @Override
  public void runFinished(double lr) {
    close();
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }

  private static String format(Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%.3f", value);
  }
}
