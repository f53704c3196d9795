package org.stiffness.cli;

import java.io.PrintWriter;
import java.util.function.Supplier;

/**
 * Says in one line, when the process is stopped by SIGINT or SIGTERM (a shutdown hook: the JVM runs
 * those for both), what an interrupted run kept and how to continue it. Closed when the command
 * ends by itself, so that a normal exit says nothing.
 */
final class InterruptNotice implements AutoCloseable {
  private final Thread hook;

  private InterruptNotice(Thread hook) {
    this.hook = hook;
  }

  /**
   * @param err where the line goes
   * @param line the line, computed when the signal comes (what was kept by then)
   */
  static InterruptNotice install(PrintWriter err, Supplier<String> line) {
    Thread hook =
        new Thread(
            () -> {
              err.println(line.get());
              err.flush();
            },
            "stiffness-interrupt-notice");
    Runtime.getRuntime().addShutdownHook(hook);
    return new InterruptNotice(hook);
  }

  @Override
  public void close() {
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down: the hook runs, as it should for a signal.
    }
  }
}
