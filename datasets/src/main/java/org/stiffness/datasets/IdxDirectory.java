package org.stiffness.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.stiffness.datasets.format.IdxReader;

/** The standard IDX file names shared by MNIST and Fashion-MNIST. */
final class IdxDirectory {

  private static final String[] STEMS = {
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
  };

  /** The four files, for messages that tell a user what a directory must hold. */
  static final String FILES =
      String.join(", ", STEMS) + " (each may be gzipped, with .gz appended)";

  private IdxDirectory() {}

  static TrainTestSplit read(Path dir, String datasetName, List<String> classNames)
      throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "not a directory");
    }
    LabelledImages train =
        IdxReader.read(
            find(dir, STEMS[0]), find(dir, STEMS[1]), classNames, datasetName + "/train");
    LabelledImages test =
        IdxReader.read(find(dir, STEMS[2]), find(dir, STEMS[3]), classNames, datasetName + "/test");
    return new TrainTestSplit(train, test);
  }

  /** Whether all four files are present, compressed or not. */
  static boolean isComplete(Path dir) {
    for (String stem : STEMS) {
      if (!Files.isRegularFile(dir.resolve(stem + ".gz"))
          && !Files.isRegularFile(dir.resolve(stem))) {
        return false;
      }
    }
    return true;
  }

  /** {@code stem.gz} if present, else {@code stem}; the content decides whether to gunzip. */
  private static Path find(Path dir, String stem) throws NoSuchFileException {
    Path gz = dir.resolve(stem + ".gz");
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    Path raw = dir.resolve(stem);
    if (Files.isRegularFile(raw)) {
      return raw;
    }
    throw new NoSuchFileException(
        gz.toString(), null, "missing (neither " + stem + ".gz nor " + stem + " exists)");
  }
}
