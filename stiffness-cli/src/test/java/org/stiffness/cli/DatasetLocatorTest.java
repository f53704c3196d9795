package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.repository.Repository;
import ai.djl.util.Utils;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.stiffness.cli.DatasetLocator.Origin;
import org.stiffness.cli.DatasetLocator.Source;
import org.stiffness.cli.VisionCommand.DatasetName;
import org.stiffness.datasets.Mnist;
import org.stiffness.datasets.TestFiles;
import org.stiffness.datasets.TrainTestSplit;

/** Which source {@code vision} reads a dataset from, and the advice when there is none. */
class DatasetLocatorTest {
  @TempDir Path temp;

  private static final DatasetLocator OFFLINE = new DatasetLocator(true, Optional.empty(), null);
  private static final DatasetLocator ONLINE = new DatasetLocator(false, Optional.empty(), null);

  @ParameterizedTest
  @EnumSource(
      value = DatasetName.class,
      names = {"MNIST", "FASHION_MNIST", "CIFAR10", "CIFAR100"})
  void aGivenDirectoryWinsOnlineAndOffline(DatasetName dataset) {
    Path dir = temp.resolve("d");
    for (DatasetLocator locator : new DatasetLocator[] {OFFLINE, ONLINE}) {
      assertEquals(new Source(Origin.DIRECTORY, dir), locator.locate(dataset, dir));
    }
  }

  @Test
  void debianFashionMnistIsUsedWithoutADirectory() {
    Path debian = temp.resolve("debian");
    DatasetLocator withDebian = new DatasetLocator(true, Optional.of(debian), null);
    assertEquals(
        new Source(Origin.DIRECTORY, debian), withDebian.locate(DatasetName.FASHION_MNIST, null));
    // Debian's package is Fashion-MNIST only.
    assertThrows(IllegalArgumentException.class, () -> withDebian.locate(DatasetName.MNIST, null));
  }

  @ParameterizedTest
  @EnumSource(
      value = DatasetName.class,
      names = {"MNIST", "FASHION_MNIST", "CIFAR10"})
  void onlineWithoutADirectoryDownloadsThroughBasicdataset(DatasetName dataset) {
    assertEquals(new Source(Origin.BASICDATASET, null), ONLINE.locate(dataset, null));
  }

  @Test
  void cifar100NeedsADirectoryEvenOnline() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> ONLINE.locate(DatasetName.CIFAR100, null));
    assertTrue(e.getMessage().contains("--data-dir"), e.getMessage());
    assertTrue(e.getMessage().contains("fine_label_names.txt"), e.getMessage());
  }

  @Test
  void offlineWithoutADirectoryNamesTheOptionAndTheFiles() {
    String mnist =
        assertThrows(IllegalArgumentException.class, () -> OFFLINE.locate(DatasetName.MNIST, null))
            .getMessage();
    assertTrue(mnist.startsWith("mnist needs --data-dir D"), mnist);
    assertTrue(mnist.contains("offline"), mnist);
    for (String file :
        new String[] {
          "train-images-idx3-ubyte",
          "train-labels-idx1-ubyte",
          "t10k-images-idx3-ubyte",
          "t10k-labels-idx1-ubyte"
        }) {
      assertTrue(mnist.contains(file), mnist);
    }
    String cifar =
        assertThrows(
                IllegalArgumentException.class, () -> OFFLINE.locate(DatasetName.CIFAR10, null))
            .getMessage();
    assertTrue(cifar.contains("data_batch_5.bin"), cifar);
    assertTrue(cifar.contains("test_batch.bin"), cifar);
    String fashion =
        assertThrows(
                IllegalArgumentException.class,
                () -> OFFLINE.locate(DatasetName.FASHION_MNIST, null))
            .getMessage();
    assertTrue(fashion.contains("dataset-fashion-mnist"), fashion);
  }

  @Test
  void digitsAreBuiltIn() throws IOException {
    Source source = OFFLINE.locate(DatasetName.DIGITS, temp);
    assertEquals(Origin.BUILT_IN, source.origin());
    TrainTestSplit split = OFFLINE.load(DatasetName.DIGITS, source);
    assertEquals(1297, split.train().size());
    assertEquals(500, split.test().size());
  }

  /** The same IDX bytes as a --data-dir and as a local DJL repository give the same split. */
  @Test
  void basicdatasetLoadMatchesTheDataDirectory() throws IOException {
    Path dir = temp.resolve("published");
    Path repository = temp.resolve("repository");
    byte[] pixels = new byte[3 * 28 * 28];
    for (int k = 0; k < pixels.length; k++) {
      pixels[k] = (byte) (k * 11 + 1);
    }
    byte[] images = TestFiles.idxImages(3, 28, 28, pixels);
    byte[] labels = TestFiles.idxLabels(new byte[] {4, 0, 9});
    for (String part : new String[] {"train", "t10k"}) {
      TestFiles.write(dir.resolve(part + "-images-idx3-ubyte"), images);
      TestFiles.write(dir.resolve(part + "-labels-idx1-ubyte"), labels);
    }
    for (String part : new String[] {"train", "test"}) {
      TestFiles.write(repository.resolve(part + "_data"), images);
      TestFiles.write(repository.resolve(part + "_labels"), labels);
    }
    DatasetLocator local =
        new DatasetLocator(false, Optional.empty(), Repository.newInstance("local", repository));
    Source source = local.locate(DatasetName.MNIST, null);
    TrainTestSplit viaDjl = local.load(DatasetName.MNIST, source);
    TrainTestSplit viaDir = Mnist.fromDirectory(dir);
    assertArrayEquals(new int[] {4, 0, 9}, viaDjl.train().labels());
    assertArrayEquals(viaDir.train().copyPixels(), viaDjl.train().copyPixels());
    assertArrayEquals(viaDir.test().copyPixels(), viaDjl.test().copyPixels());
  }

  @Test
  void aFailedBasicdatasetReadAdvisesDataDir() {
    DatasetLocator empty =
        new DatasetLocator(
            false, Optional.empty(), Repository.newInstance("empty", temp.resolve("none")));
    IOException e =
        assertThrows(
            IOException.class,
            () -> empty.load(DatasetName.CIFAR10, new Source(Origin.BASICDATASET, null)));
    assertTrue(e.getMessage().startsWith("cifar10 needs --data-dir D"), e.getMessage());
    assertTrue(e.getMessage().contains("data_batch.bin"), e.getMessage());
  }

  /** End to end: offline (as every test runs), the command fails in one line before any output. */
  @Test
  void visionOfflineWithoutDataDirFailsInOneLine() {
    assumeTrue(Utils.isOfflineMode(), "surefire runs DJL offline");
    Path out = temp.resolve("out");
    Run run = Run.of("vision", "--dataset", "cifar10", "--out", out.toString());
    assertNotEquals(0, run.exitCode());
    assertEquals(1, run.err().strip().lines().count(), run.err());
    assertTrue(run.err().contains("--data-dir"), run.err());
    assertTrue(run.err().contains("data_batch_1.bin"), run.err());
    assertFalse(out.toFile().exists());
  }
}
