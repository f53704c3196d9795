package org.stiffness.gradients;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The parameters of a model at one point of its training, with the weight its per-example gradients
 * get in a sum over checkpoints: TracInCP's {@code w_k}, the learning rate times the optimiser
 * steps the checkpoint stands for (Pruthi et al. 2020). The engine takes the weights as given.
 *
 * <p>A checkpoint is a way to put its parameters into the model ({@link Loader}): {@link #snapshot}
 * copies a model's current values (call it at each checkpoint of an in-process training loop, or on
 * a model loaded from a file such as {@code SavedCheckpoint.model()}); {@link #of} takes any loader
 * of your own (read a {@code .params} file with {@code model.loadParameters}, copy from another
 * block). The engine loads each checkpoint once, when it is built, and keeps a frozen copy of its
 * parameters on the device.
 */
public final class Checkpoint {
  private final String name;
  private final double weight;
  private final Loader loader;

  /** Puts a checkpoint's parameter values into a model of the right architecture. */
  @FunctionalInterface
  public interface Loader {
    /**
     * Overwrites the values of {@code model}'s parameters with the checkpoint's (the arrays the
     * model holds, or new ones: the engine reads the parameters after the call).
     *
     * @throws IOException when the values cannot be read
     * @throws MalformedModelException when they are not this model's (DJL's {@code
     *     Block.loadParameters} throws it)
     */
    void loadInto(Block model) throws IOException, MalformedModelException;
  }

  private Checkpoint(String name, double weight, Loader loader) {
    this.name = Objects.requireNonNull(name, "name");
    this.loader = Objects.requireNonNull(loader, "loader");
    if (!Double.isFinite(weight) || weight <= 0 || (float) weight <= 0) {
      throw new IllegalArgumentException(
          "checkpoint '"
              + name
              + "': weight "
              + weight
              + " must be finite and > 0 (TracIn's w_k: the learning rate times the steps the"
              + " checkpoint stands for)");
    }
    if (Float.isInfinite((float) weight)) {
      throw new IllegalArgumentException(
          "checkpoint '" + name + "': weight " + weight + " does not fit in a float (fp32 terms)");
    }
    this.weight = weight;
  }

  /**
   * A checkpoint put into the model by {@code loader}.
   *
   * @param name names the checkpoint in messages and results (for example {@code step=500})
   * @param weight {@code w_k}, finite and positive
   * @throws IllegalArgumentException for a weight that is not finite and positive, naming the
   *     checkpoint
   */
  public static Checkpoint of(String name, double weight, Loader loader) {
    return new Checkpoint(name, weight, loader);
  }

  /**
   * A copy of {@code model}'s parameter values as they are now, kept in host memory (no native
   * arrays, nothing to close), loaded later into a model of the same architecture by parameter
   * name.
   *
   * @param name names the checkpoint in messages and results
   * @param weight {@code w_k}, finite and positive
   * @param model an initialised block
   * @throws IllegalArgumentException for a weight that is not finite and positive
   */
  public static Checkpoint snapshot(String name, double weight, Block model) {
    Map<String, Values> values = new LinkedHashMap<>();
    for (Pair<String, Parameter> p : model.getParameters()) {
      if (!p.getValue().isInitialized()) {
        throw new IllegalStateException(
            "checkpoint '" + name + "': parameter " + p.getKey() + " is not initialised");
      }
      NDArray array = p.getValue().getArray();
      ByteBuffer buffer = array.toByteBuffer();
      byte[] bytes = new byte[buffer.remaining()];
      buffer.get(bytes);
      values.put(p.getKey(), new Values(array.getShape(), array.getDataType(), bytes));
    }
    return new Checkpoint(name, weight, m -> restore(name, values, m));
  }

  /** One parameter's values on the host. */
  private record Values(Shape shape, DataType type, byte[] bytes) {}

  private static void restore(String name, Map<String, Values> values, Block model) {
    List<String> missing = new ArrayList<>(values.keySet());
    for (Pair<String, Parameter> p : model.getParameters()) {
      Values v = values.get(p.getKey());
      if (v == null) {
        throw new IllegalArgumentException(
            "checkpoint '"
                + name
                + "' has no parameter "
                + p.getKey()
                + " (the model has it): another architecture");
      }
      missing.remove(p.getKey());
      NDArray target = p.getValue().getArray();
      if (!target.getShape().equals(v.shape()) || target.getDataType() != v.type()) {
        throw new IllegalArgumentException(
            "checkpoint '"
                + name
                + "': parameter "
                + p.getKey()
                + " is "
                + v.type()
                + " "
                + v.shape()
                + ", the model's is "
                + target.getDataType()
                + " "
                + target.getShape());
      }
      ByteBuffer buffer =
          ByteBuffer.allocateDirect(v.bytes().length).order(ByteOrder.nativeOrder());
      buffer.put(v.bytes()).rewind();
      try (NDManager scope = target.getManager().newSubManager()) {
        NDArray source = scope.create(buffer, v.shape(), v.type());
        // Assigned through an index, in place: the block keeps its arrays (and DJL's set(Buffer)
        // prints libtorch's AutoNonVariableTypeMode deprecation warning).
        target.set(ALL, source);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "checkpoint '" + name + "' has parameters the model does not: " + missing);
    }
  }

  private static final NDIndex ALL = new NDIndex("...");

  /** The checkpoint's name, for messages and results. */
  public String name() {
    return name;
  }

  /** {@code w_k}, finite and positive. */
  public double weight() {
    return weight;
  }

  /**
   * Puts the checkpoint's parameter values into {@code model}.
   *
   * @throws IOException when the loader cannot read them
   * @throws MalformedModelException when they are not this model's
   */
  public void loadInto(Block model) throws IOException, MalformedModelException {
    loader.loadInto(model);
  }

  /** {@code name (w = weight)}. */
  @Override
  public String toString() {
    return name + " (w = " + weight + ")";
  }
}
