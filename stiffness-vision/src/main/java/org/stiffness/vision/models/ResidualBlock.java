package org.stiffness.vision.models;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import org.stiffness.gradients.ProbeTraversable;
import org.stiffness.gradients.ProbedForward;

/**
 * The basic residual block of ResNet v1 without batch normalisation: {@code relu(shortcut(x) +
 * conv(relu(conv(x))))}, two 3x3 convolutions, the first with the block's stride; the shortcut is
 * the identity, or a 1x1 convolution with that stride when the shape changes (He et al. 2016, as in
 * the paper's ResNet20v1 with batch norm removed).
 *
 * <p>Implements {@link ProbeTraversable} so that the stiffness engine puts probes on its
 * convolutions and keeps the batched per-example gradient path.
 */
public final class ResidualBlock extends AbstractBlock implements ProbeTraversable {
  private final Block first;
  private final Block second;
  private final Block projection;

  /**
   * @param filters output channels
   * @param stride stride of the first convolution (and of the projection)
   * @param project whether the shortcut is a 1x1 projection instead of the identity
   */
  public ResidualBlock(int filters, int stride, boolean project) {
    first = addChildBlock("conv1", conv(filters, 3, stride, 1));
    second = addChildBlock("conv2", conv(filters, 3, 1, 1));
    projection = project ? addChildBlock("shortcut", conv(filters, 1, stride, 0)) : null;
  }

  private static Conv2d conv(int filters, int kernel, int stride, int padding) {
    return Conv2d.builder()
        .setKernelShape(new Shape(kernel, kernel))
        .setFilters(filters)
        .optStride(new Shape(stride, stride))
        .optPadding(new Shape(padding, padding))
        .build();
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDList residual =
        second.forward(
            store, Activation.relu(first.forward(store, inputs, training, params)), training);
    NDList shortcut =
        projection == null ? inputs : projection.forward(store, inputs, training, params);
    return Activation.relu(new NDList(residual.head().add(shortcut.head())));
  }

  @Override
  public NDList forward(ProbedForward forward, String path, NDList inputs) {
    NDList hidden =
        Activation.relu(forward.forward(first, ProbedForward.join(path, "conv1"), inputs));
    NDList residual = forward.forward(second, ProbedForward.join(path, "conv2"), hidden);
    NDList shortcut =
        projection == null
            ? inputs
            : forward.forward(projection, ProbedForward.join(path, "shortcut"), inputs);
    return Activation.relu(new NDList(residual.head().add(shortcut.head())));
  }

  @Override
  protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
    first.initialize(manager, dataType, inputShapes);
    Shape[] hidden = first.getOutputShapes(inputShapes);
    second.initialize(manager, dataType, hidden);
    if (projection != null) {
      projection.initialize(manager, dataType, inputShapes);
    }
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return second.getOutputShapes(first.getOutputShapes(inputShapes));
  }
}
