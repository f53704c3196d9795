package org.stiffness.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

/**
 * Loads values into a model's existing parameter arrays, in place, so that the block keeps the
 * arrays it holds.
 *
 * <p>Why not {@code NDArray.set(Buffer)} or {@code set(float[])}: DJL 0.36's PyTorch engine runs
 * that copy (JNI {@code torchSet}) under libtorch's deprecated {@code AutoNonVariableTypeMode}, and
 * libtorch 2.7.1 then prints a long "AutoNonVariableTypeMode is deprecated" warning on the user's
 * terminal (once per process, at the first checkpoint loaded), about an internal detail of DJL the
 * user can do nothing about. Assigning the whole array through an index copies the same values
 * without that mode.
 */
public final class ParameterValues {
  private static final NDIndex WHOLE = new NDIndex("...");

  private ParameterValues() {}

  /**
   * Copies {@code values} into {@code target}, converted to the target's data type and device.
   *
   * @param target a parameter's array; its shape, type, device and manager stay as they are
   * @param values the new values, of exactly the target's shape (no broadcasting)
   * @throws IllegalArgumentException naming the parameter when the shapes differ
   */
  public static void overwrite(NDArray target, NDArray values) {
    if (!target.getShape().equals(values.getShape())) {
      throw new IllegalArgumentException(
          "parameter "
              + target.getName()
              + " has shape "
              + target.getShape()
              + ", the values to load have shape "
              + values.getShape());
    }
    NDArray typed = values.toType(target.getDataType(), false);
    NDArray moved = typed.toDevice(target.getDevice(), false);
    try {
      target.set(WHOLE, moved);
    } finally {
      if (moved != typed) {
        moved.close();
      }
      if (typed != values) {
        typed.close();
      }
    }
  }
}
