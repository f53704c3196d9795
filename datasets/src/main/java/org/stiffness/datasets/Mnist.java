package org.stiffness.datasets;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** MNIST handwritten digits: 60000 training and 10000 test images of shape (1, 28, 28). */
public final class Mnist {

  /** The digit names "0" .. "9". */
  public static final List<String> CLASS_NAMES =
      List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

  /** What {@link #fromDirectory} needs, for messages: the four IDX files. */
  /** The subdirectory of a data directory that holds this dataset's files. */
  public static final String SUBDIRECTORY = "mnist";

  /** What {@link #fromDirectory} needs, for messages: the four IDX files, where they may be. */
  public static final String EXPECTED_FILES =
      SUBDIRECTORY + "/ with " + IdxDirectory.FILES + ", or these files directly in it";

  private Mnist() {}

  /**
   * Reads the four standard IDX files, {@code train-images-idx3-ubyte}, {@code
   * train-labels-idx1-ubyte}, {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each
   * with or without {@code .gz}, from {@code dir/mnist/} if that is a directory, else from {@code
   * dir} itself. Pixels in [0, 1].
   *
   * @throws java.nio.file.NoSuchFileException if a file is missing
   * @throws MalformedDatasetException naming the file if one is malformed
   */
  public static TrainTestSplit fromDirectory(Path dir) throws IOException {
    return IdxDirectory.read(dir, SUBDIRECTORY, CLASS_NAMES);
  }

  /**
   * The directory {@link #fromDirectory} reads the files from: {@code dir/mnist/} if that is a
   * directory, else {@code dir}.
   *
   * @throws java.nio.file.NoSuchFileException naming what was looked for, when neither holds them
   */
  public static Path locate(Path dir) throws NoSuchFileException {
    return IdxDirectory.resolve(dir, SUBDIRECTORY);
  }
}
