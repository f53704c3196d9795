package org.stiffness.testing;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.List;
import org.stiffness.oracle.OracleNet;
import org.stiffness.oracle.OracleNets;

/**
 * DJL twins of the oracle's networks: the same layers in the same order, so that parameters copy
 * across one to one and the float64 oracle can judge the engine.
 */
public final class PaperShapedModels {
  private PaperShapedModels() {}

  /** A DJL model with its float64 twin holding the same parameters. */
  public record Twin(Block block, OracleNet oracle, Shape exampleShape) {}

  /** in -> h1 -> h2 -> classes with ReLU. */
  public static Twin mlp(NDManager manager, int in, int h1, int h2, int classes) {
    SequentialBlock block =
        new SequentialBlock()
            .add(Linear.builder().setUnits(h1).build())
            .add(Activation::relu)
            .add(Linear.builder().setUnits(h2).build())
            .add(Activation::relu)
            .add(Linear.builder().setUnits(classes).build());
    return twin(manager, block, OracleNets.mlp(in, h1, h2, classes), new Shape(in));
  }

  /**
   * conv3x3(c1, pad 1) -> ReLU -> pool -> conv3x3(c2, pad 1) -> ReLU -> pool -> flatten -> linear.
   */
  public static Twin cnn(
      NDManager manager, int channels, int height, int width, int c1, int c2, int classes) {
    SequentialBlock block =
        new SequentialBlock()
            .add(conv(c1, 3, 1, 1, 1))
            .add(Activation::relu)
            .add(Pool.maxPool2dBlock(new Shape(2, 2)))
            .add(conv(c2, 3, 1, 1, 1))
            .add(Activation::relu)
            .add(Pool.maxPool2dBlock(new Shape(2, 2)))
            .add(Blocks.batchFlattenBlock())
            .add(Linear.builder().setUnits(classes).build());
    return twin(
        manager,
        block,
        OracleNets.cnn(channels, height, width, c1, c2, classes),
        new Shape(channels, height, width));
  }

  /** One convolution with the given stride, padding and dilation, then ReLU, flatten, linear. */
  public static Twin singleConv(
      NDManager manager,
      int channels,
      int height,
      int width,
      int filters,
      int kernel,
      int stride,
      int padding,
      int dilation,
      int classes) {
    SequentialBlock block =
        new SequentialBlock()
            .add(conv(filters, kernel, stride, padding, dilation))
            .add(Activation::relu)
            .add(Blocks.batchFlattenBlock())
            .add(Linear.builder().setUnits(classes).build());
    return twin(
        manager,
        block,
        OracleNets.singleConv(
            channels, height, width, filters, kernel, stride, padding, dilation, classes),
        new Shape(channels, height, width));
  }

  private static Conv2d conv(int filters, int kernel, int stride, int padding, int dilation) {
    return Conv2d.builder()
        .setKernelShape(new Shape(kernel, kernel))
        .setFilters(filters)
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(padding, padding))
        .optDilation(new Shape(dilation, dilation))
        .build();
  }

  private static Twin twin(NDManager manager, Block block, OracleNet oracle, Shape example) {
    block.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(example));
    List<float[]> values = new ArrayList<>();
    for (var parameter : block.getParameters()) {
      values.add(parameter.getValue().getArray().toFloatArray());
    }
    oracle.setParameters(values);
    return new Twin(block, oracle, example);
  }
}
