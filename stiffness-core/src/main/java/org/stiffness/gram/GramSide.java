package org.stiffness.gram;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.Objects;
import org.stiffness.gradients.Examples;

/**
 * The examples along one side of a Gram matrix (its rows X or its columns Y), in the matrix's
 * order: their ids and class labels, on the host. A row and a column with the same id are the same
 * example, and their pair is a self-pair, which the statistics leave out.
 *
 * <p>Immutable: the arrays are copied in and out.
 *
 * <p>One of two host views of a side: this is what a whole {@link GramMatrix} carries, so its
 * labels may be the targets of a loss that is not a classification (it says so only when class
 * labels are asked for). The tile statistics take {@code stats.tiles.PairingSide} instead: class
 * labels checked before any tile, and the other groupings of the examples. The device view of the
 * same examples, which the engine computes gradients from, is {@link
 * org.stiffness.gradients.Examples}.
 */
public final class GramSide {
  private final long[] ids;
  private final int[] labels;

  /** Why {@link #labels} is null: the examples' labels are not class indices. */
  private final String notClasses;

  private GramSide(long[] ids, int[] labels, String notClasses, String ofWhom) {
    this.ids = ids;
    this.labels = labels;
    this.notClasses = notClasses;
    requireDistinct(ids, ofWhom);
  }

  /**
   * A side from its ids and class labels, for example a Gram matrix made by hand.
   *
   * @param ids identity of each example, length N, each distinct
   * @param labels class of each example, length N
   * @throws IllegalArgumentException when the lengths differ or an id appears twice
   */
  public GramSide(long[] ids, int[] labels) {
    this(
        Objects.requireNonNull(ids, "ids").clone(),
        Objects.requireNonNull(labels, "labels").clone(),
        null,
        "");
    if (labels.length != ids.length) {
      throw new IllegalArgumentException(
          labels.length + " labels for " + ids.length + " example ids; expected one label each");
    }
  }

  /**
   * The ids and labels of a set, copied to the host once. Labels of any numeric type whose values
   * are whole numbers are class labels; others (targets of a loss that is not a classification) are
   * kept out, and {@link #labels()} then says why.
   *
   * @throws IllegalArgumentException when an id appears twice in the set
   */
  public static GramSide of(Examples examples) {
    Objects.requireNonNull(examples, "examples");
    double[] values = hostValues(examples.labels());
    int[] labels = new int[values.length];
    String notClasses = null;
    for (int i = 0; i < values.length && notClasses == null; i++) {
      double v = values[i];
      if (v != Math.rint(v) || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
        notClasses =
            "the labels of '"
                + examples.name()
                + "' are not class indices (example id "
                + examples.id(i)
                + ", row "
                + i
                + ", has label "
                + v
                + ")";
      }
      labels[i] = (int) v;
    }
    return new GramSide(
        examples.ids().clone(),
        notClasses == null ? labels : null,
        notClasses,
        " of '" + examples.name() + "'");
  }

  /** Whole numbers up to 2^53 convert to double exactly: every class index does. */
  private static double[] hostValues(NDArray labels) {
    DataType type = labels.getDataType();
    if (type == DataType.FLOAT64) {
      return labels.toDoubleArray();
    }
    if (type == DataType.FLOAT32) {
      float[] f = labels.toFloatArray();
      double[] d = new double[f.length];
      Arrays.setAll(d, i -> f[i]);
      return d;
    }
    if (type == DataType.INT32) {
      return Arrays.stream(labels.toIntArray()).asDoubleStream().toArray();
    }
    if (type == DataType.INT64) {
      return Arrays.stream(labels.toLongArray()).asDoubleStream().toArray();
    }
    // A converted copy of its own, closed here: it must not stay with the caller's labels.
    try (NDArray converted = labels.toType(DataType.FLOAT64, true)) {
      return converted.toDoubleArray();
    }
  }

  /** A duplicate would make "same id, same example" ambiguous. */
  private static void requireDistinct(long[] ids, String ofWhom) {
    long[] sorted = ids.clone();
    Arrays.sort(sorted);
    for (int k = 1; k < sorted.length; k++) {
      if (sorted[k] == sorted[k - 1]) {
        throw new IllegalArgumentException(
            "the ids"
                + ofWhom
                + " contain "
                + sorted[k]
                + " twice; each example needs an id of its own (equal ids mark the same example)");
      }
    }
  }

  /** Number of examples N. */
  public int size() {
    return ids.length;
  }

  /** Identity of each example, length N (a copy). */
  public long[] ids() {
    return ids.clone();
  }

  /**
   * Class of each example, length N (a copy).
   *
   * @throws IllegalStateException when the examples' labels are not class indices (the message
   *     names the first example whose label is not a whole number)
   */
  public int[] labels() {
    if (labels == null) {
      throw new IllegalStateException(
          notClasses + "; class statistics need integer classes, or labels given explicitly");
    }
    return labels.clone();
  }
}
