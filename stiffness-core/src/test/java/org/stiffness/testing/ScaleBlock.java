package org.stiffness.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.util.PairList;

/** {@code y = x * s} with a trainable vector s: a parametrised layer no gradient rule knows. */
public final class ScaleBlock extends AbstractBlock {
  private final Parameter scale;

  public ScaleBlock() {
    scale =
        addParameter(
            Parameter.builder()
                .setName("scale")
                .setType(Parameter.Type.WEIGHT)
                .optInitializer(new ConstantInitializer(0.7f))
                .build());
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    return new NDList(x.mul(store.getValue(scale, x.getDevice(), training)));
  }

  @Override
  public void prepare(Shape[] inputShapes) {
    scale.setShape(inputShapes[0].slice(1));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return inputShapes;
  }
}
