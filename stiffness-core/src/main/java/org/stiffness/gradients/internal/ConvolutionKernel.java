package org.stiffness.gradients.internal;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;

/**
 * How the probe path computes a convolution's forward pass, and so its gradient with respect to the
 * input, which every earlier layer's per-example gradient depends on.
 *
 * <p>libtorch's own convolution is the fast choice, but libtorch 2.7.1's oneDNN AVX-512 kernels
 * return wrong input gradients for batches (docs/known-issues.md). It is chosen only where that
 * cannot happen: on a GPU, when oneDNN is capped below AVX-512 ({@code ONEDNN_MAX_CPU_ISA}, as the
 * launcher and the test configuration set it), or on an x86 CPU without AVX-512. Everywhere else
 * the convolution runs as im2col and one matrix product, exact on any hardware and about 2x slower
 * (measured in docs/measurements.md).
 */
public enum ConvolutionKernel {
  /** libtorch's convolution; the patches for the weight gradient are taken without autograd. */
  LIBTORCH,
  /** im2col patches and one matrix product, differentiated through by autograd. */
  IM2COL;

  /** oneDNN ISA caps below AVX-512 (oneDNN's names; DNNL_ is the older prefix). */
  private static final Set<String> BELOW_AVX512 =
      Set.of("SSE41", "AVX", "AVX2", "AVX2_VNNI", "AVX2_VNNI_2");

  private static final boolean CPU_EXACT =
      cpuConvolutionExact(
          firstNonNull(System.getenv("ONEDNN_MAX_CPU_ISA"), System.getenv("DNNL_MAX_CPU_ISA")),
          System.getProperty("os.arch", ""),
          Path.of("/proc/cpuinfo"));

  /** The kernel for a convolution whose input lives on {@code device}, in this process. */
  public static ConvolutionKernel forDevice(Device device) {
    return Device.Type.GPU.equals(device.getDeviceType()) || CPU_EXACT ? LIBTORCH : IM2COL;
  }

  /**
   * What {@link #forDevice} chooses for {@code device}, and why, in one line (for {@code doctor}).
   */
  public static String reason(Device device) {
    if (Device.Type.GPU.equals(device.getDeviceType())) {
      return "libtorch's convolution (cuDNN)";
    }
    return CPU_EXACT
        ? "libtorch's convolution (oneDNN cannot use its AVX-512 kernels here)"
        : "im2col (oneDNN may use its AVX-512 kernels, whose input gradients are wrong in libtorch"
            + " 2.7.1; set ONEDNN_MAX_CPU_ISA=AVX2 before the JVM starts for libtorch's, about 2x"
            + " faster)";
  }

  /**
   * Whether libtorch's CPU convolution gradients can be trusted: oneDNN is capped below AVX-512, or
   * the CPU is an x86 one that demonstrably lacks AVX-512. Unknown CPUs count as unsafe.
   *
   * @param isaCap {@code ONEDNN_MAX_CPU_ISA}, or null
   * @param arch {@code os.arch}
   * @param cpuinfo {@code /proc/cpuinfo}, read for the CPU's flags
   */
  public static boolean cpuConvolutionExact(String isaCap, String arch, Path cpuinfo) {
    if (isaCap != null && BELOW_AVX512.contains(isaCap.trim().toUpperCase(Locale.ROOT))) {
      return true;
    }
    String a = arch.toLowerCase(Locale.ROOT);
    if (!(a.equals("amd64") || a.equals("x86_64"))) {
      return false;
    }
    try {
      for (String line : Files.readAllLines(cpuinfo)) {
        if (line.startsWith("flags")) {
          return !line.contains(" avx512f");
        }
      }
    } catch (IOException | SecurityException e) {
      // Not Linux, or not readable: the CPU is unknown, so im2col.
    }
    return false;
  }

  private static String firstNonNull(String a, String b) {
    return a != null ? a : b;
  }
}
