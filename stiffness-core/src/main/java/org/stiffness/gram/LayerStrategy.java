package org.stiffness.gram;

/** How a layer's share of the Gram matrix is computed. */
public enum LayerStrategy {
  /** Per layer, whichever costs fewer operations per pair (the default). */
  AUTO,
  /** From the factors (a, d) wherever the gradient has them; no per-example gradient is formed. */
  FACTORISED,
  /** From dense per-example gradients {@code (B, P_l)}. */
  MATERIALISED
}
