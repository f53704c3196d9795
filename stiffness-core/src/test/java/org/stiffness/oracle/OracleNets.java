package org.stiffness.oracle;

/**
 * The networks the project tests with, built as {@link OracleNet}s with zero parameters: copy DJL's
 * values in with {@link OracleNet#setParameters} or call {@link OracleNet#randomize}. The layer
 * order is the one the matching DJL {@code SequentialBlock} must have for the parameter layouts to
 * line up.
 */
public final class OracleNets {
  private OracleNets() {}

  /**
   * {@code Linear(in, h1) -> ReLU -> Linear(h1, h2) -> ReLU -> Linear(h2, classes)}; layers 0..4,
   * parameter tensors {@code W1 (h1, in), b1, W2 (h2, h1), b2, W3 (classes, h2), b3}.
   */
  public static OracleNet mlp(int in, int h1, int h2, int classes) {
    return OracleNet.builder(in).linear(h1).relu().linear(h2).relu().linear(classes).build();
  }

  /**
   * {@code Conv(c1, 3x3, pad 1) -> ReLU -> MaxPool2 -> Conv(c2, 3x3, pad 1) -> ReLU -> MaxPool2 ->
   * Flatten -> Linear(c2 * floor(floor(H/2)/2) * floor(floor(W/2)/2), classes)}; layers 0..7,
   * parameter tensors {@code K1 (c1, C, 3, 3), b1, K2 (c2, c1, 3, 3), b2, W (classes, features),
   * b}.
   *
   * @param channels C of the {@code (C, H, W)} input
   */
  public static OracleNet cnn(int channels, int height, int width, int c1, int c2, int classes) {
    return OracleNet.builder(channels, height, width)
        .conv2d(c1, 3, 1, 1, 1)
        .relu()
        .maxPool2x2()
        .conv2d(c2, 3, 1, 1, 1)
        .relu()
        .maxPool2x2()
        .flatten()
        .linear(classes)
        .build();
  }

  /**
   * One convolution with non-default hyper-parameters followed by a classifier head: {@code
   * Conv(outChannels, k x k, stride, padding, dilation) -> ReLU -> Flatten -> Linear(classes)}. For
   * edge cases such as stride 2, dilation 2, no padding.
   */
  public static OracleNet singleConv(
      int channels,
      int height,
      int width,
      int outChannels,
      int kernel,
      int stride,
      int padding,
      int dilation,
      int classes) {
    return OracleNet.builder(channels, height, width)
        .conv2d(outChannels, kernel, stride, padding, dilation)
        .relu()
        .flatten()
        .linear(classes)
        .build();
  }
}
