package org.stiffness.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Hand-computed forward values that pin the layer semantics and parameter layouts to DJL's. Finite
 * differences cannot catch these: a transposed weight or a flipped kernel is still differentiated
 * consistently.
 */
class OracleLayerForwardTest {
  private static final double EXACT = 0.0;

  /** Input {@code (1, 3, 3)} holding 1..9 row-major. */
  private static final double[] ONE_TO_NINE = {1, 2, 3, 4, 5, 6, 7, 8, 9};

  /** Kernel {@code (1, 1, 2, 2)} = [[1, 2], [3, 4]]. */
  private static final double[] KERNEL_1234 = {1, 2, 3, 4};

  private static Conv2dLayer conv(
      int[] inputShape, int outChannels, int k, int stride, int padding, int dilation) {
    return new Conv2dLayer(inputShape, outChannels, k, k, stride, padding, dilation);
  }

  @Test
  void linearWeightIsOutByInRowMajor() {
    LinearLayer linear = new LinearLayer(3, 2);
    System.arraycopy(new double[] {1, 2, 3, 4, 5, 6}, 0, linear.parameters().get(0), 0, 6);
    System.arraycopy(new double[] {10, 20}, 0, linear.parameters().get(1), 0, 2);
    // Row o of W is W[o*in .. o*in+in): y0 = 10 + 1 - 3, y1 = 20 + 4 - 6. Reading W as (in, out)
    // would give y0 = 1 - 5 = -4.
    assertArrayEquals(new double[] {8, 18}, linear.forward(new double[] {1, 0, -1}), EXACT);
  }

  @Test
  void convIsUnflippedCrossCorrelation() {
    Conv2dLayer c = conv(new int[] {1, 3, 3}, 1, 2, 1, 0, 1);
    System.arraycopy(KERNEL_1234, 0, c.parameters().get(0), 0, 4);
    // y(0,0) = 1*1 + 2*2 + 3*4 + 4*5; a flipped kernel would give 4*1 + 3*2 + 2*4 + 1*5 = 23.
    assertArrayEquals(new double[] {37, 47, 67, 77}, c.forward(ONE_TO_NINE), EXACT);
  }

  @Test
  void convZeroPadsSymmetricallyAndStrides() {
    Conv2dLayer c = conv(new int[] {1, 3, 3}, 1, 2, 2, 1, 1);
    System.arraycopy(KERNEL_1234, 0, c.parameters().get(0), 0, 4);
    // (3 + 2 - 1 - 1) / 2 + 1 = 2. Windows start at (-1, -1), (-1, 1), (1, -1), (1, 1):
    // y(0,0) = 4*1; y(0,1) = 3*2 + 4*3; y(1,0) = 2*4 + 4*7; y(1,1) = 1*5 + 2*6 + 3*8 + 4*9.
    assertArrayEquals(new int[] {1, 2, 2}, c.outputShape());
    assertArrayEquals(new double[] {4, 18, 36, 77}, c.forward(ONE_TO_NINE), EXACT);
  }

  @Test
  void convDilationSpreadsTapsAndBiasIsAdded() {
    Conv2dLayer c = conv(new int[] {1, 3, 3}, 1, 2, 1, 0, 2);
    System.arraycopy(KERNEL_1234, 0, c.parameters().get(0), 0, 4);
    c.parameters().get(1)[0] = 0.5;
    // Dilation 2 taps the corners: 1*1 + 2*3 + 3*7 + 4*9 + 0.5.
    assertArrayEquals(new int[] {1, 1, 1}, c.outputShape());
    assertArrayEquals(new double[] {64.5}, c.forward(ONE_TO_NINE), EXACT);
  }

  @Test
  void convWeightIsOutChannelsByInChannels() {
    Conv2dLayer c = conv(new int[] {2, 1, 1}, 2, 1, 1, 0, 1);
    // weight (out=2, in=2, 1, 1) = [[1, 2], [3, 4]]: y0 = 1*x0 + 2*x1, y1 = 3*x0 + 4*x1.
    System.arraycopy(new double[] {1, 2, 3, 4}, 0, c.parameters().get(0), 0, 4);
    assertArrayEquals(new double[] {21, 43}, c.forward(new double[] {1, 10}), EXACT);
  }

  @Test
  void convOutputSizeFollowsPyTorchFormula() {
    // floor((H + 2p - d(k-1) - 1) / s) + 1
    assertArrayEquals(
        new int[] {3, 4, 4}, conv(new int[] {2, 12, 12}, 3, 3, 2, 0, 2).outputShape());
    assertArrayEquals(
        new int[] {3, 5, 5}, conv(new int[] {2, 13, 13}, 3, 3, 2, 0, 2).outputShape());
    assertArrayEquals(
        new int[] {3, 4, 3}, new Conv2dLayer(new int[] {2, 7, 8}, 3, 2, 3, 2, 1, 2).outputShape());
    assertThrows(IllegalArgumentException.class, () -> conv(new int[] {1, 4, 4}, 1, 3, 1, 0, 2));
  }

  @Test
  void maxPoolTakesWindowMaximumAndDropsOddEdge() {
    MaxPool2x2Layer pool = new MaxPool2x2Layer(new int[] {1, 3, 5});
    double[] x = {
      1, 9, 2, 3, 100, //
      4, 5, 8, 7, 100, //
      100, 100, 100, 100, 100
    };
    // The last row and column are outside every 2x2 window (floor), so the 100s never win.
    assertArrayEquals(new int[] {1, 1, 2}, pool.outputShape());
    assertArrayEquals(new double[] {9, 8}, pool.forward(x), EXACT);
    double[] dx = pool.backward(x, new double[] {1.5, -2}, new double[0], 0);
    double[] expected = new double[15];
    expected[1] = 1.5;
    expected[7] = -2;
    assertArrayEquals(expected, dx, EXACT);
  }

  @Test
  void reluZeroesNegativesAndTheirGradient() {
    ReluLayer relu = new ReluLayer(new int[] {3});
    double[] x = {-1, 0.5, 2};
    assertArrayEquals(new double[] {0, 0.5, 2}, relu.forward(x), EXACT);
    assertArrayEquals(
        new double[] {0, 3, 4}, relu.backward(x, new double[] {7, 3, 4}, new double[0], 0), EXACT);
  }

  @Test
  void flattenKeepsChannelRowColumnOrder() {
    OracleNet net = OracleNet.builder(2, 1, 2).flatten().linear(1).build();
    net.setParameter(0, new float[] {1, 10, 100, 1000});
    // (c, h, w) = (0,0,0), (0,0,1), (1,0,0), (1,0,1) map to features 0..3.
    assertArrayEquals(new double[] {4321}, net.logits(new double[] {1, 2, 3, 4}), EXACT);
  }
}
