package org.stiffness.gram.internal;

import ai.djl.Device;
import java.util.Locale;
import java.util.Map;
import org.stiffness.gram.Precision;

/**
 * Refuses fp32 products on a GPU when PyTorch is told to run them as TF32: with {@code
 * TORCH_ALLOW_TF32_CUBLAS_OVERRIDE} set, libtorch's cuBLAS calls round fp32 operands to TF32's
 * 10-bit mantissa, silently, whatever the caller asked. The products would then be far less exact
 * than the fp32 rounding-error bound says, and signs counted as certain could be wrong. fp16
 * products are not affected (their bound already assumes 11-bit operands).
 */
public final class Tf32Override {
  /** The environment variable PyTorch reads. */
  public static final String VARIABLE = "TORCH_ALLOW_TF32_CUBLAS_OVERRIDE";

  private Tf32Override() {}

  /**
   * Whether the environment tells libtorch to run fp32 GPU products as TF32 (the variable set to
   * anything but empty, 0, false or off).
   *
   * @param environment the process's environment ({@code System.getenv()})
   */
  public static boolean requested(Map<String, String> environment) {
    String value = environment.get(VARIABLE);
    if (value == null) {
      return false;
    }
    String v = value.trim().toLowerCase(Locale.ROOT);
    return !(v.isEmpty() || v.equals("0") || v.equals("false") || v.equals("off"));
  }

  /**
   * @param environment the process's environment ({@code System.getenv()})
   * @throws IllegalArgumentException naming the variable, its value and what to do
   */
  public static void check(Device device, Precision precision, Map<String, String> environment) {
    if (!device.isGpu() || precision != Precision.FP32) {
      return;
    }
    if (!requested(environment)) {
      return;
    }
    String value = environment.get(VARIABLE);
    throw new IllegalArgumentException(
        VARIABLE
            + "="
            + value
            + " makes libtorch multiply fp32 as TF32 (10-bit mantissas), beyond the fp32"
            + " rounding-error bound: unset it, or choose --precision fp16, whose bound holds");
  }
}
