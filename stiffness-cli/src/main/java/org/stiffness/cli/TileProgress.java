package org.stiffness.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.stiffness.gram.GramProgress;

/**
 * Shows the engine's tile progress on stderr: a progress bar when stderr is a terminal, otherwise a
 * plain line at most every few seconds (so logs of batch jobs stay short). One computation is
 * everything between the first callback and the one with {@code done == total}.
 */
final class TileProgress implements GramProgress, AutoCloseable {
  /** Least time between two plain lines. */
  static final long LINE_INTERVAL_NANOS = 5_000_000_000L;

  private final PrintStream err;
  private final boolean terminal;
  private final long lineIntervalNanos;
  private String task = "gram";
  private ProgressBar bar;
  private long lastLine;
  private boolean printedLine;

  /**
   * @param err where progress goes (stderr)
   * @param terminal draw a bar (true) or print plain lines (false)
   */
  TileProgress(PrintStream err, boolean terminal) {
    this(err, terminal, LINE_INTERVAL_NANOS);
  }

  /** With plain lines at most every {@code lineIntervalNanos} (0: every callback). */
  TileProgress(PrintStream err, boolean terminal, long lineIntervalNanos) {
    this.err = err;
    this.terminal = terminal;
    this.lineIntervalNanos = lineIntervalNanos;
  }

  /** Whether this process's stderr is a terminal (Linux: fd 2 points at a tty or pty). */
  static boolean stderrIsTerminal() {
    try {
      String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
      return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
    } catch (Exception e) {
      return false;
    }
  }

  /** Names the next computation (for example "generic run 2/3"). */
  void task(String name) {
    this.task = name;
    this.lastLine = System.nanoTime();
    this.printedLine = false;
  }

  @Override
  public void tilesDone(long done, long total) {
    if (terminal) {
      if (bar == null) {
        bar =
            new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(" tiles", 1)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new ConsoleProgressBarConsumer(err))
                .setUpdateIntervalMillis(250)
                .build();
      }
      bar.stepTo(done);
      if (done >= total) {
        closeBar();
      }
      return;
    }
    long now = System.nanoTime();
    boolean due = now - lastLine >= lineIntervalNanos;
    if (due || (done >= total && printedLine)) {
      err.printf("stiffness: %s: %d/%d tiles%n", task, done, total);
      err.flush();
      lastLine = now;
      printedLine = true;
    }
    if (done >= total) {
      printedLine = false;
    }
  }

  private void closeBar() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }

  @Override
  public void close() {
    closeBar();
  }
}
