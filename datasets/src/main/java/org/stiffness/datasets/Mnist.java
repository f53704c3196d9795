package org.stiffness.datasets;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** MNIST handwritten digits: 60000 training and 10000 test images of shape (1, 28, 28). */
public final class Mnist {

  /** The digit names "0" .. "9". */
  public static final List<String> CLASS_NAMES =
      List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

  /** What {@link #fromDirectory} needs, for messages: the four IDX files. */
  public static final String EXPECTED_FILES = IdxDirectory.FILES;

  private Mnist() {}

  /**
   * Reads the four standard IDX files from a directory: {@code train-images-idx3-ubyte}, {@code
   * train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each
   * with or without {@code .gz}. Pixels in [0, 1].
   *
   * @throws java.nio.file.NoSuchFileException if a file is missing
   * @throws MalformedDatasetException naming the file if one is malformed
   */
  public static TrainTestSplit fromDirectory(Path dir) throws IOException {
    return IdxDirectory.read(dir, "mnist", CLASS_NAMES);
  }
}
