package org.stiffness.gradients.internal;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Restricts the per-example gradient to the parameters of chosen layers (as Captum's {@code layers}
 * does), by freezing every other parameter of the model while an engine uses it: the extractors and
 * the gradient rules already leave frozen parameters out of the gradient (and frozen layers need no
 * rule), so the restriction needs no code of its own in them. {@link #close()} gives the parameters
 * their trainability back.
 *
 * <p>A name selects a parameter by its DJL name ({@code 03Linear_weight}) or every parameter of a
 * block by the block's path ({@code 03Linear}, {@code 02SequentialBlock_01Linear}; {@code /} may
 * stand for DJL's {@code _} between blocks, as the engine's messages write paths).
 */
public final class LayerSelection implements AutoCloseable {
  private final List<Frozen> frozen;

  /** A parameter frozen here, and whether its array had a gradient attached before. */
  private record Frozen(Parameter parameter, boolean hadGradient) {}

  private LayerSelection(List<Frozen> frozen) {
    this.frozen = frozen;
  }

  /** Nothing restricted. */
  public static LayerSelection all() {
    return new LayerSelection(List.of());
  }

  /**
   * Freezes every trainable parameter of {@code model} that no name in {@code layers} selects.
   *
   * @param layers block paths or parameter names; empty selects everything
   * @throws IllegalArgumentException naming a layer that selects no parameter of the model (with
   *     the model's blocks), or a selection with no trainable parameter
   */
  public static LayerSelection of(Block model, Collection<String> layers) {
    if (layers.isEmpty()) {
      return all();
    }
    List<Pair<String, Parameter>> parameters = new ArrayList<>();
    for (Pair<String, Parameter> p : model.getParameters()) {
      parameters.add(p);
    }
    Set<Parameter> selected = new LinkedHashSet<>();
    for (String layer : layers) {
      String key = layer.trim().replace('/', '_');
      boolean found = false;
      for (Pair<String, Parameter> p : parameters) {
        if (p.getKey().equals(key) || p.getKey().startsWith(key + "_")) {
          selected.add(p.getValue());
          found = true;
        }
      }
      if (!found) {
        throw new IllegalArgumentException(
            "layer '" + layer + "' is not a block or parameter of the model; " + known(parameters));
      }
    }
    if (selected.stream().noneMatch(Parameter::requiresGradient)) {
      throw new IllegalArgumentException(
          "layers " + layers + " hold no trainable parameter (all are frozen in the model)");
    }
    List<Frozen> frozen = new ArrayList<>();
    for (Pair<String, Parameter> p : parameters) {
      Parameter parameter = p.getValue();
      if (!selected.contains(parameter) && parameter.requiresGradient()) {
        frozen.add(
            new Frozen(parameter, parameter.isInitialized() && parameter.getArray().hasGradient()));
        parameter.freeze(true);
      }
    }
    return new LayerSelection(frozen);
  }

  /** The blocks of the model by path, for a message naming a layer that is not one. */
  private static String known(List<Pair<String, Parameter>> parameters) {
    Set<String> blocks = new LinkedHashSet<>();
    for (Pair<String, Parameter> p : parameters) {
      int cut = p.getKey().lastIndexOf('_');
      blocks.add(cut < 0 ? p.getKey() : p.getKey().substring(0, cut));
    }
    return "its layers with parameters are " + String.join(", ", blocks);
  }

  /** Parameters frozen by the selection, in model order. */
  public int frozenCount() {
    return frozen.size();
  }

  /**
   * Makes the parameters the selection froze trainable again, without attaching a gradient to an
   * array that had none (a model outside a trainer; DJL's {@code freeze(false)} would), so the
   * model is left as it was found.
   */
  @Override
  public void close() {
    for (Frozen f : frozen) {
      f.parameter().freeze(false);
      if (!f.hadGradient() && f.parameter().isInitialized()) {
        f.parameter().getArray().setRequiresGradient(false);
      }
    }
  }
}
