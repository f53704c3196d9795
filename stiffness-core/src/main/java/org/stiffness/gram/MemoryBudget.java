package org.stiffness.gram;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.stiffness.device.CudaRuntime;

/** Byte budgets for the Gram engine's device memory. */
public final class MemoryBudget {
  /** Share of the free memory taken by default, leaving room for the model and the caller. */
  public static final double DEFAULT_FRACTION = 0.5;

  private static final long FALLBACK_BYTES = 2L << 30;

  /** The default budgets of this process, read from the system. */
  private static final Defaults PROCESS = new Defaults(MemoryBudget::freeBytes);

  private MemoryBudget() {}

  /** Where free device memory is read from (the system, or a fake in tests). */
  @FunctionalInterface
  public interface MemorySource {
    /** Free bytes on {@code device} now. */
    long freeBytes(Device device);
  }

  /**
   * Default budgets that are read once per device and then kept: half the free memory when the
   * device is first planned for. Why not read again: PyTorch's caching allocator keeps the memory
   * of freed tensors, so a device's free memory after one measurement is far less than before it,
   * and every later engine (a new one per checkpoint) would plan with about half the budget of the
   * first, cutting other tiles.
   */
  public static final class Defaults {
    private final MemorySource source;
    private final Map<Device, Long> budgets = new HashMap<>();

    /**
     * @param source where free memory is read, once per device
     */
    public Defaults(MemorySource source) {
      this.source = Objects.requireNonNull(source, "source");
    }

    /** Half of the device's free memory when first asked for this device. */
    public synchronized long budgetFor(Device device) {
      return budgets.computeIfAbsent(device, d -> (long) (DEFAULT_FRACTION * source.freeBytes(d)));
    }
  }

  /**
   * The process's default budget for a device: half of its free memory (GPU: CUDA's free memory;
   * CPU: MemAvailable) when the process first planned for it, the same from then on.
   */
  public static long defaultFor(Device device) {
    return PROCESS.budgetFor(device);
  }

  /** The process's default budgets (what {@link #defaultFor} reads). */
  public static Defaults processDefaults() {
    return PROCESS;
  }

  /**
   * Free bytes on the device, or 4 GiB when the system does not say (a CPU off Linux).
   *
   * @throws IllegalStateException for a GPU when no CUDA runtime was found ({@link
   *     CudaRuntime#require()} says where it looked and what to do)
   */
  public static long freeBytes(Device device) {
    if (Device.Type.GPU.equals(device.getDeviceType())) {
      return CudaRuntime.require().memory(device.getDeviceId()).freeBytes();
    }
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/meminfo"));
      for (String line : lines) {
        if (line.startsWith("MemAvailable:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: fall through to a fixed guess.
    }
    return 2 * FALLBACK_BYTES;
  }

  /**
   * Parses sizes such as "2g", "512MiB", "1.5GB", "1048576" (bytes; k/m/g/t suffixes are powers of
   * 1024).
   */
  public static long parse(String text) {
    String t = text.trim().toLowerCase(java.util.Locale.ROOT).replace("ib", "").replace("b", "");
    long multiplier = 1;
    if (!t.isEmpty()) {
      char unit = t.charAt(t.length() - 1);
      int power = "kmgt".indexOf(unit);
      if (power >= 0) {
        multiplier = 1L << (10 * (power + 1));
        t = t.substring(0, t.length() - 1);
      }
    }
    try {
      double value = Double.parseDouble(t);
      if (!(value > 0) || Double.isInfinite(value)) {
        throw new NumberFormatException();
      }
      return (long) (value * multiplier);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "memory size '" + text + "' is not a positive size such as 2g, 512m or 1048576");
    }
  }

  /** Human-readable size, powers of 1024. */
  public static String format(long bytes) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(
        java.util.Locale.ROOT, unit == 0 ? "%.0f %s" : "%.2f %s", value, units[unit]);
  }
}
