package org.stiffness.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import java.util.Optional;
import org.stiffness.device.CudaRuntime;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The up-front check of {@code --device} that every command runs before it reads data or writes
 * anything: a GPU the engine does not see is bad input, one line naming it and the engine's GPU
 * count, instead of a native error minutes later (after training, or halfway through a directory).
 * A class path that holds the CPU natives beside a CUDA libtorch is refused first, for every device
 * ({@link NativeSetup#refusal()}).
 *
 * <p>The engine sees the GPUs of the CUDA runtime ({@link CudaRuntime}, found where the
 * installation has it, first the copy libtorch mapped) when its libtorch was built with CUDA, and
 * none otherwise, even on a node full of GPUs: a CPU libtorch is exactly what then fails late.
 * DJL's own {@code Engine.getGpuCount()} is not asked: it loads the runtime by its bare name and
 * sees 0 GPUs where pip's or libtorch's copy is the only one.
 */
final class DeviceCheck {
  private DeviceCheck() {}

  /**
   * Refuses a class path with the CPU natives beside a CUDA libtorch, and a GPU the engine does not
   * see; loads the engine only for a GPU, so CPU runs and {@code --help} stay as fast as before.
   *
   * @param context prefix of the message, e.g. {@code "--devices 'gpu0,gpu1': "}, or empty
   * @throws ParameterException (exit code 2) naming the jar to remove, or the device and the GPUs
   *     the engine sees
   */
  static void require(CommandLine cli, Device device, String context) {
    String refusal = NativeSetup.ofProcess().refusal();
    if (refusal != null) {
      throw new ParameterException(cli, refusal);
    }
    if (!device.isGpu()) {
      return;
    }
    Optional<String> problem = problem(TorchLogging.engine(), device);
    if (problem.isPresent()) {
      throw new ParameterException(cli, context + problem.get());
    }
  }

  /** GPUs the engine can compute on: the CUDA runtime's count, 0 for a libtorch without CUDA. */
  static int gpuCount(Engine engine) {
    if (!engine.hasCapability(StandardCapabilities.CUDA)) {
      return 0;
    }
    CudaRuntime runtime = CudaRuntime.detect().runtime();
    return runtime == null ? 0 : runtime.deviceCount();
  }

  /** Why {@code device} cannot be used with {@code engine}, or empty when it can. */
  static Optional<String> problem(Engine engine, Device device) {
    if (!device.isGpu()) {
      return Optional.empty();
    }
    int seen = gpuCount(engine);
    if (device.getDeviceId() < seen) {
      return Optional.empty();
    }
    String message =
        "device '"
            + label(device)
            + "' is not available: the "
            + engine.getEngineName()
            + " engine sees "
            + seen
            + " GPU(s)";
    CudaRuntime.Detection cuda = CudaRuntime.detect();
    if (!engine.hasCapability(StandardCapabilities.CUDA)) {
      int count = cuda.runtime() == null ? 0 : cuda.runtime().deviceCount();
      if (count > 0) {
        message +=
            " (CUDA sees "
                + count
                + ": the loaded libtorch "
                + engine.getVersion()
                + " was built without CUDA; stiffness doctor shows which one was loaded)";
      }
    } else if (cuda.runtime() == null) {
      message += " (its libtorch has CUDA, but " + cuda.message() + ")";
    } else if (seen == 0) {
      message +=
          " (the CUDA runtime "
              + cuda.runtime()
              + " says: "
              + cuda.runtime().deviceCountProblem()
              + ")";
    }
    return Optional.of(message);
  }

  /** {@code cpu} or {@code gpuN}, as the command line spells it. */
  static String label(Device device) {
    return device.isGpu() ? "gpu" + device.getDeviceId() : device.getDeviceType();
  }
}
