package org.stiffness.vision.basicdataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.repository.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.datasets.Cifar10;
import org.stiffness.datasets.FashionMnist;
import org.stiffness.datasets.LabelledImages;
import org.stiffness.datasets.Mnist;
import org.stiffness.datasets.TestFiles;
import org.stiffness.datasets.TrainTestSplit;
import org.stiffness.vision.basicdataset.BasicDatasetImages.Name;

/**
 * The basicdataset path reads the same bytes into the same {@link LabelledImages} as the datasets
 * module's file readers: tiny files in the real formats are written twice, once under the published
 * names for the readers and once under DJL's artifact names in a local repository.
 */
class BasicDatasetImagesTest {
  private static final int SIDE = 28; // DJL's MNIST classes assume 28x28

  @TempDir Path temp;

  /** n images whose bytes differ between images and span 0..255, labels from firstLabel on. */
  private static byte[][] idx(int n, int firstLabel, int salt) {
    byte[] pixels = new byte[n * SIDE * SIDE];
    for (int k = 0; k < pixels.length; k++) {
      pixels[k] = (byte) (k * 37 + salt);
    }
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) ((firstLabel + 3 * i) % 10);
    }
    return new byte[][] {TestFiles.idxImages(n, SIDE, SIDE, pixels), TestFiles.idxLabels(labels)};
  }

  /** The same IDX content under the published names (gzipped) and under DJL's names (raw). */
  private void writeIdx(Path published, Path repository) {
    byte[][] train = idx(7, 2, 5);
    byte[][] test = idx(4, 9, 11);
    TestFiles.write(published.resolve("train-images-idx3-ubyte.gz"), TestFiles.gzip(train[0]));
    TestFiles.write(published.resolve("train-labels-idx1-ubyte.gz"), TestFiles.gzip(train[1]));
    TestFiles.write(published.resolve("t10k-images-idx3-ubyte"), test[0]);
    TestFiles.write(published.resolve("t10k-labels-idx1-ubyte"), test[1]);
    TestFiles.write(repository.resolve("train_data"), train[0]);
    TestFiles.write(repository.resolve("train_labels"), train[1]);
    TestFiles.write(repository.resolve("test_data"), test[0]);
    TestFiles.write(repository.resolve("test_labels"), test[1]);
  }

  private static void assertSameImages(LabelledImages expected, LabelledImages actual) {
    assertEquals(expected.name(), actual.name());
    assertEquals(expected.shape(), actual.shape());
    assertEquals(expected.classNames(), actual.classNames());
    assertArrayEquals(expected.labels(), actual.labels(), expected.name());
    assertArrayEquals(expected.copyPixels(), actual.copyPixels(), expected.name());
  }

  private static void assertSameSplit(TrainTestSplit expected, TrainTestSplit actual) {
    assertSameImages(expected.train(), actual.train());
    assertSameImages(expected.test(), actual.test());
  }

  @Test
  void mnistMatchesTheIdxReaderOnTheSameFiles() throws IOException {
    Path published = temp.resolve("published");
    Path repository = temp.resolve("repository");
    writeIdx(published, repository);
    TrainTestSplit djl =
        BasicDatasetImages.load(Name.MNIST, Repository.newInstance("mnist", repository));
    assertSameSplit(Mnist.fromDirectory(published), djl);
    // Independently of both readers: labels 2, 5, 8, 1, ... and pixel k of the training file is
    // byte (k * 37 + 5) over 255.
    assertArrayEquals(new int[] {2, 5, 8, 1, 4, 7, 0}, djl.train().labels());
    int k = SIDE * SIDE + 3 * SIDE + 17; // image 1, row 3, column 17
    assertEquals(Byte.toUnsignedInt((byte) (k * 37 + 5)) / 255f, djl.train().pixel(1, k - 784));
  }

  @Test
  void fashionMnistMatchesTheIdxReaderOnTheSameFiles() throws IOException {
    Path published = temp.resolve("published");
    Path repository = temp.resolve("repository");
    writeIdx(published, repository);
    TrainTestSplit djl =
        BasicDatasetImages.load(Name.FASHION_MNIST, Repository.newInstance("fashion", repository));
    assertSameSplit(FashionMnist.fromDirectory(published), djl);
    assertEquals("Ankle boot", djl.test().classNames().get(djl.test().label(0)));
  }

  @Test
  void cifar10MatchesTheBinaryReaderOnTheSameFiles() throws IOException {
    Path published = temp.resolve("cifar-10-batches-bin");
    Path repository = temp.resolve("repository");
    TestFiles.writeNames(published.resolve("batches.meta.txt"), Cifar10.CLASS_NAMES);
    byte[][] batches = new byte[5][];
    for (int b = 0; b < 5; b++) {
      // Batch b holds b + 1 records, so the concatenation order is visible in the labels.
      byte[][] records = new byte[b + 1][];
      for (int r = 0; r <= b; r++) {
        records[r] = TestFiles.cifarRecord(TestFiles.cifarPixels(10 * b + r), (b + 2 * r) % 10);
      }
      batches[b] = TestFiles.concat(records);
      TestFiles.write(published.resolve("data_batch_" + (b + 1) + ".bin"), batches[b]);
    }
    byte[] test =
        TestFiles.concat(
            TestFiles.cifarRecord(TestFiles.cifarPixels(90), 7),
            TestFiles.cifarRecord(TestFiles.cifarPixels(91), 3));
    TestFiles.write(published.resolve("test_batch.bin"), test);
    TestFiles.write(repository.resolve("data_batch.bin"), TestFiles.concat(batches));
    TestFiles.write(repository.resolve("test_batch.bin"), test);

    TrainTestSplit djl =
        BasicDatasetImages.load(Name.CIFAR10, Repository.newInstance("cifar10", repository));
    assertSameSplit(Cifar10.fromDirectory(temp, false), djl);
    assertEquals(15, djl.train().size());
    assertArrayEquals(new int[] {7, 3}, djl.test().labels());
    // The published record is channel-major: byte 1 + c*1024 + y*32 + x is pixel (c, y, x), which
    // is feature (c*32 + y)*32 + x of the (3, 32, 32) example.
    byte[] record = TestFiles.cifarPixels(91);
    int feature = (2 * 32 + 5) * 32 + 30;
    assertEquals(Byte.toUnsignedInt(record[feature]) / 255f, djl.test().pixel(1, feature));
  }

  @Test
  void aMissingRepositoryFileIsNamedWithTheRepository() throws IOException {
    Path repository = temp.resolve("repository");
    writeIdx(temp.resolve("published"), repository);
    Files.delete(repository.resolve("train_labels"));
    IOException e =
        assertThrows(
            IOException.class,
            () -> BasicDatasetImages.load(Name.MNIST, Repository.newInstance("m", repository)));
    assertTrue(e.getMessage().startsWith("mnist/train"), e.getMessage());
    assertTrue(e.getMessage().contains("train_labels"), e.getMessage());
    assertTrue(e.getMessage().contains(repository.toUri().toString()), e.getMessage());
  }
}
