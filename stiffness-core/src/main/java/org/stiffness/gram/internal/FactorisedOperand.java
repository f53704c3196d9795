package org.stiffness.gram.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.stiffness.gradients.OuterProductGradient;
import org.stiffness.gram.Precision;

/**
 * The factors of {@code g_i = sum_t d_it (x) a_it} kept instead of g ("ghost" Gram): {@code K[i,j]
 * = sum_{s,t} (a_is . a_jt)(d_is . d_jt)}; for T = 1 simply {@code (A A^T) * (D D^T)} elementwise.
 * No per-example gradient is formed. A bias is folded in as a constant 1 appended to every a_t.
 */
final class FactorisedOperand extends LayerOperand {
  private final NDArray activations; // (B, dIn') for T = 1, else (B, T, dIn')
  private final NDArray outputGradients; // (B, dOut) for T = 1, else (B, T, dOut)
  private final long positions;

  private FactorisedOperand(
      NDArray activations,
      NDArray outputGradients,
      long positions,
      NDArray scale,
      NDArray errorScale) {
    super(scale, errorScale);
    this.activations = activations;
    this.outputGradients = outputGradients;
    this.positions = positions;
  }

  static FactorisedOperand of(OuterProductGradient gradient, Precision precision) {
    NDArray a = gradient.activations().toType(DataType.FLOAT32, false);
    NDArray d = gradient.outputGradients().toType(DataType.FLOAT32, false);
    if (gradient.bias()) {
      NDArray ones =
          a.getManager()
              .ones(
                  new Shape(a.getShape().get(0), a.getShape().get(1), 1),
                  DataType.FLOAT32,
                  a.getDevice());
      a = NDArrays.concat(new NDList(a, ones), 2);
    }
    long positions = gradient.positions();
    if (positions == 1) {
      a = a.squeeze(1);
      d = d.squeeze(1);
    }
    // m_i = sum_t |a_it| |d_it| bounds sum_{s,t} |a_is.a_jt| |d_is.d_jt| / m_j (Cauchy-Schwarz).
    NDArray errorScale =
        positions == 1
            ? a.norm(new int[] {1}).mul(d.norm(new int[] {1}))
            : a.norm(new int[] {2}).mul(d.norm(new int[] {2})).sum(new int[] {1});
    if (!precision.roundsOperands()) {
      return new FactorisedOperand(a, d, positions, null, errorScale);
    }
    NDArray aNorms = exampleNorms(a);
    NDArray dNorms = exampleNorms(d);
    return new FactorisedOperand(
        Products.operand(precision, unitRows(a, aNorms)),
        Products.operand(precision, unitRows(d, dNorms)),
        positions,
        aNorms.mul(dNorms),
        errorScale);
  }

  @Override
  NDArray unscaledGram(LayerOperand other) {
    FactorisedOperand o = (FactorisedOperand) other;
    if (positions == 1) {
      return Products.product(activations, o.activations)
          .muli(Products.product(outputGradients, o.outputGradients));
    }
    long rows = activations.getShape().get(0);
    long cols = o.activations.getShape().get(0);
    NDArray aa = Products.product(flatten(activations), flatten(o.activations));
    NDArray dd = Products.product(flatten(outputGradients), flatten(o.outputGradients));
    return aa.muli(dd).reshape(rows, positions, cols, positions).sum(new int[] {1, 3});
  }

  /**
   * For T = 1 the weight scales the narrower of the row block's two factors ({@code (B, width)},
   * not the {@code (B, B')} tile): one fp32 rounding either way.
   */
  @Override
  NDArray weightedUnscaledGram(LayerOperand other, float weight) {
    if (positions != 1) {
      return super.weightedUnscaledGram(other, weight);
    }
    FactorisedOperand o = (FactorisedOperand) other;
    boolean narrowA = activations.getShape().get(1) <= outputGradients.getShape().get(1);
    NDArray a = narrowA ? activations.mul(weight) : activations;
    NDArray d = narrowA ? outputGradients : outputGradients.mul(weight);
    return Products.product(a, o.activations).muli(Products.product(d, o.outputGradients));
  }

  /**
   * This operand with {@code other}'s input factor in place of its own when the two are equal (the
   * first layer's input is the example itself at every checkpoint), so a tile takes their product
   * once ({@link #gram(LayerOperand, float, NDArray)}); null when they differ or are not dense fp32
   * factors. The caller closes this operand's own input factor.
   */
  FactorisedOperand sharingInputOf(FactorisedOperand other) {
    if (positions != 1
        || other.positions != 1
        || scale != null
        || other.scale != null
        || !activations.getShape().equals(other.activations.getShape())
        || !activations.contentEquals(other.activations)) {
      return null;
    }
    return new FactorisedOperand(other.activations, outputGradients, positions, null, errorScale);
  }

  /** The input factor, {@code (B, dIn')} for T = 1. */
  NDArray activations() {
    return activations;
  }

  /**
   * {@code weight} times this layer's tile, given the product of the input factors ({@code
   * inputProduct}, taken once for the checkpoints that share them; not modified).
   */
  NDArray gram(LayerOperand other, float weight, NDArray inputProduct) {
    FactorisedOperand o = (FactorisedOperand) other;
    NDArray d = weight == 1f ? outputGradients : outputGradients.mul(weight);
    return Products.product(d, o.outputGradients).muli(inputProduct);
  }

  @Override
  NDArray unscaledSquaredNorms() {
    if (positions == 1) {
      return square(activations).sum(new int[] {1}).mul(square(outputGradients).sum(new int[] {1}));
    }
    NDArray aa = Products.batchProduct(activations, activations);
    NDArray dd = Products.batchProduct(outputGradients, outputGradients);
    return aa.muli(dd).sum(new int[] {1, 2});
  }

  private static NDArray square(NDArray array) {
    return array.toType(DataType.FLOAT32, false).square();
  }

  private static NDArray flatten(NDArray array) {
    return array.reshape(-1, array.getShape().get(2));
  }

  @Override
  long bytes() {
    return bytesOf(activations) + bytesOf(outputGradients) + bytesOf(scale) + bytesOf(errorScale);
  }

  @Override
  long workspaceFloatsPerPair() {
    // A A^T and D D^T over all position pairs, and their product.
    return positions == 1 ? 2 : 3 * positions * positions;
  }

  @Override
  long innerLength() {
    long width =
        Math.max(
            activations.getShape().get(activations.getShape().dimension() - 1),
            outputGradients.getShape().get(outputGradients.getShape().dimension() - 1));
    return width + positions * positions;
  }

  @Override
  LayerOperand concat(List<LayerOperand> rest) {
    return new FactorisedOperand(
        joined(activations, rest, (FactorisedOperand o) -> o.activations),
        joined(outputGradients, rest, (FactorisedOperand o) -> o.outputGradients),
        positions,
        joined(scale, rest, (FactorisedOperand o) -> o.scale),
        joined(errorScale, rest, (FactorisedOperand o) -> o.errorScale));
  }

  @Override
  NDList arrays() {
    return present(activations, outputGradients, errorScale, scale);
  }
}
