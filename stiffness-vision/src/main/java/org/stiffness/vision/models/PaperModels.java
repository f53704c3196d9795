package org.stiffness.vision.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * The vision models of S. Fort, P. K. Nowak, S. Jastrzebski, S. Narayanan, "Stiffness: A New
 * Perspective on Generalization in Neural Networks" (arXiv:1901.09491, v3 2020), Section 4.
 *
 * <p>Every model is a {@link SequentialBlock} of {@link Linear}, {@link Conv2d}, ReLU, max pooling
 * and flatten blocks only: each trainable layer has a per-example gradient rule, so the engine
 * takes the batched probe path for them. The blocks are returned uninitialised; call {@code
 * initialize(manager, DataType.FLOAT32, new Shape(1, ...exampleShape))}.
 */
public final class PaperModels {
  /** Hidden widths of the paper's fully connected network. */
  private static final int[] FC_HIDDEN = {500, 300, 100};

  /** Channels of the paper's three 3x3 convolutions. */
  private static final int[] CNN_CHANNELS = {16, 32, 32};

  private PaperModels() {}

  /**
   * The paper's fully connected ReLU network {@code X -> 500 -> 300 -> 100 -> classes}. Any input
   * {@code (N, ...)} is flattened to {@code (N, d)} first; the output is logits {@code (N,
   * classes)}.
   */
  public static SequentialBlock fullyConnected(int classes) {
    requireClasses(classes);
    SequentialBlock block = new SequentialBlock().add(Blocks.batchFlattenBlock());
    for (int width : FC_HIDDEN) {
      block.add(Linear.builder().setUnits(width).build()).add(Activation::relu);
    }
    return block.add(Linear.builder().setUnits(classes).build());
  }

  /**
   * The paper's CNN: three 3x3 convolutions (padding 1) with 16, 32 and 32 channels, each followed
   * by ReLU and 2x2 max pooling, then flatten and one dense layer. Input {@code (N, C, H, W)},
   * output logits {@code (N, classes)}; on 1x28x28 the spatial size goes 28 -> 14 -> 7 -> 3 and the
   * dense layer sees 32 * 3 * 3 = 288 features.
   */
  public static SequentialBlock cnn(int classes) {
    requireClasses(classes);
    SequentialBlock block = new SequentialBlock();
    for (int channels : CNN_CHANNELS) {
      block
          .add(
              Conv2d.builder()
                  .setKernelShape(new Shape(3, 3))
                  .setFilters(channels)
                  .optPadding(new Shape(1, 1))
                  .build())
          .add(Activation::relu)
          .add(Pool.maxPool2dBlock(new Shape(2, 2)));
    }
    return block.add(Blocks.batchFlattenBlock()).add(Linear.builder().setUnits(classes).build());
  }

  /**
   * ResNet20 v1 for CIFAR (He et al. 2016) without batch normalisation, as in the paper: a 3x3
   * convolution with 16 channels and ReLU, three stages of three {@link ResidualBlock}s with 16, 32
   * and 64 channels (the first block of stages 2 and 3 halves the resolution, with a 1x1 projection
   * shortcut), global average pooling and one dense layer. Input {@code (N, C, H, W)}, output
   * logits {@code (N, classes)}.
   */
  public static SequentialBlock resnet20(int classes) {
    requireClasses(classes);
    SequentialBlock block =
        new SequentialBlock()
            .add(
                Conv2d.builder()
                    .setKernelShape(new Shape(3, 3))
                    .setFilters(16)
                    .optPadding(new Shape(1, 1))
                    .build())
            .add(Activation::relu);
    int[] widths = {16, 32, 64};
    for (int stage = 0; stage < widths.length; stage++) {
      for (int unit = 0; unit < 3; unit++) {
        boolean downsample = stage > 0 && unit == 0;
        block.add(new ResidualBlock(widths[stage], downsample ? 2 : 1, downsample));
      }
    }
    return block
        .add(Pool.globalAvgPool2dBlock())
        .add(Blocks.batchFlattenBlock())
        .add(Linear.builder().setUnits(classes).build());
  }

  private static void requireClasses(int classes) {
    if (classes < 2) {
      throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
    }
  }
}
