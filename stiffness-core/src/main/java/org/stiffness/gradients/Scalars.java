package org.stiffness.gradients;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Multiplication and division by a constant that stay exact through a backward pass.
 *
 * <p>Why not {@code x.mul(2)} or {@code x.div(Math.sqrt(d))}: on DJL 0.36's PyTorch engine these
 * wrap the number in a temporary scalar array whose storage is a Java direct buffer ({@code
 * from_blob}) and close it as soon as the product is computed. Autograd keeps that scalar for the
 * backward pass (the gradient of {@code x / c} is {@code g / c}), but the buffer behind it is freed
 * by the next garbage collection. A collection between forward and backward therefore makes the
 * backward read freed memory: gradients silently wrong, zero or NaN, depending on when the JVM
 * collects (found as a tiny BERT diverging "at random" under surefire; {@code ScalarsTest} forces
 * the collection). The scalars made here are copied into memory that libtorch owns, so the autograd
 * graph keeps them alive for as long as it needs them.
 *
 * <p>Use these in the forward pass of any block whose gradients are taken; outside autograd (Gram
 * products, statistics) the plain {@code NDArray} number overloads are fine.
 */
public final class Scalars {
  private Scalars() {}

  /** {@code x * c} with {@code c} held by libtorch, safe to differentiate. */
  public static NDArray mul(NDArray x, double c) {
    try (NDArray scalar = like(x, c)) {
      return x.mul(scalar);
    }
  }

  /** {@code x / c} with {@code c} held by libtorch, safe to differentiate. */
  public static NDArray div(NDArray x, double c) {
    try (NDArray scalar = like(x, c)) {
      return x.div(scalar);
    }
  }

  /**
   * A 0-d array holding {@code c} in {@code x}'s type, on its device, whose storage belongs to the
   * engine rather than to a Java buffer (closing the handle leaves the storage to whoever still
   * references it).
   */
  public static NDArray like(NDArray x, double c) {
    NDManager manager = x.getManager();
    if (x.getDataType() == DataType.FLOAT32) {
      // Filled where x lives (torch::full): no host buffer and no copy to the device per call,
      // which on a GPU would be a host-to-device transfer in every forward pass.
      return manager.full(new Shape(), (float) c, DataType.FLOAT32, x.getDevice());
    }
    // create(double) is backed by a direct buffer; duplicate() copies it into engine memory.
    NDArray blob = manager.create(c);
    NDArray typed = blob.toType(x.getDataType(), false);
    NDArray onDevice = typed.toDevice(x.getDevice(), false);
    NDArray owned = onDevice.duplicate();
    closeDistinct(blob, typed, onDevice);
    return owned;
  }

  private static void closeDistinct(NDArray blob, NDArray typed, NDArray onDevice) {
    if (onDevice != typed && onDevice != blob) {
      onDevice.close();
    }
    if (typed != blob) {
      typed.close();
    }
    blob.close();
  }
}
