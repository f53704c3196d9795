package org.stiffness.gram;

import org.stiffness.gradients.DenseGradient;
import org.stiffness.gradients.IndexedRowGradient;
import org.stiffness.gradients.LayerGradient;
import org.stiffness.gradients.OuterProductGradient;

/** How a layer's share of the Gram matrix is computed. */
public enum LayerStrategy {
  /** Per layer, whichever costs fewer operations per pair (the default). */
  AUTO,
  /** From the factors (a, d) wherever the gradient has them; no per-example gradient is formed. */
  FACTORISED,
  /** From dense per-example gradients {@code (B, P_l)}. */
  MATERIALISED;

  /**
   * Whether to factorise this layer. For an outer-product gradient over T positions the factorised
   * product costs {@code T^2 (dIn + dOut)} per pair and the materialised one {@code dIn dOut}:
   * dense layers (T = 1) always factorise, early convolutions (T ~ 1000) materialise. For an
   * embedding the comparison is {@code T^2} against the vocabulary size.
   */
  boolean factorises(LayerGradient gradient) {
    if (gradient instanceof DenseGradient) {
      return false;
    }
    if (this != AUTO) {
      return this == FACTORISED;
    }
    if (gradient instanceof OuterProductGradient g) {
      long in = g.inputWidth() + (g.bias() ? 1 : 0);
      long t = g.positions();
      return t * t * (in + g.outputWidth()) < in * g.outputWidth();
    }
    IndexedRowGradient g = (IndexedRowGradient) gradient;
    return g.positions() * g.positions() < g.rows();
  }

  /** The operand of a layer under this strategy. */
  LayerOperand operand(LayerGradient gradient, Precision precision) {
    if (factorises(gradient)) {
      if (gradient instanceof OuterProductGradient g) {
        return FactorisedOperand.of(g, precision);
      }
      return IndexedOperand.of((IndexedRowGradient) gradient, precision);
    }
    return MaterialisedOperand.of(gradient.materialisedParts(), precision);
  }
}
