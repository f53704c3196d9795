package org.stiffness.datasets;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * CIFAR-100: 50000 training and 10000 test RGB images of shape (3, 32, 32) in 100 fine classes,
 * grouped into 20 superclasses (the coarse labels, used to order class stiffness matrices).
 */
public final class Cifar100 {

  /** Name of the directory inside the published {@code cifar-100-binary.tar.gz}. */
  public static final String SUBDIRECTORY = "cifar-100-binary";

  /** What {@link #fromDirectory} needs, for messages. */
  public static final String EXPECTED_FILES =
      "train.bin, test.bin, fine_label_names.txt and coarse_label_names.txt (the binary"
          + " version), or their parent holding "
          + SUBDIRECTORY
          + "/";

  /** Records in the published {@code train.bin}. */
  public static final int TRAIN_RECORDS = 50_000;

  /** Records in the published {@code test.bin}. */
  public static final int TEST_RECORDS = 10_000;

  private static final int FINE_CLASSES = 100;
  private static final int COARSE_CLASSES = 20;

  private Cifar100() {}

  /**
   * Reads the binary version: {@code train.bin}, {@code test.bin}, {@code fine_label_names.txt} and
   * {@code coarse_label_names.txt}. Pixels in [0, 1].
   *
   * <p>{@code train.bin} must hold exactly {@value #TRAIN_RECORDS} records and {@code test.bin}
   * {@value #TEST_RECORDS}, checked before any is read.
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
   * @param standardSizes whether the files must hold exactly the published numbers of records
   * @throws java.nio.file.NoSuchFileException if a file is missing
   * @throws MalformedDatasetException naming the file if one is malformed or of another size
   */
  public static TrainTestSplit fromDirectory(Path dir, boolean standardSizes) throws IOException {
    Path d = CifarDirectory.resolve(dir, SUBDIRECTORY, "fine_label_names.txt");
    List<String> fine = ClassNamesFile.read(d.resolve("fine_label_names.txt"), FINE_CLASSES);
    List<String> coarse =
        ClassNamesFile.read(CifarDirectory.require(d, "coarse_label_names.txt"), COARSE_CLASSES);
    Path train = CifarDirectory.require(d, "train.bin");
    Path test = CifarDirectory.require(d, "test.bin");
    if (standardSizes) {
      CifarBinaryReader.requireRecords(
          train,
          CifarBinaryReader.CIFAR100_RECORD_BYTES,
          TRAIN_RECORDS,
          "the published CIFAR-100 train.bin");
      CifarBinaryReader.requireRecords(
          test,
          CifarBinaryReader.CIFAR100_RECORD_BYTES,
          TEST_RECORDS,
          "the published CIFAR-100 test.bin");
    }
    return new TrainTestSplit(
        CifarBinaryReader.readCifar100(List.of(train), fine, coarse, "cifar100/train"),
        CifarBinaryReader.readCifar100(List.of(test), fine, coarse, "cifar100/test"));
  }

  /**
   * The directory {@link #fromDirectory} reads the files from: {@code dir} if it holds the files,
   * else {@code dir/}{@value #SUBDIRECTORY}.
   *
   * @throws java.nio.file.NoSuchFileException naming what was looked for, when neither holds them
   */
  public static Path locate(Path dir) throws NoSuchFileException {
    return CifarDirectory.resolve(dir, SUBDIRECTORY, "fine_label_names.txt");
  }
}
