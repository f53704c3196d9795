package org.stiffness.cli.reproduce;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A one-line description of the machine a run measured on, for the files that quote figures. */
final class Machine {
  private Machine() {}

  /** E.g. "AMD EPYC 9R45 (2 CPUs), Linux 6.8": the processor's name where the system says it. */
  static String describe() {
    return processor()
        + " ("
        + Runtime.getRuntime().availableProcessors()
        + " CPUs), "
        + System.getProperty("os.name")
        + " "
        + System.getProperty("os.version");
  }

  private static String processor() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("model name")) {
          return line.substring(line.indexOf(':') + 1).strip();
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: the architecture is all we know.
    }
    return System.getProperty("os.arch");
  }
}
