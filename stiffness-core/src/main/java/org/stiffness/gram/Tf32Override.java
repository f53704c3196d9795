package org.stiffness.gram;

import ai.djl.Device;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Refuses fp32 on a GPU when the process's environment lets NVIDIA's libraries compute in TF32
 * (operands cut to 10-bit mantissas), which the fp32 rounding-error bound does not count. Two
 * variables decide it, and both are read by the native libraries when they start, so only the
 * environment the JVM was started with counts (a running JVM cannot change them):
 *
 * <ul>
 *   <li>{@code NVIDIA_TF32_OVERRIDE}: cuDNN runs fp32 convolutions as TF32 by default on Ampere and
 *       later, and DJL 0.36 has no call to turn that off; only this variable set to {@code 0} does.
 *       Without it the per-example gradients of convolutions carry about {@code 1e-3} relative
 *       error. The launcher {@code ./stiffness} sets it; a library process must be started with it.
 *   <li>{@code TORCH_ALLOW_TF32_CUBLAS_OVERRIDE}: set (to anything but empty, 0, false or off), it
 *       makes libtorch's cuBLAS products TF32 as well, whatever {@code NVIDIA_TF32_OVERRIDE} says
 *       (refused even then: which of the two wins is cuBLAS's business, not documented for every
 *       version).
 * </ul>
 *
 * <p>fp16 operands are allowed: TF32 holds them exactly and their bound already counts 11-bit
 * operands; the gradients of convolutions then still carry TF32's error, of the order of fp16's own
 * rounding of them, which the bound does not count (docs/engine.md, Running on a GPU). CPUs have no
 * TF32.
 */
public final class Tf32Override {
  /** NVIDIA's switch for cuBLAS and cuDNN: {@code 0} turns TF32 off, nothing else does. */
  public static final String NVIDIA = "NVIDIA_TF32_OVERRIDE";

  /** PyTorch's switch that makes its fp32 cuBLAS products TF32. */
  public static final String CUBLAS = "TORCH_ALLOW_TF32_CUBLAS_OVERRIDE";

  private Tf32Override() {}

  /**
   * Whether libtorch is told to run fp32 cuBLAS products as TF32 ({@value #CUBLAS} set to anything
   * but empty, 0, false or off): the matrix products themselves, not only the convolutions.
   *
   * @param environment the process's environment ({@code System.getenv()})
   */
  public static boolean productsInTf32(Map<String, String> environment) {
    String value = environment.get(CUBLAS);
    if (value == null) {
      return false;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    return !(v.isEmpty() || v.equals("0") || v.equals("false") || v.equals("off"));
  }

  /**
   * Why TF32 could be in effect on a GPU of a process with this environment, as a clause naming the
   * variable and its value; empty when it cannot ({@value #NVIDIA}=0 and no cuBLAS override).
   *
   * @param environment the process's environment ({@code System.getenv()})
   */
  public static Optional<String> reason(Map<String, String> environment) {
    if (productsInTf32(environment)) {
      return Optional.of(
          CUBLAS
              + "="
              + environment.get(CUBLAS)
              + " makes libtorch multiply fp32 as TF32 (10-bit mantissas)");
    }
    String nvidia = environment.get(NVIDIA);
    if (nvidia == null) {
      return Optional.of(
          NVIDIA + " is unset, so cuDNN may run fp32 convolutions as TF32 (10-bit mantissas)");
    }
    if (!nvidia.trim().equals("0")) {
      return Optional.of(
          NVIDIA
              + "="
              + nvidia
              + " lets cuDNN run fp32 convolutions as TF32 (10-bit mantissas); only 0 turns it"
              + " off");
    }
    return Optional.empty();
  }

  /**
   * Refuses fp32 operands on a GPU when TF32 could be in effect ({@link #reason}).
   *
   * @param environment the process's environment ({@code System.getenv()})
   * @throws IllegalArgumentException one line: the variable, its value, and how to allow the run
   */
  public static void check(Device device, Precision precision, Map<String, String> environment) {
    if (!device.isGpu() || precision != Precision.FP32) {
      return;
    }
    Optional<String> reason = reason(environment);
    if (reason.isEmpty()) {
      return;
    }
    throw new IllegalArgumentException(
        "fp32 on "
            + device
            + " is refused: "
            + reason.get()
            + ", beyond the fp32 rounding-error bound: start the JVM with "
            + NVIDIA
            + "=0"
            + (productsInTf32(environment) ? " and without " + CUBLAS : "")
            + " (the launcher ./stiffness sets it), or choose --precision fp16, whose bound holds,"
            + " or --precision tf32, whose wider bound counts TF32 products");
  }
}
