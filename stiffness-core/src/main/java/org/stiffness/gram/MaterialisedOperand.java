package org.stiffness.gram;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/** Dense per-example gradients G (B, P_l): the tile is {@code G_I G_J^T}. */
final class MaterialisedOperand extends LayerOperand {
  private final NDArray gradients;

  private MaterialisedOperand(NDArray gradients, NDArray scale, NDArray errorScale) {
    super(scale, errorScale);
    this.gradients = gradients;
  }

  static MaterialisedOperand of(NDArray gradients, Precision precision) {
    NDArray norms = exampleNorms(gradients);
    if (precision == Precision.FP32) {
      return new MaterialisedOperand(gradients, null, norms);
    }
    return new MaterialisedOperand(precision.operand(unitRows(gradients, norms)), norms, norms);
  }

  @Override
  NDArray unscaledGram(LayerOperand other) {
    return Precision.product(gradients, ((MaterialisedOperand) other).gradients);
  }

  @Override
  NDArray unscaledSquaredNorms() {
    return gradients
        .toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
        .square()
        .sum(new int[] {1});
  }

  @Override
  long bytes() {
    return bytesOf(gradients) + bytesOf(scale) + bytesOf(errorScale);
  }

  @Override
  long workspaceFloatsPerPair() {
    return 1;
  }

  @Override
  long innerLength() {
    return gradients.getShape().get(1);
  }

  @Override
  LayerOperand concat(java.util.List<LayerOperand> rest) {
    return new MaterialisedOperand(
        joined(gradients, rest, (MaterialisedOperand o) -> o.gradients),
        joined(scale, rest, (MaterialisedOperand o) -> o.scale),
        joined(errorScale, rest, (MaterialisedOperand o) -> o.errorScale));
  }

  @Override
  void attach(NDManager manager) {
    gradients.attach(manager);
    errorScale.attach(manager);
    if (scale != null) {
      scale.attach(manager);
    }
  }
}
