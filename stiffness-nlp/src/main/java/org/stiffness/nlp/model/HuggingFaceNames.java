package org.stiffness.nlp.model;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.transformer.IdEmbedding;
import java.util.Map;

/**
 * Names of DJL layer parameters as HuggingFace's PyTorch BERT calls them: {@code weight}/{@code
 * bias} for Linear and LayerNorm (DJL: gamma/beta), {@code weight} for embedding tables. The
 * layouts agree: Linear weights are {@code (out, in)} in both, tables {@code (rows, width)}.
 */
final class HuggingFaceNames {
  private HuggingFaceNames() {}

  static Parameter table(IdEmbedding embedding) {
    return direct(embedding, "embedding");
  }

  static void linear(Linear layer, String prefix, Map<String, Parameter> out) {
    out.put(prefix + "weight", direct(layer, "weight"));
    out.put(prefix + "bias", direct(layer, "bias"));
  }

  static void layerNorm(LayerNorm layer, String prefix, Map<String, Parameter> out) {
    out.put(prefix + "weight", direct(layer, "gamma"));
    out.put(prefix + "bias", direct(layer, "beta"));
  }

  private static Parameter direct(Block block, String name) {
    return block.getDirectParameters().get(name);
  }
}
