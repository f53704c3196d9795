package org.stiffness.cli;

import ai.djl.Device;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * One command to check a node before a run: which engine, libtorch and JNI DJL loaded and from
 * where, the native jars on the class path, the GPUs with their memory, and the default memory
 * budget of the device a run would use.
 */
@Command(
    name = "doctor",
    header = "Checks this machine's set-up: engine, libtorch, JNI, GPUs, memory budget.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Reports the engine and its version, the libtorch it loaded (version, flavour cpu or"
          + " cuXXX, folder), the JNI (libdjl_torch.so) in use, whether a CPU native jar is on the"
          + " class path, DJL's PYTORCH_* variables and cache, the GPUs the engine and CUDA see"
          + " with their total and free memory, and the default memory budget of --device.",
      "Also: the CUDA runtime found (or why none, with the fix), whether TF32 could be in effect"
          + " (fp32 is refused on GPUs then), and which GPU set-up the node is in (docs/engine.md).",
      "Exits with 2 and one line when --device names a GPU the engine does not see, with 2"
          + " after the report when the CPU native jar is on the class path beside a CUDA"
          + " libtorch, and with 1"
          + " (after the report) when the engine does not load. See docs/engine.md, Running on a"
          + " GPU."
    })
final class DoctorCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--device",
      defaultValue = "cpu",
      paramLabel = "DEVICE",
      converter = Converters.DeviceName.class,
      description = "The device whose memory budget is shown: cpu, gpu or gpuN (default: cpu).")
  Device device;

  @Option(names = "--json", description = "Print one JSON object on stdout instead of text.")
  boolean json;

  @Override
  public Integer call() {
    DoctorReport report = DoctorReport.gather(device);
    if (report.engine().error() == null) {
      // The same check, and the same line, as every command that computes on --device.
      DeviceCheck.problem(TorchLogging.engine(), device)
          .ifPresent(
              p -> {
                throw new CommandLine.ParameterException(spec.commandLine(), p);
              });
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(report.json());
    } else {
      out.print(report.text());
    }
    out.flush();
    if (report.setup().refusal() != null) {
      // Every other command refuses this class path before it runs; the report comes first here.
      PrintWriter err = spec.commandLine().getErr();
      err.println("stiffness: " + report.setup().refusal());
      err.flush();
      return spec.commandLine().getCommandSpec().exitCodeOnInvalidInput();
    }
    if (report.engine().error() != null) {
      PrintWriter err = spec.commandLine().getErr();
      err.println("stiffness: the engine did not load: " + report.engine().error());
      err.flush();
      return StiffnessCli.FAILED;
    }
    return 0;
  }
}
