package org.stiffness.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * The up-front check of {@code --device} that every command runs before it reads data or writes
 * anything: a GPU the engine does not see is bad input, one line naming it and the engine's GPU
 * count, instead of a native error minutes later (after training, or halfway through a directory).
 *
 * <p>Why the engine's count and not CUDA's: {@link Engine#getGpuCount()} is 0 when the loaded
 * libtorch was built without CUDA, even on a node full of GPUs, and a CPU libtorch is exactly what
 * then fails late. The message adds CUDA's own count when the two differ, because that case is a
 * set-up problem ({@code stiffness doctor} says which libtorch was loaded), not a wrong number.
 */
final class DeviceCheck {
  private DeviceCheck() {}

  /**
   * Refuses a GPU the engine does not see; loads the engine only for a GPU, so CPU runs and {@code
   * --help} stay as fast as before.
   *
   * @param context prefix of the message, e.g. {@code "--devices 'gpu0,gpu1': "}, or empty
   * @throws ParameterException (exit code 2) naming the device and the GPUs the engine sees
   */
  static void require(CommandLine cli, Device device, String context) {
    if (!device.isGpu()) {
      return;
    }
    Optional<String> problem = problem(TorchLogging.engine(), device);
    if (problem.isPresent()) {
      throw new ParameterException(cli, context + problem.get());
    }
  }

  /** Why {@code device} cannot be used with {@code engine}, or empty when it can. */
  static Optional<String> problem(Engine engine, Device device) {
    if (!device.isGpu()) {
      return Optional.empty();
    }
    int seen = engine.getGpuCount();
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
    int cuda = CudaUtils.getGpuCount();
    if (cuda != seen) {
      message +=
          " (CUDA sees "
              + cuda
              + ": the loaded libtorch "
              + engine.getVersion()
              + " was built without CUDA; stiffness doctor shows which one was loaded)";
    }
    return Optional.of(message);
  }

  /** {@code cpu} or {@code gpuN}, as the command line spells it. */
  static String label(Device device) {
    return device.isGpu() ? "gpu" + device.getDeviceId() : device.getDeviceType();
  }
}
