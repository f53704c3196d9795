package org.stiffness.datasets;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Fashion-MNIST (Zalando): 60000 training and 10000 test images of clothing, shape (1, 28, 28), in
 * the same IDX files and names as MNIST.
 */
public final class FashionMnist {

  /** Class names in label order, as in the dataset's README. */
  public static final List<String> CLASS_NAMES =
      List.of(
          "T-shirt/top",
          "Trouser",
          "Pullover",
          "Dress",
          "Coat",
          "Sandal",
          "Shirt",
          "Sneaker",
          "Bag",
          "Ankle boot");

  /** Where Debian's {@code dataset-fashion-mnist} package installs the four IDX .gz files. */
  public static final Path DEBIAN_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

  /** What {@link #fromDirectory} needs, for messages: the four IDX files, named as for MNIST. */
  /** The subdirectory of a data directory that holds this dataset's files. */
  public static final String SUBDIRECTORY = "fashion-mnist";

  /** What {@link #fromDirectory} needs, for messages: the four IDX files, where they may be. */
  public static final String EXPECTED_FILES =
      SUBDIRECTORY + "/ with " + IdxDirectory.FILES + ", or these files directly in it";

  private FashionMnist() {}

  /**
   * Reads the four standard IDX files ({@code train-images-idx3-ubyte[.gz]} etc.) from {@code
   * dir/fashion-mnist/} if that is a directory, else from {@code dir} itself. Pixels in [0, 1].
   *
   * @throws java.nio.file.NoSuchFileException if a file is missing
   * @throws MalformedDatasetException naming the file if one is malformed
   */
  public static TrainTestSplit fromDirectory(Path dir) throws IOException {
    return IdxDirectory.read(dir, SUBDIRECTORY, CLASS_NAMES);
  }

  /**
   * The directory of Debian's {@code dataset-fashion-mnist} files ({@code apt-get install
   * dataset-fashion-mnist}), if all four are installed.
   */
  public static Optional<Path> findDebianInstall() {
    return IdxDirectory.isComplete(DEBIAN_DIRECTORY)
        ? Optional.of(DEBIAN_DIRECTORY)
        : Optional.empty();
  }

  /**
   * The directory {@link #fromDirectory} reads the files from: {@code dir/fashion-mnist/} if that
   * is a directory, else {@code dir}.
   *
   * @throws java.nio.file.NoSuchFileException naming what was looked for, when neither holds them
   */
  public static Path locate(Path dir) throws NoSuchFileException {
    return IdxDirectory.resolve(dir, SUBDIRECTORY);
  }
}
