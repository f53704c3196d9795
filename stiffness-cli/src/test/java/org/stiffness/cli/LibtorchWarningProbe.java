package org.stiffness.cli;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * A separate process for tests of what libtorch itself prints: libtorch writes its warnings to the
 * process's native stderr, which an in-process run cannot capture. Runs the command line with the
 * given arguments, prints {@link #MARKER} on stderr, then makes the one DJL call known to print
 * libtorch's "AutoNonVariableTypeMode is deprecated" warning ({@code NDArray.set(float[])}). The
 * warning is printed once per process, so it appears after the marker exactly when the command did
 * not print it: the part after the marker shows that the capture sees libtorch's warnings at all.
 */
final class LibtorchWarningProbe {
  static final String MARKER = "--- the command is done ---";

  private LibtorchWarningProbe() {}

  public static void main(String[] args) {
    int code = StiffnessCli.commandLine().execute(args);
    System.err.println(MARKER);
    try (NDManager manager = NDManager.newBaseManager()) {
      manager.zeros(new Shape(1)).set(new float[] {1});
    }
    System.exit(code);
  }
}
