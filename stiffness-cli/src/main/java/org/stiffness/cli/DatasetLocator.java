package org.stiffness.cli;

import ai.djl.repository.Repository;
import ai.djl.util.Utils;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.stiffness.cli.VisionCommand.DatasetName;
import org.stiffness.datasets.BuiltinDigits;
import org.stiffness.datasets.Cifar10;
import org.stiffness.datasets.Cifar100;
import org.stiffness.datasets.FashionMnist;
import org.stiffness.datasets.LabelledImages;
import org.stiffness.datasets.Mnist;
import org.stiffness.datasets.TrainTestSplit;
import org.stiffness.datasets.subset.BalancedSubset;
import org.stiffness.vision.basicdataset.BasicDatasetImages;

/**
 * Where {@code stiffness vision} takes a dataset from, first match wins: the built-in digits; the
 * user's {@code --data-dir} (always works offline); for Fashion-MNIST, Debian's {@code
 * dataset-fashion-mnist} files; for MNIST, Fashion-MNIST and CIFAR-10, DJL's basicdataset, which
 * downloads them once into DJL's cache, unless DJL is offline. Otherwise the user is told, in one
 * line, to pass {@code --data-dir} and which files it must hold. A data directory holds each
 * dataset in its own subdirectory ({@code D/mnist/}, {@code D/fashion-mnist/}, {@code
 * D/cifar-10-batches-bin/}, {@code D/cifar-100-binary/}), as for {@code reproduce}; one dataset's
 * files directly in {@code D} are read too.
 */
final class DatasetLocator {

  /** Where a dataset comes from. */
  enum Origin {
    BUILT_IN,
    DIRECTORY,
    BASICDATASET
  }

  /**
   * A located dataset.
   *
   * @param origin where it comes from
   * @param directory the directory read for {@link Origin#DIRECTORY}, else null
   */
  record Source(Origin origin, Path directory) {}

  /** The built-in digits held out for testing, the rest (1297) for training. */
  private static final int DIGITS_TRAIN = 1297;

  private final boolean offline;
  private final Optional<Path> debianFashionMnist;
  private final Repository basicDatasets;

  /**
   * @param offline whether DJL may not download (its {@code ai.djl.offline} switch)
   * @param debianFashionMnist the directory of Debian's Fashion-MNIST files, if installed
   * @param basicDatasets where DJL's basicdataset reads from; null for DJL's online repository
   */
  DatasetLocator(boolean offline, Optional<Path> debianFashionMnist, Repository basicDatasets) {
    this.offline = offline;
    this.debianFashionMnist = Objects.requireNonNull(debianFashionMnist, "debianFashionMnist");
    this.basicDatasets = basicDatasets;
  }

  /**
   * This machine: DJL's offline switch ({@code -Dai.djl.offline=true} or {@code DJL_OFFLINE=true}),
   * Debian's Fashion-MNIST if installed, DJL's online repository.
   */
  static DatasetLocator ofThisMachine() {
    return new DatasetLocator(Utils.isOfflineMode(), FashionMnist.findDebianInstall(), null);
  }

  /**
   * Decides where {@code dataset} comes from, before anything is read or written.
   *
   * @param dataDir the user's {@code --data-dir}, or null
   * @throws IllegalArgumentException a one-line message naming {@code --data-dir} and the files it
   *     must hold, when there is no source
   */
  Source locate(DatasetName dataset, Path dataDir) {
    if (dataset == DatasetName.DIGITS) {
      return new Source(Origin.BUILT_IN, null);
    }
    if (dataDir != null) {
      return new Source(Origin.DIRECTORY, dataDir);
    }
    if (dataset == DatasetName.FASHION_MNIST && debianFashionMnist.isPresent()) {
      return new Source(Origin.DIRECTORY, debianFashionMnist.get());
    }
    if (dataset == DatasetName.CIFAR100) {
      throw new IllegalArgumentException(
          needsDataDir(dataset, "DJL's basicdataset has no CIFAR-100"));
    }
    if (offline) {
      String why = "DJL is offline, so it cannot download it; DJL_OFFLINE=false allows that";
      if (dataset == DatasetName.FASHION_MNIST) {
        why += ", and Debian's dataset-fashion-mnist is not installed";
      }
      throw new IllegalArgumentException(needsDataDir(dataset, why));
    }
    return new Source(Origin.BASICDATASET, null);
  }

  /**
   * Reads the standard training and test parts (digits: a class-balanced 1297/500 split, seed 0).
   *
   * @throws IOException when the files are missing or malformed, or the download fails; the message
   *     names the dataset and what to do
   */
  TrainTestSplit load(DatasetName dataset, Source source) throws IOException {
    switch (source.origin()) {
      case BUILT_IN:
        LabelledImages all = BuiltinDigits.load();
        int[][] parts = BalancedSubset.split(all, DIGITS_TRAIN, 0);
        return new TrainTestSplit(
            all.select(parts[0], "digits/train"), all.select(parts[1], "digits/test"));
      case DIRECTORY:
        return fromDirectory(dataset, source.directory());
      default:
        return download(dataset);
    }
  }

  private static TrainTestSplit fromDirectory(DatasetName dataset, Path dir) throws IOException {
    try {
      switch (dataset) {
        case MNIST:
          return Mnist.fromDirectory(dir);
        case FASHION_MNIST:
          return FashionMnist.fromDirectory(dir);
        case CIFAR10:
          return Cifar10.fromDirectory(dir);
        case CIFAR100:
          return Cifar100.fromDirectory(dir);
        default:
          throw new IllegalStateException(dataset.label() + " is not read from a directory");
      }
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(
          dataset.label()
              + ": "
              + e.getFile()
              + (e.getReason() == null ? " is missing" : ": " + e.getReason())
              + "; --data-dir D must hold "
              + expectedFiles(dataset));
    }
  }

  /**
   * Where the data come from, in words: the directory really read (the dataset's subdirectory of
   * {@code --data-dir}, or {@code --data-dir} itself), the built-in digits, or DJL's download
   * cache. For the console and {@code summary.json}'s config, once the data are read.
   */
  static String describe(DatasetName dataset, Source source) {
    return switch (source.origin()) {
      case BUILT_IN -> "built-in digits (UCI 8x8, shipped with stiffness)";
      case DIRECTORY -> "directory " + directoryRead(dataset, source.directory());
      case BASICDATASET -> "DJL's basicdataset, cached in " + Utils.getCacheDir();
    };
  }

  private static Path directoryRead(DatasetName dataset, Path dir) {
    try {
      Path read =
          switch (dataset) {
            case MNIST -> Mnist.locate(dir);
            case FASHION_MNIST -> FashionMnist.locate(dir);
            case CIFAR10 -> Cifar10.locate(dir);
            case CIFAR100 -> Cifar100.locate(dir);
            case DIGITS -> dir;
          };
      return read.toAbsolutePath().normalize();
    } catch (NoSuchFileException e) {
      // Only called after a successful read, which found the files: unreachable in practice.
      return dir.toAbsolutePath().normalize();
    }
  }

  private TrainTestSplit download(DatasetName dataset) throws IOException {
    BasicDatasetImages.Name name =
        switch (dataset) {
          case MNIST -> BasicDatasetImages.Name.MNIST;
          case FASHION_MNIST -> BasicDatasetImages.Name.FASHION_MNIST;
          case CIFAR10 -> BasicDatasetImages.Name.CIFAR10;
          default ->
              throw new IllegalStateException(dataset.label() + " is not in DJL's basicdataset");
        };
    try {
      return BasicDatasetImages.load(name, basicDatasets);
    } catch (IOException e) {
      throw new IOException(
          needsDataDir(dataset, "reading it through DJL's basicdataset failed: " + e.getMessage()),
          e);
    }
  }

  /** The one-line advice: which option, which files. */
  static String needsDataDir(DatasetName dataset, String why) {
    return dataset.label()
        + " needs --data-dir D ("
        + why
        + "): D must hold "
        + expectedFiles(dataset);
  }

  private static String expectedFiles(DatasetName dataset) {
    return switch (dataset) {
      case MNIST -> Mnist.EXPECTED_FILES;
      case FASHION_MNIST -> FashionMnist.EXPECTED_FILES;
      case CIFAR10 -> Cifar10.EXPECTED_FILES;
      case CIFAR100 -> Cifar100.EXPECTED_FILES;
      case DIGITS -> "nothing: digits are built in";
    };
  }
}
