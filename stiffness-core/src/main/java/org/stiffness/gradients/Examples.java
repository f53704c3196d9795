package org.stiffness.gradients;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A labelled example set: the model inputs as fed to the network (one or more arrays whose leading
 * dimension is the example index), labels {@code (N)} and a stable identity per example. The
 * engine's view of a set, its arrays on a device; the statistics read the same examples' ids and
 * labels on the host ({@link org.stiffness.gram.GramSide}, {@code stats.tiles.PairingSide}).
 *
 * <p>Identities decide what a self-pair is: in a rectangular X x Y measurement an example that
 * appears in both sets carries the same id in both, and that pair is excluded from every statistic.
 *
 * <p><b>Ids given automatically.</b> A set made without ids gets a range of ids that no other set
 * of this process shares, so two such sets (a train and a val set, say) never have a self-pair:
 * every one of their {@code N_X * N_Y} pairs counts. The automatic ids are negative ({@code -1, -2,
 * ...} downwards, each set a consecutive ascending run), so they never meet non-negative ids given
 * explicitly, such as dataset indices. They depend on how many sets the process made before, so
 * anything persisted or hashed across processes (checkpoints, tile jobs) must give its ids
 * explicitly. The same set passed twice ({@code engine.gram(train, train)}) and its slices keep
 * their ids.
 *
 * <p><b>The same examples on purpose.</b> To measure a set against itself under another name, or
 * two sets that share examples, give the shared examples the same ids explicitly: {@code
 * Examples.of("train again", train.inputs(), train.labels(), train.ids())}.
 */
public final class Examples {
  /** Ids handed out to sets made without ids so far: the next set's ids lie below {@code -used}. */
  private static final AtomicLong AUTOMATIC_IDS_USED = new AtomicLong();

  private final String name;
  private final NDList inputs;
  private final NDArray labels;
  private final long[] ids;

  private Examples(String name, NDList inputs, NDArray labels, long[] ids) {
    this.name = name;
    this.inputs = inputs;
    this.labels = labels;
    this.ids = ids;
  }

  /**
   * A set named "examples" whose ids no other set shares (see the class comment).
   *
   * @param inputs model input, leading dimension N
   * @param labels labels, shape {@code (N)}
   */
  public static Examples of(NDArray inputs, NDArray labels) {
    return of("examples", new NDList(inputs), labels, null);
  }

  /**
   * @param name what the set is called in error messages (for example "train")
   * @param inputs model inputs, each with leading dimension N
   * @param labels labels, shape {@code (N)}
   * @param ids identity of each example (length N, each distinct), or null for ids that no other
   *     set shares (see the class comment); equal ids in two sets mark the same example
   * @throws IllegalArgumentException when the set is empty or the sizes disagree
   */
  public static Examples of(String name, NDList inputs, NDArray labels, long[] ids) {
    Objects.requireNonNull(name, "name");
    if (inputs == null || inputs.isEmpty()) {
      throw new IllegalArgumentException(name + ": no model inputs given");
    }
    Objects.requireNonNull(labels, name + ": labels");
    long n = labels.getShape().dimension() == 0 ? -1 : labels.getShape().get(0);
    if (labels.getShape().dimension() != 1) {
      throw new IllegalArgumentException(
          name + ": labels must have shape (N), got " + labels.getShape());
    }
    if (n == 0) {
      throw new IllegalArgumentException(name + ": the example set is empty");
    }
    for (int k = 0; k < inputs.size(); k++) {
      NDArray input = inputs.get(k);
      if (input.getShape().dimension() == 0 || input.getShape().get(0) != n) {
        throw new IllegalArgumentException(
            name
                + ": input "
                + k
                + " has shape "
                + input.getShape()
                + " but there are "
                + n
                + " labels; the leading dimension must be the example index");
      }
    }
    long[] identities = ids;
    if (identities == null) {
      identities = automaticIds(Math.toIntExact(n));
    } else if (identities.length != n) {
      throw new IllegalArgumentException(
          name + ": " + identities.length + " ids given for " + n + " examples");
    }
    return new Examples(name, inputs, labels, identities);
  }

  /** {@code n} consecutive ids below every automatic id handed out before. */
  private static long[] automaticIds(int n) {
    long first = -AUTOMATIC_IDS_USED.addAndGet(n);
    long[] ids = new long[n];
    Arrays.setAll(ids, i -> first + i);
    return ids;
  }

  /** Number of examples N. */
  public int size() {
    return ids.length;
  }

  /** The set's name, used in messages. */
  public String name() {
    return name;
  }

  /** Model inputs, leading dimension N. */
  public NDList inputs() {
    return inputs;
  }

  /** Labels {@code (N)}. */
  public NDArray labels() {
    return labels;
  }

  /**
   * The first model input flattened per example, as fed to the model: row-major {@code (N, D)}
   * floats, the input of {@code InputDistances.cosine}.
   */
  public float[] flattenedInputs() {
    NDArray first = inputs.get(0);
    return first.reshape(size(), -1).toType(DataType.FLOAT32, false).toFloatArray();
  }

  /** Width D of {@link #flattenedInputs()}. */
  public int inputWidth() {
    return Math.toIntExact(inputs.get(0).getShape().size() / size());
  }

  /** Identity of example i. */
  public long id(int i) {
    return ids[i];
  }

  /** Identities of all examples, not copied. */
  public long[] ids() {
    return ids;
  }

  /**
   * Copies of examples {@code [from, to)} on a device, owned by {@code manager} (so that slicing
   * block after block does not pile arrays up in the owner of the full set).
   */
  public Examples slice(int from, int to, NDManager manager, Device device) {
    checkRange(from, to);
    NDIndex rows = new NDIndex("{}:{}", from, to);
    NDList sliced = new NDList(inputs.size());
    for (NDArray input : inputs) {
      sliced.add(onDevice(input.get(manager, rows), manager, device));
    }
    return new Examples(
        name + "[" + from + ":" + to + "]",
        sliced,
        onDevice(labels.get(manager, rows), manager, device),
        Arrays.copyOfRange(ids, from, to));
  }

  private static NDArray onDevice(NDArray array, NDManager manager, Device device) {
    NDArray moved = array.toDevice(device, false);
    moved.attach(manager);
    return moved;
  }

  private void checkRange(int from, int to) {
    if (from < 0 || to > size() || from >= to) {
      throw new IndexOutOfBoundsException(
          name + ": slice [" + from + ", " + to + ") of " + size() + " examples");
    }
  }

  /** Examples {@code [from, to)} as views (no copy), ids kept. */
  public Examples slice(int from, int to) {
    checkRange(from, to);
    NDIndex rows = new NDIndex("{}:{}", from, to);
    NDList sliced = new NDList(inputs.size());
    for (NDArray input : inputs) {
      sliced.add(input.get(rows));
    }
    return new Examples(
        name + "[" + from + ":" + to + "]",
        sliced,
        labels.get(rows),
        Arrays.copyOfRange(ids, from, to));
  }
}
