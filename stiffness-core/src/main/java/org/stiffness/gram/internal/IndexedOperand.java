package org.stiffness.gram.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import java.util.List;
import org.stiffness.gradients.IndexedRowGradient;
import org.stiffness.gram.Precision;

/**
 * Embedding gradients kept as (ids, d): {@code K[i,j] = sum_{s,t} [id_is = id_jt] (d_is . d_jt)},
 * the factorised Gram with one-hot inputs, whose dot products are just id equality.
 */
final class IndexedOperand extends LayerOperand {
  private final NDArray indices; // (B, T)
  private final NDArray outputGradients; // (B, T, width)

  private IndexedOperand(
      NDArray indices, NDArray outputGradients, NDArray scale, NDArray errorScale) {
    super(scale, errorScale);
    this.indices = indices;
    this.outputGradients = outputGradients;
  }

  static IndexedOperand of(IndexedRowGradient gradient, Precision precision) {
    NDArray d = gradient.outputGradients().toType(DataType.FLOAT32, false);
    NDArray errorScale = d.norm(new int[] {2}).sum(new int[] {1});
    if (!precision.roundsOperands()) {
      return new IndexedOperand(gradient.indices(), d, null, errorScale);
    }
    NDArray norms = exampleNorms(d);
    return new IndexedOperand(
        gradient.indices(), Products.operand(precision, unitRows(d, norms)), norms, errorScale);
  }

  @Override
  NDArray unscaledGram(LayerOperand other) {
    IndexedOperand o = (IndexedOperand) other;
    long rows = indices.getShape().get(0);
    long cols = o.indices.getShape().get(0);
    long positions = indices.getShape().get(1);
    long otherPositions = o.indices.getShape().get(1);
    NDArray same =
        indices.reshape(-1, 1).eq(o.indices.reshape(1, -1)).toType(DataType.FLOAT32, false);
    NDArray dd = Products.product(flatten(outputGradients), flatten(o.outputGradients));
    return dd.muli(same).reshape(rows, positions, cols, otherPositions).sum(new int[] {1, 3});
  }

  @Override
  NDArray unscaledSquaredNorms() {
    long positions = indices.getShape().get(1);
    NDArray same =
        indices
            .reshape(-1, positions, 1)
            .eq(indices.reshape(-1, 1, positions))
            .toType(DataType.FLOAT32, false);
    return Products.batchProduct(outputGradients, outputGradients).muli(same).sum(new int[] {1, 2});
  }

  private static NDArray flatten(NDArray array) {
    return array.reshape(-1, array.getShape().get(2));
  }

  @Override
  long bytes() {
    return bytesOf(indices) + bytesOf(outputGradients) + bytesOf(scale) + bytesOf(errorScale);
  }

  @Override
  long workspaceFloatsPerPair() {
    long positions = indices.getShape().get(1);
    // id equality, D D^T and their product over all position pairs.
    return 3 * positions * positions;
  }

  @Override
  long innerLength() {
    long positions = indices.getShape().get(1);
    return outputGradients.getShape().get(2) + positions * positions;
  }

  @Override
  LayerOperand concat(List<LayerOperand> rest) {
    return new IndexedOperand(
        joined(indices, rest, (IndexedOperand o) -> o.indices),
        joined(outputGradients, rest, (IndexedOperand o) -> o.outputGradients),
        joined(scale, rest, (IndexedOperand o) -> o.scale),
        joined(errorScale, rest, (IndexedOperand o) -> o.errorScale));
  }

  @Override
  NDList arrays() {
    return present(indices, outputGradients, errorScale, scale);
  }
}
