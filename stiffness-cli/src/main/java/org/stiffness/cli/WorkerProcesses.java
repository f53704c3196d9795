package org.stiffness.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs child processes side by side and waits for all of them. Each output line is forwarded with
 * the worker's label in front, so interleaved lines stay attributable; a worker's last stderr line
 * is kept because it is the one-line reason a failed {@code stiffness} command gives.
 */
final class WorkerProcesses {
  /** One child: a label for its output and its command line. */
  record Worker(String label, List<String> command) {}

  /** How a worker ended. */
  record Outcome(Worker worker, int exitCode, String lastError) {
    boolean failed() {
      return exitCode != 0;
    }
  }

  private WorkerProcesses() {}

  /**
   * Starts every worker, forwards their output, and returns when all have ended. If this JVM is
   * stopped meanwhile, the workers are destroyed with it (their finished tiles stay: a rerun
   * resumes).
   */
  static List<Outcome> run(List<Worker> workers, PrintWriter out, PrintWriter err)
      throws IOException, InterruptedException {
    List<Process> processes = new ArrayList<>();
    Thread reaper = new Thread(() -> processes.forEach(Process::destroy));
    Runtime.getRuntime().addShutdownHook(reaper);
    List<Thread> pumps = new ArrayList<>();
    List<AtomicReference<String>> lastErrors = new ArrayList<>();
    try {
      for (Worker w : workers) {
        Process p = new ProcessBuilder(w.command()).start();
        processes.add(p);
        p.getOutputStream().close();
        AtomicReference<String> lastError = new AtomicReference<>("");
        lastErrors.add(lastError);
        pumps.add(pump(p.getInputStream(), "[" + w.label() + "] ", out, null));
        pumps.add(pump(p.getErrorStream(), "[" + w.label() + "] ", err, lastError));
      }
      List<Outcome> outcomes = new ArrayList<>();
      for (int i = 0; i < workers.size(); i++) {
        int code = processes.get(i).waitFor();
        outcomes.add(new Outcome(workers.get(i), code, null));
      }
      for (Thread t : pumps) {
        t.join(); // all output forwarded before the caller reports
      }
      List<Outcome> done = new ArrayList<>();
      for (int i = 0; i < outcomes.size(); i++) {
        Outcome o = outcomes.get(i);
        done.add(new Outcome(o.worker(), o.exitCode(), lastErrors.get(i).get()));
      }
      return done;
    } finally {
      processes.forEach(Process::destroy); // no-op for ended ones; stops the rest on an error here
      try {
        Runtime.getRuntime().removeShutdownHook(reaper);
      } catch (IllegalStateException shuttingDown) {
        // the hook runs anyway
      }
    }
  }

  private static Thread pump(
      InputStream from, String prefix, PrintWriter to, AtomicReference<String> lastLine) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(from, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  if (lastLine != null && !line.isBlank()) {
                    lastLine.set(line.strip());
                  }
                  synchronized (to) {
                    to.println(prefix + line);
                    to.flush();
                  }
                }
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            },
            "worker-output");
    t.setDaemon(true);
    t.start();
    return t;
  }
}
