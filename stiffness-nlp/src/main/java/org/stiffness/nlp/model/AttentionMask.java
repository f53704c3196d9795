package org.stiffness.nlp.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * The padding mask as an additive bias on attention scores: 0 for real tokens, {@value #MASKED} for
 * padding. After the softmax a padded key gets a weight of exactly zero (exp underflows), so
 * neither its value nor its gradient reaches a real token, and padding an example to a longer
 * sequence changes nothing.
 */
final class AttentionMask {
  /** Far below any attention score, far above the type's lowest value (no overflow to -inf). */
  static final double MASKED = -1e9;

  private AttentionMask() {}

  /**
   * @param mask {@code (B, T)}, nonzero for a real token, 0 for padding
   * @param type the type of the attention scores
   * @return {@code (B, 1, 1, T)}, broadcast over heads and query positions
   */
  static NDArray bias(NDArray mask, DataType type) {
    long batch = mask.getShape().get(0);
    long positions = mask.getShape().get(1);
    return mask.eq(0).toType(type, false).mul(MASKED).reshape(batch, 1, 1, positions);
  }
}
