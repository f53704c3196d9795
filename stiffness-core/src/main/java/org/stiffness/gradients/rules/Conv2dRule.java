package org.stiffness.gradients.rules;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import java.util.function.Function;
import org.stiffness.gradients.LayerGradient;

/**
 * 2-D convolution (any stride, padding and dilation; one group): output pixel t is {@code W a_t +
 * b} where a_t is the input patch under the kernel (im2col), so the gradient is an outer product
 * summed over output pixels. DJL has no unfold, so patches are gathered as {@code kH * kW} strided
 * slices of the zero-padded input. The forward pass runs on the {@link ConvolutionKernel} that is
 * exact on the input's device.
 */
final class Conv2dRule implements GradientRule<Conv2d> {
  private final Function<Device, ConvolutionKernel> kernel;

  /** The kernel this process can trust on each device ({@link ConvolutionKernel#forDevice}). */
  Conv2dRule() {
    this(ConvolutionKernel::forDevice);
  }

  /** A fixed choice of kernel, for tests of both. */
  Conv2dRule(Function<Device, ConvolutionKernel> kernel) {
    this.kernel = kernel;
  }

  @Override
  public String unsupportedReason(Conv2d layer) {
    return layer.getGroups() == 1
        ? null
        : "grouped convolution (groups = " + layer.getGroups() + ")";
  }

  /**
   * The convolution with its im2col patches kept for the weight gradient. Where libtorch's
   * convolution gradients are exact ({@link ConvolutionKernel}) the output comes from libtorch and
   * the patches are taken without autograd; elsewhere the output is the patches times the weight,
   * whose gradients through slices and a matrix product are exact on any hardware.
   */
  @Override
  public LayerForward forward(Conv2d layer, ParameterStore store, NDList inputs) {
    NDArray x = inputs.singletonOrThrow();
    Shape outputShape = layer.getOutputShapes(new Shape[] {x.getShape()})[0];
    NDArray weight = store.getValue(layer.getParameters().get("weight"), x.getDevice(), false);
    NDArray bias =
        layer.isIncludeBias()
            ? store.getValue(layer.getParameters().get("bias"), x.getDevice(), false)
            : null;
    long height = outputShape.get(2);
    long width = outputShape.get(3);
    if (kernel.apply(x.getDevice()) == ConvolutionKernel.LIBTORCH) {
      NDArray output =
          Conv2d.conv2d(
                  x,
                  weight,
                  bias,
                  orOnes(layer.getStride()),
                  layer.getPadding() == null ? new Shape(0, 0) : layer.getPadding(),
                  orOnes(layer.getDilation()),
                  1)
              .singletonOrThrow();
      return new LayerForward(
          new NDList(output), new NDList(im2col(x.stopGradient(), layer, height, width)));
    }
    long batch = x.getShape().get(0);
    long filters = outputShape.get(1);
    NDArray patches = im2col(x, layer, height, width); // (B, T, C*k*k)
    NDArray y = patches.matMul(weight.reshape(filters, -1).transpose()); // (B, T, F)
    if (bias != null) {
      y = y.add(bias);
    }
    NDArray output = y.transpose(0, 2, 1).reshape(batch, filters, height, width);
    return new LayerForward(new NDList(output), new NDList(patches));
  }

  @Override
  public LayerGradient perExampleGradient(
      Conv2d layer, String path, ParameterStore store, NDList saved, NDArray outputGradient) {
    NDArray patches = saved.singletonOrThrow(); // (B, T, C*kH*kW), from the forward pass
    Shape out = outputGradient.getShape(); // (B, F, Ho, Wo)
    long batch = out.get(0);
    long positions = out.get(2) * out.get(3);
    NDArray d = outputGradient.reshape(batch, out.get(1), positions).transpose(0, 2, 1);
    return WeightAndBias.gradient(path, layer.getDirectParameters(), patches, d);
  }

  /**
   * Patches of x under the kernel, shape {@code (B, Ho*Wo, C*kH*kW)}, with the last axis in the
   * weight's {@code (C, kH, kW)} row-major order.
   */
  static NDArray im2col(NDArray x, Conv2d layer, long outHeight, long outWidth) {
    Shape kernel = layer.getKernelShape();
    Shape stride = orOnes(layer.getStride());
    Shape padding = layer.getPadding();
    Shape dilation = orOnes(layer.getDilation());
    long padH = padding == null ? 0 : padding.get(0);
    long padW = padding == null ? 0 : padding.get(1);
    NDArray padded = padH == 0 && padW == 0 ? x : x.pad(new Shape(padW, padW, padH, padH), 0);
    long batch = x.getShape().get(0);
    long channels = x.getShape().get(1);
    NDList slices = new NDList((int) (kernel.get(0) * kernel.get(1)));
    for (long ki = 0; ki < kernel.get(0); ki++) {
      for (long kj = 0; kj < kernel.get(1); kj++) {
        long top = ki * dilation.get(0);
        long left = kj * dilation.get(1);
        slices.add(
            padded.get(
                new NDIndex(
                    ":, :, {}:{}:{}, {}:{}:{}",
                    top,
                    top + stride.get(0) * (outHeight - 1) + 1,
                    stride.get(0),
                    left,
                    left + stride.get(1) * (outWidth - 1) + 1,
                    stride.get(1))));
      }
    }
    // (B, C, kH*kW, Ho, Wo) -> (B, C*kH*kW, T) -> (B, T, C*kH*kW)
    return NDArrays.stack(slices, 2)
        .reshape(batch, channels * slices.size(), outHeight * outWidth)
        .transpose(0, 2, 1);
  }

  private static Shape orOnes(Shape shape) {
    return shape == null ? new Shape(1, 1) : shape;
  }
}
