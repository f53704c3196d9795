package org.stiffness.oracle;

import java.util.Arrays;
import java.util.List;

/**
 * 2-D cross-correlation (PyTorch/DJL "convolution", kernel not flipped), groups = 1, with DJL's
 * layout: weight {@code (outChannels, inChannels, kH, kW)} row-major, bias {@code (outChannels)}.
 *
 * <p>Input {@code (C, H, W)}, output {@code (outChannels, outH, outW)} with {@code outH = floor((H
 * + 2p - d(kH - 1) - 1) / s) + 1} (same for W); zero padding {@code p} on every side, stride {@code
 * s} and dilation {@code d} are the same along both spatial axes.
 */
public final class Conv2dLayer implements OracleLayer {
  private final int inChannels;
  private final int inH;
  private final int inW;
  private final int outChannels;
  private final int kH;
  private final int kW;
  private final int stride;
  private final int padding;
  private final int dilation;
  private final int outH;
  private final int outW;
  private final double[] weight;
  private final double[] bias;

  /**
   * A layer with all parameters zero; see {@link OracleNet#randomize}.
   *
   * @param inputShape {@code (C, H, W)} of one example
   */
  public Conv2dLayer(
      int[] inputShape, int outChannels, int kH, int kW, int stride, int padding, int dilation) {
    if (inputShape.length != 3) {
      throw new IllegalArgumentException(
          "Conv2d needs a (C, H, W) input, got rank " + inputShape.length);
    }
    if (outChannels <= 0 || kH <= 0 || kW <= 0 || stride <= 0 || padding < 0 || dilation <= 0) {
      throw new IllegalArgumentException("invalid Conv2d hyper-parameters");
    }
    this.inChannels = inputShape[0];
    this.inH = inputShape[1];
    this.inW = inputShape[2];
    this.outChannels = outChannels;
    this.kH = kH;
    this.kW = kW;
    this.stride = stride;
    this.padding = padding;
    this.dilation = dilation;
    this.outH = outputSize(inH, kH, stride, padding, dilation);
    this.outW = outputSize(inW, kW, stride, padding, dilation);
    if (outH <= 0 || outW <= 0) {
      throw new IllegalArgumentException(
          "Conv2d output would be empty for input " + inH + "x" + inW);
    }
    this.weight = new double[OracleLayer.size(outChannels, inChannels, kH, kW)];
    this.bias = new double[outChannels];
  }

  /** {@code floor((n + 2p - d(k - 1) - 1) / s) + 1}, as in PyTorch's Conv2d documentation. */
  static int outputSize(int n, int k, int stride, int padding, int dilation) {
    int span = n + 2 * padding - dilation * (k - 1) - 1;
    // Math.floorDiv: a negative span must give an empty output, not round up to 1.
    return Math.floorDiv(span, stride) + 1;
  }

  @Override
  public int[] inputShape() {
    return new int[] {inChannels, inH, inW};
  }

  @Override
  public int[] outputShape() {
    return new int[] {outChannels, outH, outW};
  }

  @Override
  public List<double[]> parameters() {
    return List.of(weight, bias);
  }

  @Override
  public List<int[]> parameterShapes() {
    return List.of(new int[] {outChannels, inChannels, kH, kW}, new int[] {outChannels});
  }

  private int weightIndex(int o, int c, int kh, int kw) {
    return ((o * inChannels + c) * kH + kh) * kW + kw;
  }

  private int inputIndex(int c, int ih, int iw) {
    return (c * inH + ih) * inW + iw;
  }

  private int outputIndex(int o, int oh, int ow) {
    return (o * outH + oh) * outW + ow;
  }

  @Override
  public double[] forward(double[] x) {
    double[] y = new double[outChannels * outH * outW];
    for (int o = 0; o < outChannels; o++) {
      for (int oh = 0; oh < outH; oh++) {
        for (int ow = 0; ow < outW; ow++) {
          double s = bias[o];
          for (int c = 0; c < inChannels; c++) {
            for (int kh = 0; kh < kH; kh++) {
              int ih = oh * stride - padding + kh * dilation;
              if (ih < 0 || ih >= inH) {
                continue; // zero padding contributes nothing
              }
              for (int kw = 0; kw < kW; kw++) {
                int iw = ow * stride - padding + kw * dilation;
                if (iw < 0 || iw >= inW) {
                  continue;
                }
                s += weight[weightIndex(o, c, kh, kw)] * x[inputIndex(c, ih, iw)];
              }
            }
          }
          y[outputIndex(o, oh, ow)] = s;
        }
      }
    }
    return y;
  }

  @Override
  public double[] backward(double[] x, double[] dy, double[] grad, int offset) {
    // Every (output position, tap) pair of the forward loop contributes w*x; its derivative
    // sends dy*x to the weight and dy*w to the input. Padded taps were skipped in forward and
    // are skipped here, which is exactly the zero-padding derivative.
    int biasOffset = offset + weight.length;
    Arrays.fill(grad, offset, biasOffset + outChannels, 0.0);
    double[] dx = new double[x.length];
    for (int o = 0; o < outChannels; o++) {
      for (int oh = 0; oh < outH; oh++) {
        for (int ow = 0; ow < outW; ow++) {
          double g = dy[outputIndex(o, oh, ow)];
          grad[biasOffset + o] += g;
          for (int c = 0; c < inChannels; c++) {
            for (int kh = 0; kh < kH; kh++) {
              int ih = oh * stride - padding + kh * dilation;
              if (ih < 0 || ih >= inH) {
                continue;
              }
              for (int kw = 0; kw < kW; kw++) {
                int iw = ow * stride - padding + kw * dilation;
                if (iw < 0 || iw >= inW) {
                  continue;
                }
                int wi = weightIndex(o, c, kh, kw);
                int xi = inputIndex(c, ih, iw);
                grad[offset + wi] += g * x[xi];
                dx[xi] += g * weight[wi];
              }
            }
          }
        }
      }
    }
    return dx;
  }
}
