package org.stiffness.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The output directory of a resumable sweep ({@code vision}, {@code nlp}), and the lines that say
 * what a run continues from or what an interrupted run keeps.
 */
final class SweepDirectory {
  private SweepDirectory() {}

  /**
   * Opens {@code out} ({@link OutputDirectory#create}, resumable).
   *
   * @throws IllegalArgumentException in one line, for an {@code out} that is not empty or holds
   *     another command's interrupted run
   */
  static OutputDirectory open(Path out, CommandIdentity identity) throws IOException {
    return OutputDirectory.create(out, identity, true);
  }

  /** Says in one line that the run continues from an interrupted one, and from where. */
  static void sayResuming(PrintWriter err, Path out, OutputDirectory directory, int runs)
      throws IOException {
    Optional<String> saved = directory.journal().describe(runs);
    if (saved.isPresent()) {
      err.println("stiffness: continuing the interrupted run in " + out + " (" + saved.get() + ")");
      err.flush();
    }
  }

  /** After a failure: says what a rerun of the same command would continue from, if anything. */
  static void sayKept(PrintWriter err, OutputDirectory directory, int runs) {
    if (directory.resuming()) {
      err.println(directory.keptLine(runs));
      err.flush();
    }
  }
}
