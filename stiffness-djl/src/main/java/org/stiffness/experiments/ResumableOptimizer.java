package org.stiffness.experiments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * An optimiser whose state can be saved with a run's training state and read back bit for bit, so
 * that a resumed run takes exactly the steps an uninterrupted one takes. DJL 0.36's optimisers keep
 * their state (Adam's moments, the update counts) in private fields with no way to save it.
 */
interface ResumableOptimizer {

  /**
   * Updates {@code weight} in place from {@code gradient}, as DJL's optimiser of the same kind
   * does.
   *
   * @param parameterId the parameter's id, the key of its state
   */
  void update(String parameterId, NDArray weight, NDArray gradient);

  /** Writes the state ({@link #read} reads it back). */
  void write(DataOutputStream out) throws IOException;

  /**
   * Replaces the state with what {@link #write} wrote.
   *
   * @param manager owns the state's arrays (the manager and device of the model's parameters)
   * @throws IOException when the bytes are not such a state
   */
  void read(DataInputStream in, NDManager manager) throws IOException;
}
