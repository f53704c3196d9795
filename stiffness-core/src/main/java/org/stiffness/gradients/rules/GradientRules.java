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
 *
 * <p>A layer type the library does not know gets one rule class, registered on a registry that is
 * handed to the engine: {@code StiffnessEngine.builder(model).rules(GradientRules.defaults()
 * .register(MyLayer.class, new MyLayerRule()))} (docs/engine.md, "Your own layer"). Engines and
 * extractors keep a {@link #copy()} of the registry they are given, so registering later changes
 * only what is built later.
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

  /**
   * A registry with the same rules, independent of this one: registering on either leaves the other
   * as it was.
   */
  public GradientRules copy() {
    GradientRules copy = empty();
    copy.rules.putAll(rules);
    return copy;
  }

  /**
   * Registers (or replaces) the rule for a layer type and its subclasses, in this registry only
   * (engines already built keep their copy).
   */
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
