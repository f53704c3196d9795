package org.stiffness.nlp.model;

import ai.djl.ndarray.NDArray;
import org.stiffness.gradients.Scalars;

/**
 * Multi-head scaled dot-product attention, {@code softmax(Q K^T / sqrt(d_head) + mask) V} per head
 * (Vaswani et al. 2017), on projections already computed. Parameter-free, so the probe path
 * differentiates through it with DJL's autograd and needs no rule for it.
 */
final class ScaledDotProductAttention {
  private ScaledDotProductAttention() {}

  /**
   * @param query {@code (B, T, d)}
   * @param key {@code (B, T, d)}
   * @param value {@code (B, T, d)}
   * @param maskBias {@code (B, 1, 1, T)}, see {@link AttentionMask}
   * @param heads number of heads h; d is a multiple of it
   * @return the heads' outputs concatenated, {@code (B, T, d)}
   */
  static NDArray attend(NDArray query, NDArray key, NDArray value, NDArray maskBias, int heads) {
    long batch = query.getShape().get(0);
    long positions = query.getShape().get(1);
    long width = query.getShape().get(2);
    long headSize = width / heads;
    NDArray q = split(query, heads);
    NDArray k = split(key, heads);
    NDArray v = split(value, heads);
    // Scalars.div, not div(Number): the scale must survive until the backward pass (Scalars).
    NDArray scores =
        Scalars.div(q.matMul(k.transpose(0, 1, 3, 2)), Math.sqrt(headSize)).add(maskBias);
    NDArray context = scores.softmax(-1).matMul(v); // (B, h, T, d_head)
    return context.transpose(0, 2, 1, 3).reshape(batch, positions, width);
  }

  /** {@code (B, T, d) -> (B, h, T, d / h)}: head j owns features {@code [j d/h, (j+1) d/h)}. */
  private static NDArray split(NDArray x, int heads) {
    long batch = x.getShape().get(0);
    long positions = x.getShape().get(1);
    return x.reshape(batch, positions, heads, -1).transpose(0, 2, 1, 3);
  }
}
