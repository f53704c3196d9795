package org.stiffness.nlp.model;

import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;

/** The two parametrised DJL layers every part of the encoder is made of, configured as BERT's. */
final class BertLayers {
  private BertLayers() {}

  /**
   * LayerNorm over the feature axis of {@code (B, T, d)}, each token on its own: axis 2 explicitly,
   * because DJL's default normalises over every axis but the batch axis, which would mix tokens and
   * tie the parameter shape to T.
   */
  static LayerNorm layerNorm(BertConfig config) {
    return LayerNorm.builder().axis(2).optEpsilon(config.layerNormEps()).build();
  }

  /** Linear with bias; weight {@code (units, in)}, the same layout as PyTorch's nn.Linear. */
  static Linear linear(int units) {
    return Linear.builder().setUnits(units).optBias(true).build();
  }
}
