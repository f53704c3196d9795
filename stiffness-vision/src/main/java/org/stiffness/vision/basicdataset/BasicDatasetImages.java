package org.stiffness.vision.basicdataset;

import ai.djl.Device;
import ai.djl.basicdataset.cv.classification.Cifar10;
import ai.djl.basicdataset.cv.classification.FashionMnist;
import ai.djl.basicdataset.cv.classification.Mnist;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.Repository;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset.Usage;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.stiffness.datasets.ImageShape;
import org.stiffness.datasets.LabelledImages;
import org.stiffness.datasets.TrainTestSplit;

/**
 * MNIST, Fashion-MNIST and CIFAR-10 through DJL's basicdataset, which downloads them (once, into
 * DJL's cache) where the internet exists, converted into the {@link LabelledImages} the datasets
 * module's file readers make of the same files: the same (C, H, W) layout, the same pixel values
 * {@code byte / 255f}, the same labels, class names and part names ({@code mnist/train}, ...).
 *
 * <p>DJL keeps images as (H, W, C) arrays of the raw byte values; the conversion to (C, H, W) and
 * [0, 1] is done here in Java, with the readers' arithmetic, rather than by DJL's {@code ToTensor}
 * pipeline, so that the two paths agree to the bit whatever the engine's division does.
 */
public final class BasicDatasetImages {

  /** Examples copied to the Java heap at a time, bounding the extra native memory in flight. */
  private static final int CHUNK = 5000;

  private BasicDatasetImages() {}

  /** The datasets DJL's basicdataset serves (it has no CIFAR-100). */
  public enum Name {
    /** MNIST digits, (1, 28, 28). */
    MNIST(new ImageShape(1, 28, 28), org.stiffness.datasets.Mnist.CLASS_NAMES),
    /** Fashion-MNIST, (1, 28, 28). */
    FASHION_MNIST(new ImageShape(1, 28, 28), org.stiffness.datasets.FashionMnist.CLASS_NAMES),
    /** CIFAR-10, (3, 32, 32). */
    CIFAR10(new ImageShape(3, 32, 32), org.stiffness.datasets.Cifar10.CLASS_NAMES);

    private final ImageShape shape;
    private final List<String> classNames;

    Name(ImageShape shape, List<String> classNames) {
      this.shape = shape;
      this.classNames = classNames;
    }

    /** As typed on the command line and used in part names: mnist, fashion-mnist, cifar10. */
    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The shape of one example. */
    public ImageShape shape() {
      return shape;
    }

    /**
     * The uncompressed files a local DJL repository directory must hold for this dataset (the names
     * DJL's dataset classes look up in their artifact): the IDX files as {@code train_data}, {@code
     * train_labels}, {@code test_data}, {@code test_labels}; CIFAR-10 as {@code data_batch.bin}
     * (the five training batches concatenated in order) and {@code test_batch.bin}.
     */
    public List<String> repositoryFiles() {
      return this == CIFAR10
          ? List.of("data_batch.bin", "test_batch.bin")
          : List.of("train_data", "train_labels", "test_data", "test_labels");
    }
  }

  /**
   * Downloads (or reads from DJL's cache) the standard training and test parts.
   *
   * @throws IOException when the download fails, e.g. without internet or in DJL's offline mode
   */
  public static TrainTestSplit download(Name name) throws IOException {
    return load(name, null);
  }

  /**
   * Reads the standard training and test parts from a DJL repository.
   *
   * @param name which dataset
   * @param repository where DJL looks for the files, e.g. {@code Repository.newInstance("mnist",
   *     dir)} on a directory holding {@link Name#repositoryFiles()}; null for DJL's own online
   *     repository
   * @throws IOException naming the dataset part, the repository and the files a local repository
   *     must hold, when they are missing or malformed
   */
  public static TrainTestSplit load(Name name, Repository repository) throws IOException {
    Objects.requireNonNull(name, "name");
    // The images end in host arrays; a manager without a device would be gpu0 on a CUDA build.
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      return new TrainTestSplit(
          part(name, Usage.TRAIN, repository, manager),
          part(name, Usage.TEST, repository, manager));
    }
  }

  private static LabelledImages part(
      Name name, Usage usage, Repository repository, NDManager manager) throws IOException {
    String part = name.label() + "/" + (usage == Usage.TRAIN ? "train" : "test");
    ArrayDataset dataset = dataset(name, usage, repository, manager);
    try {
      dataset.prepare();
      return convert(dataset, name, part, manager);
    } catch (RuntimeException | TranslateException e) {
      // DJL reports a missing file as a NullPointerException and a short one as a failed set():
      // say what was read from where and what it should have held.
      String where = repository == null ? "DJL's online repository" : repository.getBaseUri() + "";
      String need =
          repository == null
              ? ""
              : "; it must hold the uncompressed files "
                  + String.join(", ", name.repositoryFiles());
      throw new IOException(
          part + " through DJL's basicdataset from " + where + ": " + e + need, e);
    }
  }

  private static ArrayDataset dataset(
      Name name, Usage usage, Repository repository, NDManager manager) {
    // The three builders share no interface for these options; the sampler is required by DJL but
    // unused, as the arrays are read by range.
    switch (name) {
      case MNIST:
        Mnist.Builder mnist = Mnist.builder().optUsage(usage).optManager(manager);
        return (repository == null ? mnist : mnist.optRepository(repository))
            .setSampling(1, false)
            .build();
      case FASHION_MNIST:
        FashionMnist.Builder fashion = FashionMnist.builder().optUsage(usage).optManager(manager);
        return (repository == null ? fashion : fashion.optRepository(repository))
            .setSampling(1, false)
            .build();
      default:
        Cifar10.Builder cifar = Cifar10.builder().optUsage(usage).optManager(manager);
        return (repository == null ? cifar : cifar.optRepository(repository))
            .setSampling(1, false)
            .build();
    }
  }

  /** DJL's (N, H, W, C) byte values and (N) labels into the readers' (N, C*H*W) and labels. */
  private static LabelledImages convert(
      ArrayDataset dataset, Name name, String part, NDManager parent) {
    ImageShape s = name.shape();
    int c = s.channels();
    int h = s.height();
    int w = s.width();
    int d = s.features();
    int n = Math.toIntExact(dataset.size());
    float[] pixels = new float[Math.multiplyExact(n, d)];
    int[] labels = new int[n];
    for (int from = 0; from < n; from += CHUNK) {
      int to = Math.min(n, from + CHUNK);
      try (NDManager manager = parent.newSubManager()) {
        Batch batch = dataset.getByRange(manager, from, to);
        NDArray x = batch.getData().singletonOrThrow();
        Shape expected = new Shape(to - from, h, w, c);
        if (!x.getShape().equals(expected)) {
          throw new IllegalStateException(
              "DJL gave images of shape " + x.getShape() + ", expected " + expected);
        }
        float[] raw = x.toType(DataType.FLOAT32, false).toFloatArray();
        for (int i = 0; i < to - from; i++) {
          int base = i * d;
          int out = (from + i) * d;
          for (int y = 0; y < h; y++) {
            for (int xx = 0; xx < w; xx++) {
              for (int ch = 0; ch < c; ch++) {
                // The readers' arithmetic: an unsigned byte over 255 in float.
                pixels[out + (ch * h + y) * w + xx] = raw[base + (y * w + xx) * c + ch] / 255f;
              }
            }
          }
        }
        float[] y =
            batch.getLabels().singletonOrThrow().toType(DataType.FLOAT32, false).toFloatArray();
        for (int i = 0; i < y.length; i++) {
          labels[from + i] = (int) y[i];
        }
      }
    }
    return new LabelledImages(part, s, pixels, labels, name.classNames);
  }
}
