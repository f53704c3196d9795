package org.stiffness.gradients;

import ai.djl.ndarray.NDManager;
import java.util.List;

/**
 * Computes the per-example loss gradients of a frozen model for a batch of examples.
 *
 * <p>Implementations are not thread-safe, and one extracts at a time in a process: DJL's PyTorch
 * engine allows one open gradient collector per process, whatever the thread.
 */
public interface GradientExtractor extends AutoCloseable {

  /**
   * @param batch examples whose arrays are on the extractor's device
   * @param results the manager that will own the returned arrays
   * @return per-layer per-example gradients, in the model's layer order; every example's full
   *     gradient is the concatenation of its rows
   */
  List<LayerGradient> extract(Examples batch, NDManager results);

  /**
   * Takes over the model's current parameter values where they changed since the extractor copied
   * them (a snapshot the extractor keeps of them).
   *
   * @return the number of parameter copies that took new values
   */
  int refreshParameters();

  /** Short name of the method, for reports ("probe", "generic"). */
  String name();

  @Override
  void close();
}
