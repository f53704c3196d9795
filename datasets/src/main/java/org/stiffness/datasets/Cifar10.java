package org.stiffness.datasets;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** CIFAR-10: 50000 training and 10000 test RGB images of shape (3, 32, 32) in 10 classes. */
public final class Cifar10 {

  /** Name of the directory inside the published {@code cifar-10-binary.tar.gz}. */
  public static final String SUBDIRECTORY = "cifar-10-batches-bin";

  /**
   * Class names in label order, as in the published {@code batches.meta.txt}; for copies of the
   * data that come without that file (DJL's basicdataset).
   */
  public static final List<String> CLASS_NAMES =
      List.of(
          "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck");

  /** What {@link #fromDirectory} needs, for messages. */
  public static final String EXPECTED_FILES =
      "data_batch_1.bin .. data_batch_5.bin, test_batch.bin and batches.meta.txt (the binary"
          + " version), or their parent holding "
          + SUBDIRECTORY
          + "/";

  /** Records in each published batch file, the five training batches and the test batch. */
  public static final int RECORDS_PER_BATCH = 10_000;

  private static final int CLASSES = 10;
  private static final int TRAIN_BATCHES = 5;

  private Cifar10() {}

  /**
   * Reads the binary version: {@code data_batch_1.bin .. data_batch_5.bin} (concatenated in that
   * order) for training, {@code test_batch.bin} for test and the class names from {@code
   * batches.meta.txt}. Pixels in [0, 1].
   *
   * <p>Every batch must hold exactly {@value #RECORDS_PER_BATCH} records, checked before any is
   * read: a truncated or empty batch would otherwise train on what is left, without a word.
   *
   * @param dir the directory holding the files, or its parent holding {@value #SUBDIRECTORY}
   * @throws java.nio.file.NoSuchFileException if a file is missing
   * @throws MalformedDatasetException naming the file if one is malformed or of another size
   */
  public static TrainTestSplit fromDirectory(Path dir) throws IOException {
    return fromDirectory(dir, true);
  }

  /**
   * As {@link #fromDirectory(Path)}; with {@code standardSizes} false, each file may hold any
   * positive whole number of records (a copy cut down, as tests make them).
   *
   * @param dir the directory holding the files, or its parent holding {@value #SUBDIRECTORY}
   * @param standardSizes whether every batch must hold exactly {@value #RECORDS_PER_BATCH} records
   * @throws java.nio.file.NoSuchFileException if a file is missing
   * @throws MalformedDatasetException naming the file if one is malformed or of another size
   */
  public static TrainTestSplit fromDirectory(Path dir, boolean standardSizes) throws IOException {
    Path d = CifarDirectory.resolve(dir, SUBDIRECTORY, "batches.meta.txt");
    List<String> names = ClassNamesFile.read(d.resolve("batches.meta.txt"), CLASSES);
    List<Path> train = new ArrayList<>();
    for (int b = 1; b <= TRAIN_BATCHES; b++) {
      train.add(CifarDirectory.require(d, "data_batch_" + b + ".bin"));
    }
    Path test = CifarDirectory.require(d, "test_batch.bin");
    if (standardSizes) {
      List<Path> all = new ArrayList<>(train);
      all.add(test);
      for (Path batch : all) {
        CifarBinaryReader.requireRecords(
            batch,
            CifarBinaryReader.CIFAR10_RECORD_BYTES,
            RECORDS_PER_BATCH,
            "a published CIFAR-10 batch");
      }
    }
    return new TrainTestSplit(
        CifarBinaryReader.readCifar10(train, names, "cifar10/train"),
        CifarBinaryReader.readCifar10(List.of(test), names, "cifar10/test"));
  }

  /**
   * The directory {@link #fromDirectory} reads the files from: {@code dir} if it holds the files,
   * else {@code dir/}{@value #SUBDIRECTORY}.
   *
   * @throws java.nio.file.NoSuchFileException naming what was looked for, when neither holds them
   */
  public static Path locate(Path dir) throws NoSuchFileException {
    return CifarDirectory.resolve(dir, SUBDIRECTORY, "batches.meta.txt");
  }
}
