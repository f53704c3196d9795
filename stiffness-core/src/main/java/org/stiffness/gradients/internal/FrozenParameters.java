package org.stiffness.gradients.internal;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A snapshot of a model's parameters on the compute device, handed to the model's layers in place
 * of its own arrays.
 *
 * <p>Working on copies keeps the caller's model untouched: DJL gradients accumulate into whatever
 * array requires them, so differentiating the caller's own arrays would both leak gradient memory
 * into their model and change what their next optimiser step sees. Copies are leaves; with {@code
 * withGradients} the trainable ones require gradients (the batch-of-one extractor reads them), else
 * none do (the probe extractor differentiates probes only, which also skips weight gradients).
 */
public final class FrozenParameters extends ParameterStore implements AutoCloseable {
  private final NDManager manager;
  private final boolean withGradients;

  /**
   * Copies that never share storage with the model's arrays: {@code toDevice} onto the array's own
   * device returns an alias, which a later in-place write into the model (the next checkpoint
   * loaded) would change under the copy.
   */
  private final boolean ownStorage;

  private final Map<Parameter, Map<Device, NDArray>> copies = new HashMap<>();

  /**
   * @param model an initialised block
   * @param device where the copies live
   * @param withGradients whether trainable copies require gradients
   */
  public FrozenParameters(Block model, Device device, boolean withGradients) {
    this(model, device, withGradients, false);
  }

  /**
   * @param ownStorage copies with storage of their own even on the model's device (for snapshots of
   *     checkpoints that are loaded into the model one after another)
   */
  public FrozenParameters(Block model, Device device, boolean withGradients, boolean ownStorage) {
    this(NDManager.newBaseManager(device), withGradients, ownStorage);
    for (var entry : model.getParameters()) {
      getValue(entry.getValue(), device, false);
    }
  }

  private FrozenParameters(NDManager manager, boolean withGradients, boolean ownStorage) {
    super(manager, false);
    this.manager = manager;
    this.withGradients = withGradients;
    this.ownStorage = ownStorage;
  }

  @Override
  public synchronized NDArray getValue(Parameter parameter, Device device, boolean training) {
    if (parameter == null) {
      return null;
    }
    return copies
        .computeIfAbsent(parameter, p -> new HashMap<>())
        .computeIfAbsent(device, d -> copy(parameter, d));
  }

  private NDArray copy(Parameter parameter, Device device) {
    if (!parameter.isInitialized()) {
      throw new IllegalStateException(
          "parameter '" + parameter.getName() + "' is not initialised: initialise the block first");
    }
    // Detach first: a copy of an array that requires gradients would be a non-leaf that pulls
    // gradients back into the caller's parameter.
    NDArray detached = parameter.getArray().stopGradient();
    NDArray copy =
        ownStorage && device.equals(detached.getDevice())
            ? detached.duplicate()
            : detached.toDevice(device, true);
    copy.attach(manager);
    detached.close();
    if (withGradients && parameter.requiresGradient()) {
      copy.setRequiresGradient(true);
    }
    return copy;
  }

  /**
   * Takes over the model's current values wherever they differ from the copies: a model trained
   * further, or given other parameters, since the copies were made. A copy that differs is replaced
   * by a new one (never written into: on the model's own device a copy may share the model's
   * storage, and the model's old array may still be the caller's), so call {@link #trainable} again
   * afterwards. One comparison per copy on its device ({@code torch.equal}: one pass over the
   * parameters and one read-back each), next to the forward and backward passes over every example
   * that follow.
   *
   * @param model the block these copies were made from
   * @return the number of copies replaced
   * @throws IllegalStateException when a parameter's shape or type changed (a new model, not new
   *     values: build a new engine)
   */
  public synchronized int refresh(Block model) {
    int changed = 0;
    for (var entry : model.getParameters()) {
      Parameter parameter = entry.getValue();
      Map<Device, NDArray> byDevice = copies.get(parameter);
      if (byDevice == null) {
        continue; // not used yet: its copy is made from the current values when it is
      }
      for (var copy : byDevice.entrySet()) {
        if (!sameValues(parameter, copy.getValue())) {
          NDArray stale = copy.getValue();
          copy.setValue(copy(parameter, copy.getKey()));
          stale.close();
          changed++;
        }
      }
    }
    return changed;
  }

  private static boolean sameValues(Parameter parameter, NDArray copy) {
    NDArray current = parameter.getArray();
    if (!current.getShape().equals(copy.getShape())
        || current.getDataType() != copy.getDataType()) {
      throw new IllegalStateException(
          "parameter '"
              + parameter.getName()
              + "' is now "
              + current.getDataType()
              + " "
              + current.getShape()
              + ", it was "
              + copy.getDataType()
              + " "
              + copy.getShape()
              + " when the engine was built: build a new engine for a new model");
    }
    NDArray detached = current.stopGradient();
    NDArray moved = detached.toDevice(copy.getDevice(), false);
    try {
      return moved.contentEquals(copy);
    } finally {
      if (moved != detached) {
        moved.close();
      }
      detached.close();
    }
  }

  /**
   * The copies of the trainable parameters on a device, in the model's parameter order.
   *
   * @param model the block these copies were made from
   */
  public List<NDArray> trainable(Block model, Device device) {
    List<NDArray> arrays = new ArrayList<>();
    for (var entry : model.getParameters()) {
      if (entry.getValue().requiresGradient()) {
        arrays.add(getValue(entry.getValue(), device, false));
      }
    }
    return arrays;
  }

  @Override
  public void close() {
    manager.close();
  }
}
