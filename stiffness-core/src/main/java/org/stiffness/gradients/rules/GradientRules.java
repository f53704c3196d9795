package org.stiffness.gradients.rules;

import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.nn.transformer.IdEmbedding;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Registry of per-layer gradient rules, looked up by the layer's class and then its superclasses.
 * Adding a layer type means adding one rule class and registering it here or on a copy.
 */
public final class GradientRules {
  private final Map<Class<?>, GradientRule<?>> rules = new LinkedHashMap<>();

  private GradientRules() {}

  /** An empty registry. */
  public static GradientRules empty() {
    return new GradientRules();
  }

  /**
   * The rules shipped with the library: Linear, Conv2d, BatchNorm (inference), LayerNorm, Embedding
   * and IdEmbedding.
   */
  public static GradientRules defaults() {
    return empty()
        .register(Linear.class, new LinearRule())
        .register(Conv2d.class, new Conv2dRule())
        .register(BatchNorm.class, new BatchNormRule())
        .register(LayerNorm.class, new LayerNormRule())
        .register(Embedding.class, new EmbeddingRule())
        .register(IdEmbedding.class, new EmbeddingRule());
  }

  /** Registers (or replaces) the rule for a layer type and its subclasses. */
  public <L extends Block> GradientRules register(Class<L> type, GradientRule<? super L> rule) {
    rules.put(type, rule);
    return this;
  }

  /** The rule for this layer, or null when neither its class nor a superclass has one. */
  @SuppressWarnings("unchecked")
  public GradientRule<Block> find(Block layer) {
    for (Class<?> type = layer.getClass(); type != null; type = type.getSuperclass()) {
      GradientRule<?> rule = rules.get(type);
      if (rule != null) {
        return (GradientRule<Block>) rule;
      }
    }
    return null;
  }
}
