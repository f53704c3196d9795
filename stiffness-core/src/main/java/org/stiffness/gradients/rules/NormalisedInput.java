package org.stiffness.gradients.rules;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;

/**
 * The normalised input {@code xhat} of an affine normalisation layer {@code y = gamma * xhat +
 * beta}, obtained by running the layer itself with {@code gamma = 1, beta = 0}.
 *
 * <p>Re-running the layer keeps its exact epsilon, axes and (for BatchNorm) inference statistics
 * without reading DJL's private fields.
 */
final class NormalisedInput {
  private NormalisedInput() {}

  static NDArray of(
      Block layer, ParameterStore store, NDList input, Parameter gamma, Parameter beta) {
    NDManager manager = input.head().getManager();
    ParameterStore identityAffine =
        new ParameterStore(manager, false) {
          @Override
          public NDArray getValue(Parameter parameter, Device device, boolean training) {
            if (parameter == gamma) {
              return manager.ones(parameter.getArray().getShape()).toDevice(device, false);
            }
            if (parameter == beta) {
              return manager.zeros(parameter.getArray().getShape()).toDevice(device, false);
            }
            return store.getValue(parameter, device, training);
          }
        };
    return layer.forward(identityAffine, input, false).head();
  }
}
