package org.stiffness.gradients.internal;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import java.util.List;
import org.stiffness.gradients.DenseGradient;
import org.stiffness.gradients.Examples;
import org.stiffness.gradients.GradientExtractor;
import org.stiffness.gradients.LayerGradient;
import org.stiffness.gradients.PerExampleLoss;

/**
 * The generic extractor: one forward and backward pass per example, copying every trainable
 * parameter's gradient. Works for any block; slow (a JNI call and kernel launch per op per
 * example), and the correctness reference for the probe extractor.
 */
public final class BatchOfOneExtractor implements GradientExtractor {
  private final Block model;
  private final PerExampleLoss loss;
  private final Device device;
  private final FrozenParameters parameters;
  private List<NDArray> trainable;

  /**
   * @param model any initialised block; its parameters are not changed
   * @param loss the per-example loss whose gradients are taken
   * @param device where the passes run
   */
  public BatchOfOneExtractor(Block model, PerExampleLoss loss, Device device) {
    this(model, loss, device, false);
  }

  /**
   * @param ownStorage parameter copies that share no storage with the model (see {@link
   *     FrozenParameters}): for one checkpoint of several loaded into the model in turn
   */
  public BatchOfOneExtractor(Block model, PerExampleLoss loss, Device device, boolean ownStorage) {
    this.model = model;
    this.loss = loss;
    this.device = device;
    this.parameters = new FrozenParameters(model, device, true, ownStorage);
    this.trainable = parameters.trainable(model, device);
    if (trainable.isEmpty()) {
      throw new IllegalArgumentException("the model has no trainable parameters");
    }
  }

  @Override
  public int refreshParameters() {
    int changed = parameters.refresh(model);
    if (changed > 0) {
      trainable = parameters.trainable(model, device);
    }
    return changed;
  }

  @Override
  public List<LayerGradient> extract(Examples batch, NDManager results) {
    NDList rows = new NDList(batch.size());
    try (NDManager work = results.newSubManager(device)) {
      Ownership.borrow(batch, work);
      for (int i = 0; i < batch.size(); i++) {
        rows.add(gradientOf(batch.slice(i, i + 1), work));
      }
      NDArray stacked = NDArrays.stack(rows);
      stacked.attach(results);
      return List.of(new DenseGradient("model", stacked));
    }
  }

  /** The flattened gradient of one example, shape {@code (P)}. */
  private NDArray gradientOf(Examples example, NDManager work) {
    // Gradients accumulate across backward passes in DJL: clear the previous example's.
    for (NDArray array : trainable) {
      if (array.hasGradient()) {
        NDArray gradient = array.getGradient();
        gradient.attach(work);
        gradient.subi(gradient);
      }
    }
    try (GradientCollector collector = work.getEngine().newGradientCollector()) {
      NDArray losses =
          loss.perExample(model.forward(parameters, example.inputs(), false), example.labels());
      LossCheck.requireFinite(losses, example);
      collector.backward(losses.sum());
    }
    NDList flat = new NDList(trainable.size());
    for (NDArray array : trainable) {
      NDArray gradient = array.getGradient();
      gradient.attach(work);
      flat.add(gradient.reshape(-1));
    }
    return NDArrays.concat(flat);
  }

  @Override
  public String name() {
    return "generic";
  }

  @Override
  public void close() {
    parameters.close();
  }
}
