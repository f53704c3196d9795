package org.stiffness.datasets;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * An immutable in-memory labelled image dataset: N examples of shape (C, H, W), stored as one
 * row-major float array of shape (N, C * H * W), with an integer class label per example.
 *
 * <p>CIFAR-100 examples also carry a coarse label (one of 20 superclasses); other datasets have
 * none ({@link #hasCoarseLabels()} is false).
 *
 * <p>Arrays passed in are copied and arrays handed out are copies or read-only views, so an
 * instance can be shared between threads.
 */
public final class LabelledImages {

  private final String name;
  private final ImageShape shape;
  private final float[] pixels;
  private final int[] labels;
  private final List<String> classNames;
  private final int[] coarseLabels;
  private final List<String> coarseClassNames;

  /**
   * A dataset without coarse labels.
   *
   * @param name where the data came from, e.g. {@code fashion-mnist/train}; used in messages
   * @param shape the shape of one example
   * @param pixels (N, C*H*W) row-major
   * @param labels (N), each in {@code 0 .. classNames.size() - 1}
   * @param classNames the name of class k at index k
   */
  public LabelledImages(
      String name, ImageShape shape, float[] pixels, int[] labels, List<String> classNames) {
    this(name, shape, pixels, labels, classNames, null, List.of());
  }

  /**
   * A dataset with optional coarse labels.
   *
   * @param coarseLabels (N) superclass of each example, or null when the dataset has none
   * @param coarseClassNames the name of superclass k at index k; empty when coarseLabels is null
   */
  public LabelledImages(
      String name,
      ImageShape shape,
      float[] pixels,
      int[] labels,
      List<String> classNames,
      int[] coarseLabels,
      List<String> coarseClassNames) {
    this(name, shape, pixels.clone(), labels, classNames, coarseLabels, coarseClassNames, true);
  }

  /**
   * The checks and fields of the public constructor; {@code pixels} is kept as it is, so only
   * arrays no one else holds may be given (pixels are never changed once here: a dataset's copies
   * may share them).
   *
   * @param unshared always true: marks the constructor that keeps {@code pixels} without a copy
   */
  private LabelledImages(
      String name,
      ImageShape shape,
      float[] pixels,
      int[] labels,
      List<String> classNames,
      int[] coarseLabels,
      List<String> coarseClassNames,
      boolean unshared) {
    this.name = Objects.requireNonNull(name, "name");
    this.shape = Objects.requireNonNull(shape, "shape");
    this.classNames = List.copyOf(classNames);
    this.coarseClassNames = List.copyOf(coarseClassNames);
    int n = labels.length;
    if ((long) n * shape.features() != pixels.length) {
      throw new IllegalArgumentException(
          name + ": " + pixels.length + " pixels do not make " + n + " examples of shape " + shape);
    }
    checkRange(labels, this.classNames.size(), "label");
    if (coarseLabels != null) {
      if (coarseLabels.length != n) {
        throw new IllegalArgumentException(
            name + ": " + coarseLabels.length + " coarse labels for " + n + " examples");
      }
      checkRange(coarseLabels, this.coarseClassNames.size(), "coarse label");
    } else if (!this.coarseClassNames.isEmpty()) {
      throw new IllegalArgumentException(name + ": coarse class names without coarse labels");
    }
    this.pixels = pixels;
    this.labels = labels.clone();
    this.coarseLabels = coarseLabels == null ? null : coarseLabels.clone();
  }

  private void checkRange(int[] values, int classes, String what) {
    for (int i = 0; i < values.length; i++) {
      if (values[i] < 0 || values[i] >= classes) {
        throw new IllegalArgumentException(
            name
                + ": "
                + what
                + " out of range at example "
                + i
                + ": "
                + values[i]
                + " not in 0.."
                + (classes - 1));
      }
    }
  }

  /** Where the data came from, e.g. {@code cifar10/test}. */
  public String name() {
    return name;
  }

  /** The shape (C, H, W) of one example. */
  public ImageShape shape() {
    return shape;
  }

  /** N, the number of examples. */
  public int size() {
    return labels.length;
  }

  /** C * H * W, the number of features per example. */
  public int featureCount() {
    return shape.features();
  }

  /** Number of (fine) classes K. */
  public int classCount() {
    return classNames.size();
  }

  /** The name of class k at index k. */
  public List<String> classNames() {
    return classNames;
  }

  /** The class of example i, in {@code 0 .. classCount() - 1}. */
  public int label(int i) {
    return labels[i];
  }

  /** A copy of all labels, (N). */
  public int[] labels() {
    return labels.clone();
  }

  /** Number of examples in each class, (K). */
  public int[] classCounts() {
    int[] counts = new int[classCount()];
    for (int label : labels) {
      counts[label]++;
    }
    return counts;
  }

  /**
   * The classes without a single example, ascending: their rows of a class stiffness matrix have no
   * pair to average, so they would be NaN.
   */
  public List<Integer> absentClasses() {
    int[] counts = classCounts();
    List<Integer> absent = new ArrayList<>();
    for (int k = 0; k < counts.length; k++) {
      if (counts[k] == 0) {
        absent.add(k);
      }
    }
    return absent;
  }

  /** Whether examples carry a superclass (CIFAR-100). */
  public boolean hasCoarseLabels() {
    return coarseLabels != null;
  }

  /** The superclass names; empty when {@link #hasCoarseLabels()} is false. */
  public List<String> coarseClassNames() {
    return coarseClassNames;
  }

  /**
   * The superclass of example i.
   *
   * @throws IllegalStateException if the dataset has no coarse labels
   */
  public int coarseLabel(int i) {
    requireCoarse();
    return coarseLabels[i];
  }

  /**
   * A copy of all superclass labels, (N).
   *
   * @throws IllegalStateException if the dataset has no coarse labels
   */
  public int[] coarseLabels() {
    requireCoarse();
    return coarseLabels.clone();
  }

  private void requireCoarse() {
    if (coarseLabels == null) {
      throw new IllegalStateException(name + " has no coarse labels");
    }
  }

  /** Feature f of example i, i.e. {@code pixels[i * featureCount() + f]}. */
  public float pixel(int i, int f) {
    if (f < 0 || f >= featureCount()) {
      throw new IndexOutOfBoundsException("feature " + f + " of " + featureCount());
    }
    return pixels[i * featureCount() + f];
  }

  /** A copy of example i, (C*H*W) in (C, H, W) row-major order. */
  public float[] example(int i) {
    Objects.checkIndex(i, size());
    int d = featureCount();
    return Arrays.copyOfRange(pixels, i * d, (i + 1) * d);
  }

  /**
   * A read-only view of all pixels, (N, C*H*W) row-major, without copying: hand it to an NDManager
   * or read it in bulk.
   */
  public FloatBuffer pixels() {
    return FloatBuffer.wrap(pixels).asReadOnlyBuffer();
  }

  /** A copy of all pixels, (N, C*H*W) row-major. */
  public float[] copyPixels() {
    return pixels.clone();
  }

  /**
   * The examples at the given indices, in that order (indices may repeat).
   *
   * @param indices positions in this dataset
   * @param newName name of the result
   */
  public LabelledImages select(int[] indices, String newName) {
    int d = featureCount();
    float[] p = new float[Math.multiplyExact(indices.length, d)];
    int[] l = new int[indices.length];
    int[] c = coarseLabels == null ? null : new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      int i = Objects.checkIndex(indices[k], size());
      System.arraycopy(pixels, i * d, p, k * d, d);
      l[k] = labels[i];
      if (c != null) {
        c[k] = coarseLabels[i];
      }
    }
    return new LabelledImages(newName, shape, p, l, classNames, c, coarseClassNames, true);
  }

  /**
   * The same examples with other labels (e.g. some flipped), sharing these pixels rather than
   * copying them: a dataset's pixels never change.
   *
   * @param newLabels (N) the label of each example
   * @param newName name of the result
   */
  public LabelledImages withLabels(int[] newLabels, String newName) {
    return new LabelledImages(
        newName, shape, pixels, newLabels, classNames, coarseLabels, coarseClassNames, true);
  }

  /**
   * The same examples and labels with new pixel values, e.g. after preprocessing.
   *
   * @param newPixels (N, C*H*W) row-major
   * @param newName name of the result
   */
  public LabelledImages withPixels(float[] newPixels, String newName) {
    return new LabelledImages(
        newName, shape, newPixels, labels, classNames, coarseLabels, coarseClassNames);
  }

  @Override
  public String toString() {
    return name + ": " + size() + " examples of shape " + shape + ", " + classCount() + " classes";
  }
}
