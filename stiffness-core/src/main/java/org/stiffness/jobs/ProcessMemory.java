package org.stiffness.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.stiffness.gram.MemoryBudget;

/**
 * Peak resident memory of this process (Linux {@code /proc/self/status}, VmHWM): the JVM heap, the
 * native arrays of libtorch and everything else the process touched.
 */
public final class ProcessMemory {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final Path CLEAR_REFS = Path.of("/proc/self/clear_refs");

  private ProcessMemory() {}

  /** Peak resident set size in bytes since start or the last {@link #resetPeak()}, or -1. */
  public static long peakRssBytes() {
    try {
      for (String line : Files.readAllLines(STATUS)) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or /proc is not mounted
    }
    return -1;
  }

  /** A peak from {@link #peakRssBytes()} for people: "1.50 GiB", or "unknown" for -1. */
  public static String format(long peakBytes) {
    return peakBytes < 0 ? "unknown" : MemoryBudget.format(peakBytes);
  }

  /**
   * Restarts the peak from the current resident size (writing 5 to clear_refs, Linux 4.0+), so that
   * one benchmark path's peak is not the previous path's. Returns false when the kernel does not
   * allow it; the peak then covers the whole process.
   */
  public static boolean resetPeak() {
    try {
      Files.writeString(CLEAR_REFS, "5");
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
