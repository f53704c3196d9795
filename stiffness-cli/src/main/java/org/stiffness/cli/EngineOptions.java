package org.stiffness.cli;

import ai.djl.Device;
import org.stiffness.gram.GramOptions;
import org.stiffness.gram.Precision;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * Where and how the stiffness engine computes, for every command that measures ({@code bench},
 * {@code vision}, {@code nlp}): the device, the memory budget that sets tile and pass sizes, the
 * operand precision.
 */
final class EngineOptions {

  @Option(
      names = "--device",
      defaultValue = "cpu",
      paramLabel = "DEVICE",
      converter = Converters.DeviceName.class,
      description = "cpu, gpu or gpuN (default: ${DEFAULT-VALUE}).")
  Device device;

  @Option(
      names = "--memory-budget",
      paramLabel = "SIZE",
      converter = Converters.ByteSize.class,
      description =
          "Device memory the stiffness engine may plan for, e.g. 2g or 40g on a GPU; it sets the"
              + " tile and pass sizes (default: half the free memory).")
  Long memoryBudget;

  @Option(
      names = "--precision",
      defaultValue = "fp32",
      paramLabel = "fp32|fp16|tf32",
      converter = Converters.PrecisionName.class,
      description =
          "Operand precision of the Gram products (default: ${DEFAULT-VALUE}); fp16 counts the"
              + " pairs whose sign it cannot resolve (uncertain_sign_pairs); tf32 allows a GPU to"
              + " multiply fp32 as TF32 (fp32 is refused on a GPU unless NVIDIA_TF32_OVERRIDE=0)"
              + " and widens that bound to TF32's.")
  Precision precision;

  /** The engine's Gram options with this budget and precision, other settings at defaults. */
  GramOptions gramOptions() {
    return gramOptions(precision, memoryBudget);
  }

  /**
   * The engine's Gram options with {@code precision} and {@code memoryBudget} (null: half the free
   * memory), other settings at defaults.
   */
  static GramOptions gramOptions(Precision precision, Long memoryBudget) {
    GramOptions gram = GramOptions.defaults().withPrecision(precision);
    return memoryBudget == null ? gram : gram.withMemoryBudget(memoryBudget);
  }

  /** {@code cpu} or {@code gpuN}, as typed. */
  String deviceLabel() {
    return DeviceCheck.label(device);
  }

  /** Refuses a GPU the engine does not see, before the command reads or writes anything. */
  void requireDevice(CommandLine cli) {
    DeviceCheck.require(cli, device, "");
  }
}
