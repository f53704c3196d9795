package org.stiffness.gram.internal;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import org.stiffness.gram.Precision;

/**
 * The operands and products of a {@link Precision}: products are always fp32 products of the
 * (rounded) operands, so the rounding-error bound of {@link Precision#relativeError} holds on every
 * device.
 */
final class Products {
  private Products() {}

  /** The operand as it enters a product: rounded (and on GPUs stored) at {@code precision}. */
  static NDArray operand(Precision precision, NDArray array) {
    if (!precision.roundsOperands()) {
      return array;
    }
    NDArray half = array.toType(DataType.FLOAT16, false);
    return runsNatively(array.getDevice()) ? half : half.toType(DataType.FLOAT32, false);
  }

  /** {@code x y^T}, an fp32 product, from operands made by {@link #operand}. */
  static NDArray product(NDArray x, NDArray y) {
    return fp32(x).matMul(fp32(y).transpose());
  }

  /** Batched {@code x_b y_b^T}, fp32 products. */
  static NDArray batchProduct(NDArray x, NDArray y) {
    return fp32(x).batchMatMul(fp32(y).transpose(0, 2, 1));
  }

  /** An fp16 operand as the fp32 array of the same numbers (exact: fp32 holds every fp16). */
  private static NDArray fp32(NDArray operand) {
    return operand.getDataType() == DataType.FLOAT32
        ? operand
        : operand.toType(DataType.FLOAT32, false);
  }

  /**
   * Bytes of the fp32 copies {@link #product} makes of an operand stored in fp16: twice its size.
   */
  static long conversionBytes(NDArray operand) {
    return operand.getDataType() == DataType.FLOAT16 ? 2 * LayerOperand.bytesOf(operand) : 0;
  }

  private static boolean runsNatively(Device device) {
    return Device.Type.GPU.equals(device.getDeviceType());
  }
}
