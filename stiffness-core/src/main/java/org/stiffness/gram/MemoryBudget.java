package org.stiffness.gram;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.stiffness.device.CudaRuntime;

/** Byte budgets for the Gram engine's device memory. */
public final class MemoryBudget {
  /** Share of the free memory taken by default, leaving room for the model and the caller. */
  public static final double DEFAULT_FRACTION = 0.5;

  private static final long FALLBACK_BYTES = 2L << 30;

  /** The default budgets of this process, read from the system. */
  private static final Defaults PROCESS = new Defaults(MemoryBudget::read);

  private MemoryBudget() {}

  /**
   * A device's memory as read once: its total and what was free then.
   *
   * @param totalBytes the device's memory (GPU: the card's; CPU: MemTotal)
   * @param freeBytes what was free (GPU: CUDA's free memory; CPU: MemAvailable)
   */
  public record DeviceMemory(long totalBytes, long freeBytes) {
    /**
     * @throws IllegalArgumentException for a negative size or more free than total
     */
    public DeviceMemory {
      if (totalBytes < 0 || freeBytes < 0 || freeBytes > totalBytes) {
        throw new IllegalArgumentException(
            "device memory: free " + freeBytes + " of total " + totalBytes + " bytes");
      }
    }
  }

  /** Where a device's memory is read from (the system, or a fake card in tests). */
  @FunctionalInterface
  public interface MemorySource {
    /** The total and free bytes of {@code device} now. */
    DeviceMemory read(Device device);
  }

  /**
   * Default budgets from each device's memory, read once per device and then kept. Why not read
   * again: PyTorch's caching allocator keeps the memory of freed tensors, so a device's free memory
   * after one measurement is far less than before it, and every later engine (a new one per
   * checkpoint) would plan with about half the budget of the first, cutting other tiles.
   */
  public static final class Defaults {
    private final MemorySource source;
    private final Map<Device, DeviceMemory> readings = new HashMap<>();

    /**
     * @param source where memory is read, once per device
     */
    public Defaults(MemorySource source) {
      this.source = Objects.requireNonNull(source, "source");
    }

    /** The device's memory when first asked for this device, the same from then on. */
    public synchronized DeviceMemory memoryOf(Device device) {
      return readings.computeIfAbsent(device, source::read);
    }

    /**
     * The budget of a process that plans for itself: {@link #DEFAULT_FRACTION} of the device's free
     * memory (leaving room for the model, the caller and other processes on the device).
     */
    public long budgetFor(Device device) {
      return (long) (DEFAULT_FRACTION * memoryOf(device).freeBytes());
    }

    /**
     * A budget that must not follow the free memory (shards of one measurement plan the same tiles
     * in other processes): {@code most}, but never more than {@link #DEFAULT_FRACTION} of the
     * device's total memory, so that a default meant for large GPUs leaves a smaller card room for
     * the model, libtorch's CUDA context and its allocator's slack. Cards of one model have one
     * total, so shards on them still plan alike (and the configuration hash names the model).
     */
    public long fixedBudgetFor(Device device, long most) {
      return Math.min(most, (long) (DEFAULT_FRACTION * memoryOf(device).totalBytes()));
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

  /** The device's total and free memory now (what {@link #processDefaults()} reads once). */
  public static DeviceMemory read(Device device) {
    long free = freeBytes(device);
    return new DeviceMemory(Math.max(free, totalBytes(device)), free);
  }

  /**
   * The device's total memory, or 8 GiB when the system does not say.
   *
   * @throws IllegalStateException for a GPU when no CUDA runtime was found
   */
  public static long totalBytes(Device device) {
    if (Device.Type.GPU.equals(device.getDeviceType())) {
      return CudaRuntime.require().memory(device.getDeviceId()).totalBytes();
    }
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: fall through to a fixed guess.
    }
    return 4 * FALLBACK_BYTES;
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
    String t = text.trim().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
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
    return String.format(Locale.ROOT, unit == 0 ? "%.0f %s" : "%.2f %s", value, units[unit]);
  }
}
