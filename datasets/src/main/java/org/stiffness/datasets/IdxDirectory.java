package org.stiffness.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The standard IDX file names shared by MNIST and Fashion-MNIST, and where a data directory keeps
 * them: in the dataset's own subdirectory ({@code D/mnist/}, {@code D/fashion-mnist/}), the layout
 * every command shares, or, for one dataset alone, directly in {@code D}.
 */
public final class IdxDirectory {

  private static final String[] STEMS = {
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"
  };

  /** The four files, for messages that tell a user what a directory must hold. */
  static final String FILES =
      String.join(", ", STEMS) + " (each may be gzipped, with .gz appended)";

  private IdxDirectory() {}

  /**
   * Reads the four files of {@code datasetName} from {@link #resolve resolve(dir, datasetName)}.
   *
   * @throws NoSuchFileException naming the directory or file looked for, when missing
   */
  static TrainTestSplit read(Path top, String datasetName, List<String> classNames)
      throws IOException {
    Path dir = resolve(top, datasetName);
    LabelledImages train =
        IdxReader.read(
            find(dir, STEMS[0]), find(dir, STEMS[1]), classNames, datasetName + "/train");
    LabelledImages test =
        IdxReader.read(find(dir, STEMS[2]), find(dir, STEMS[3]), classNames, datasetName + "/test");
    return new TrainTestSplit(train, test);
  }

  /**
   * Where the files of the dataset {@code subdirectory} are: {@code dir/subdirectory} when that is
   * a directory; else {@code dir} itself when it holds any of the four files (a missing one is then
   * named when read).
   *
   * @throws NoSuchFileException naming {@code dir} and what was looked for there, when neither
   */
  static Path resolve(Path dir, String subdirectory) throws NoSuchFileException {
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "not a directory");
    }
    Path own = dir.resolve(subdirectory);
    if (Files.isDirectory(own)) {
      return own;
    }
    for (String stem : STEMS) {
      if (Files.isRegularFile(dir.resolve(stem + ".gz"))
          || Files.isRegularFile(dir.resolve(stem))) {
        return dir;
      }
    }
    throw new NoSuchFileException(
        dir.toString(),
        null,
        "holds neither " + subdirectory + "/ nor the IDX files themselves (" + STEMS[0] + "...)");
  }

  /** Whether all four files are present in {@code dir}, compressed or not. */
  public static boolean isComplete(Path dir) {
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
