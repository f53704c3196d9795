package org.stiffness.gradients.internal;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import java.util.ArrayList;
import java.util.List;
import org.stiffness.gradients.Examples;
import org.stiffness.gradients.GradientExtractor;
import org.stiffness.gradients.LayerGradient;
import org.stiffness.gradients.PerExampleLoss;
import org.stiffness.gradients.rules.GradientRules;

/**
 * Per-example gradients of a whole batch from one forward and one backward pass: the summed
 * per-example losses are differentiated with respect to probes on the outputs of the parametrised
 * layers, and each layer's rule turns (its input, its output gradient) into exact per-example
 * gradients of its parameters.
 */
public final class ProbeExtractor implements GradientExtractor {
  private final Block model;
  private final PerExampleLoss loss;
  private final GradientRules rules;
  private final FrozenParameters parameters;

  /**
   * @param rules the per-layer rules; the extractor keeps a copy, so registering on {@code rules}
   *     afterwards does not change it
   * @throws IllegalArgumentException when a trainable layer has no rule (see {@link
   *     #unsupportedReason})
   */
  public ProbeExtractor(Block model, PerExampleLoss loss, GradientRules rules, Device device) {
    this(model, loss, rules, device, false);
  }

  /**
   * @param ownStorage parameter copies that share no storage with the model (see {@link
   *     FrozenParameters}): for one checkpoint of several loaded into the model in turn
   */
  public ProbeExtractor(
      Block model, PerExampleLoss loss, GradientRules rules, Device device, boolean ownStorage) {
    GradientRules snapshot = rules.copy();
    String reason = unsupportedReason(model, snapshot);
    if (reason != null) {
      throw new IllegalArgumentException("the probe extractor cannot handle this model: " + reason);
    }
    this.model = model;
    this.loss = loss;
    this.rules = snapshot;
    this.parameters = new FrozenParameters(model, device, false, ownStorage);
  }

  /**
   * Why the probe path cannot handle this model, naming the first layer at fault; null if it can.
   */
  public static String unsupportedReason(Block model, GradientRules rules) {
    return ProbingPass.unsupportedReason(model, "", rules);
  }

  @Override
  public int refreshParameters() {
    return parameters.refresh(model);
  }

  @Override
  public List<LayerGradient> extract(Examples batch, NDManager results) {
    try (NDManager work = results.newSubManager()) {
      Ownership.borrow(batch, work);
      ProbingPass forward = new ProbingPass(rules, parameters, work);
      try (GradientCollector collector = work.getEngine().newGradientCollector()) {
        NDList outputs = forward.forward(model, "", batch.inputs());
        NDArray losses = loss.perExample(outputs, batch.labels());
        LossCheck.requireFinite(losses, batch);
        collector.backward(losses.sum());
      }
      List<LayerGradient> gradients = new ArrayList<>();
      for (ProbingPass.Probe probe : forward.probes()) {
        // getGradient() is a live view of the probe's gradient, which dies with this pass's
        // manager: copy it into the manager that outlives the pass.
        NDArray outputGradient = probe.probe().getGradient().duplicate();
        outputGradient.attach(results);
        LayerGradient gradient =
            probe
                .rule()
                .perExampleGradient(
                    probe.layer(), probe.path(), parameters, probe.saved(), outputGradient);
        if (gradient != null) {
          gradients.add(Ownership.attach(gradient, batch, results));
        }
      }
      return gradients;
    }
  }

  @Override
  public String name() {
    return "probe";
  }

  @Override
  public void close() {
    parameters.close();
  }
}
