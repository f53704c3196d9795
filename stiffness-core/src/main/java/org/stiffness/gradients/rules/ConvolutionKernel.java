package org.stiffness.gradients.rules;

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
 * return wrong input gradients for batches on AMD EPYC, and on an AMD Zen 5 EPYC so do its AVX2
 * kernels (docs/known-issues.md). It is chosen only where that cannot happen: on a GPU, when oneDNN
 * is capped at AVX or below ({@code ONEDNN_MAX_CPU_ISA}, as the launcher and the test configuration
 * set it), or on an x86 CPU without AVX-512 (its AVX2 kernels were exact there). Everywhere else
 * the convolution runs as im2col and one matrix product, exact on any hardware.
 */
public enum ConvolutionKernel {
  /** libtorch's convolution; the patches for the weight gradient are taken without autograd. */
  LIBTORCH,
  /** im2col patches and one matrix product, differentiated through by autograd. */
  IM2COL;

  /**
   * oneDNN ISA caps whose convolution kernels gave exact input gradients on every machine tried
   * (oneDNN's names; DNNL_ is the older prefix). AVX2 is not among them: on a Zen 5 EPYC its
   * backward-data kernel was off by 49 % for a batch of four.
   */
  private static final Set<String> EXACT_CAPS = Set.of("SSE41", "AVX");

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
        ? "libtorch's convolution (oneDNN is capped at AVX, or this CPU has no AVX-512)"
        : "im2col (oneDNN may use its AVX-512 or AVX2 kernels, whose input gradients are wrong in"
            + " libtorch 2.7.1 on this CPU; set ONEDNN_MAX_CPU_ISA=AVX before the JVM starts for"
            + " libtorch's)";
  }

  /**
   * Whether libtorch's CPU convolution gradients can be trusted: oneDNN is capped at AVX or below,
   * or the CPU is an x86 one that demonstrably lacks AVX-512. Unknown CPUs count as unsafe.
   *
   * @param isaCap {@code ONEDNN_MAX_CPU_ISA}, or null
   * @param arch {@code os.arch}
   * @param cpuinfo {@code /proc/cpuinfo}, read for the CPU's flags
   */
  public static boolean cpuConvolutionExact(String isaCap, String arch, Path cpuinfo) {
    if (isaCap != null && EXACT_CAPS.contains(isaCap.trim().toUpperCase(Locale.ROOT))) {
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
