package org.stiffness.gradients;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * The per-example gradients of one layer's parameters for a batch of B examples, in the most
 * compact exact form the layer's derivative allows.
 *
 * <p>This type says what the gradient <em>is</em>; what is done with it (materialised, factorised
 * into a Gram matrix, reduced to norms) lives in {@code org.stiffness.gram}, as BackPACK keeps
 * derivatives apart from the quantities built on them.
 */
public sealed interface LayerGradient
    permits OuterProductGradient, DenseGradient, IndexedRowGradient {

  /** Path of the layer in the model, for messages and reports. */
  String layer();

  /** Number of examples B. */
  int batchSize();

  /** Number of parameters P_l of the layer covered by this gradient. */
  long parameterCount();

  /**
   * The per-example gradients as a dense matrix {@code (B, P_l)}, flattened in the layer's
   * parameter order (each parameter row-major, weight before bias).
   */
  NDArray materialise();

  /**
   * {@link #materialise()} in parts whose concatenation along axis 1 is that matrix. Gram products
   * and norms are sums over parts, so a layer whose gradient comes in pieces (a weight and a bias)
   * can skip the copy that joins them: at BERT sizes that copy is the whole per-example gradient.
   */
  default List<NDArray> materialisedParts() {
    return List.of(materialise());
  }
}
