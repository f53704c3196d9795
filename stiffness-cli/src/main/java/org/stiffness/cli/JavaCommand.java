package org.stiffness.cli;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts this same program again in a fresh JVM: the running Java, its class
 * path and its memory and system-property options. A fresh JVM rather than a thread because DJL's
 * PyTorch engine allows one gradient collector per process at a time.
 */
final class JavaCommand {
  private JavaCommand() {}

  /** {@code java [options] -cp <class path> org.stiffness.cli.StiffnessCli <args>}. */
  static List<String> stiffness(List<String> args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      // -X (heap, -XX flags) and -D (ai.djl.offline, ...) carry over; agents and debuggers do
      // not: a second JDWP listener on the same port, or a coverage agent writing the parent's
      // file, would break the worker.
      if ((option.startsWith("-X") && !option.startsWith("-Xrun") && !option.startsWith("-Xdebug"))
          || option.startsWith("-D")) {
        command.add(option);
      }
    }
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(StiffnessCli.class.getName());
    command.addAll(args);
    return command;
  }
}
