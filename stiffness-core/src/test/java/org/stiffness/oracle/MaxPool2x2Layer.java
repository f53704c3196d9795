package org.stiffness.oracle;

/**
 * Max pooling over 2x2 windows with stride 2, no padding: {@code (C, H, W) -> (C, floor(H/2),
 * floor(W/2))}; an odd last row or column is dropped, as in PyTorch with {@code ceil_mode=false}.
 *
 * <p>The gradient goes to the first maximal element of a window in row-major order (PyTorch's tie
 * rule). Ties only matter for finite differences, which must avoid them.
 */
public final class MaxPool2x2Layer implements OracleLayer {
  private final int channels;
  private final int inH;
  private final int inW;
  private final int outH;
  private final int outW;

  /**
   * @param inputShape {@code (C, H, W)} of one example, with {@code H, W >= 2}
   */
  public MaxPool2x2Layer(int[] inputShape) {
    if (inputShape.length != 3 || inputShape[1] < 2 || inputShape[2] < 2) {
      throw new IllegalArgumentException("MaxPool2x2 needs a (C, H>=2, W>=2) input");
    }
    this.channels = inputShape[0];
    this.inH = inputShape[1];
    this.inW = inputShape[2];
    this.outH = inH / 2;
    this.outW = inW / 2;
  }

  @Override
  public int[] inputShape() {
    return new int[] {channels, inH, inW};
  }

  @Override
  public int[] outputShape() {
    return new int[] {channels, outH, outW};
  }

  /** Flat input index of the (first) maximum of window {@code (c, oh, ow)}. */
  int argmax(double[] x, int c, int oh, int ow) {
    int best = -1;
    for (int dh = 0; dh < 2; dh++) {
      for (int dw = 0; dw < 2; dw++) {
        int i = (c * inH + 2 * oh + dh) * inW + 2 * ow + dw;
        if (best < 0 || x[i] > x[best]) {
          best = i;
        }
      }
    }
    return best;
  }

  /**
   * Smallest gap, over all windows, between the largest and the second largest element; a
   * perturbation smaller than half of it cannot change which element wins.
   *
   * @param ignoreZeroWinners skip windows whose maximum is exactly 0 (dead ReLU units)
   */
  double minimumGap(double[] x, boolean ignoreZeroWinners) {
    double gap = Double.POSITIVE_INFINITY;
    for (int c = 0; c < channels; c++) {
      for (int oh = 0; oh < outH; oh++) {
        for (int ow = 0; ow < outW; ow++) {
          double first = Double.NEGATIVE_INFINITY;
          double second = Double.NEGATIVE_INFINITY;
          for (int dh = 0; dh < 2; dh++) {
            for (int dw = 0; dw < 2; dw++) {
              double v = x[(c * inH + 2 * oh + dh) * inW + 2 * ow + dw];
              if (v > first) {
                second = first;
                first = v;
              } else if (v > second) {
                second = v;
              }
            }
          }
          if (!(ignoreZeroWinners && first == 0.0)) {
            gap = Math.min(gap, first - second);
          }
        }
      }
    }
    return gap;
  }

  @Override
  public double[] forward(double[] x) {
    double[] y = new double[channels * outH * outW];
    for (int c = 0; c < channels; c++) {
      for (int oh = 0; oh < outH; oh++) {
        for (int ow = 0; ow < outW; ow++) {
          y[(c * outH + oh) * outW + ow] = x[argmax(x, c, oh, ow)];
        }
      }
    }
    return y;
  }

  @Override
  public double[] backward(double[] x, double[] dy, double[] grad, int offset) {
    double[] dx = new double[x.length];
    for (int c = 0; c < channels; c++) {
      for (int oh = 0; oh < outH; oh++) {
        for (int ow = 0; ow < outW; ow++) {
          dx[argmax(x, c, oh, ow)] += dy[(c * outH + oh) * outW + ow];
        }
      }
    }
    return dx;
  }
}
