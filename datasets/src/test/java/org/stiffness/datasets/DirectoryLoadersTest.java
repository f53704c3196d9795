package org.stiffness.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DirectoryLoadersTest {

  @TempDir Path dir;

  private void writeIdx(Path d, String prefix, int n, boolean gz, int firstLabel) {
    byte[] pixels = new byte[n * 4];
    for (int k = 0; k < pixels.length; k++) {
      pixels[k] = (byte) (k * 13 + firstLabel);
    }
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) ((firstLabel + i) % 10);
    }
    byte[] img = TestFiles.idxImages(n, 2, 2, pixels);
    byte[] lab = TestFiles.idxLabels(labels);
    String images = prefix + "-images-idx3-ubyte";
    String labs = prefix + "-labels-idx1-ubyte";
    TestFiles.write(d.resolve(gz ? images + ".gz" : images), gz ? TestFiles.gzip(img) : img);
    TestFiles.write(d.resolve(gz ? labs + ".gz" : labs), gz ? TestFiles.gzip(lab) : lab);
  }

  @Test
  void mnistDirectoryMixesGzippedAndRawFiles() throws Exception {
    writeIdx(dir, "train", 5, true, 3);
    writeIdx(dir, "t10k", 2, false, 8);
    TrainTestSplit split = Mnist.fromDirectory(dir);
    assertEquals(5, split.train().size());
    assertEquals(2, split.test().size());
    assertArrayEquals(new int[] {3, 4, 5, 6, 7}, split.train().labels());
    assertArrayEquals(new int[] {8, 9}, split.test().labels());
    assertEquals((13 + 8) / 255f, split.test().pixel(0, 1));
    assertEquals("mnist/train", split.train().name());
  }

  @Test
  void fashionMnistUsesItsClassNames() throws Exception {
    writeIdx(dir, "train", 3, false, 0);
    writeIdx(dir, "t10k", 3, true, 0);
    TrainTestSplit split = FashionMnist.fromDirectory(dir);
    assertEquals("Ankle boot", split.train().classNames().get(9));
    assertEquals("T-shirt/top", split.train().classNames().get(0));
  }

  @Test
  void missingIdxFileIsNamed() {
    writeIdx(dir, "train", 3, false, 0);
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Mnist.fromDirectory(dir));
    assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte"), e.getMessage());
  }

  /** The layout every command shares: each dataset in its own subdirectory of --data-dir. */
  @Test
  void eachIdxDatasetIsReadFromItsSubdirectory() throws Exception {
    writeIdx(dir.resolve("mnist"), "train", 4, false, 1);
    writeIdx(dir.resolve("mnist"), "t10k", 2, false, 0);
    writeIdx(dir.resolve("fashion-mnist"), "train", 3, true, 7);
    writeIdx(dir.resolve("fashion-mnist"), "t10k", 1, true, 0);
    TrainTestSplit mnist = Mnist.fromDirectory(dir);
    assertArrayEquals(new int[] {1, 2, 3, 4}, mnist.train().labels());
    TrainTestSplit fashion = FashionMnist.fromDirectory(dir);
    assertArrayEquals(new int[] {7, 8, 9}, fashion.train().labels());
    assertEquals("Ankle boot", fashion.train().classNames().get(9));
  }

  /** The subdirectory wins over files beside it: they belong to whichever dataset put them. */
  @Test
  void theSubdirectoryWinsOverFilesDirectlyInTheDirectory() throws Exception {
    writeIdx(dir, "train", 2, false, 5);
    writeIdx(dir, "t10k", 2, false, 5);
    writeIdx(dir.resolve("mnist"), "train", 3, false, 0);
    writeIdx(dir.resolve("mnist"), "t10k", 1, false, 0);
    assertArrayEquals(new int[] {0, 1, 2}, Mnist.fromDirectory(dir).train().labels());
    assertArrayEquals(new int[] {5, 6}, FashionMnist.fromDirectory(dir).train().labels());
  }

  @Test
  void neitherLayoutNamesWhatWasLookedFor() throws Exception {
    Files.createDirectories(dir.resolve("cifar-10-batches-bin"));
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Mnist.fromDirectory(dir));
    assertEquals(dir.toString(), e.getFile());
    assertTrue(e.getReason().contains("neither mnist/ nor the IDX files"), e.getReason());
    NoSuchFileException f =
        assertThrows(NoSuchFileException.class, () -> FashionMnist.fromDirectory(dir));
    assertTrue(f.getReason().contains("neither fashion-mnist/"), f.getReason());
  }

  private void writeCifar10(Path d) {
    TestFiles.writeNames(d.resolve("batches.meta.txt"), TestFiles.names("c", 10));
    for (int b = 1; b <= 5; b++) {
      TestFiles.write(
          d.resolve("data_batch_" + b + ".bin"),
          TestFiles.cifarRecord(TestFiles.cifarPixels(b), b));
    }
    TestFiles.write(
        d.resolve("test_batch.bin"),
        TestFiles.concat(
            TestFiles.cifarRecord(TestFiles.cifarPixels(10), 0),
            TestFiles.cifarRecord(TestFiles.cifarPixels(11), 9),
            TestFiles.cifarRecord(TestFiles.cifarPixels(12), 5)));
  }

  @Test
  void cifar10AcceptsTheUnpackedParentDirectory() throws Exception {
    writeCifar10(dir.resolve("cifar-10-batches-bin"));
    TrainTestSplit split = Cifar10.fromDirectory(dir, false);
    assertArrayEquals(new int[] {1, 2, 3, 4, 5}, split.train().labels());
    assertArrayEquals(new int[] {0, 9, 5}, split.test().labels());
    assertEquals(TestFiles.names("c", 10), split.test().classNames());
  }

  @Test
  void cifar10AcceptsTheBatchDirectoryItself() throws Exception {
    writeCifar10(dir);
    assertEquals(3, Cifar10.fromDirectory(dir, false).test().size());
  }

  @Test
  void cifar10MissingBatchIsNamed() throws Exception {
    writeCifar10(dir);
    Files.delete(dir.resolve("data_batch_4.bin"));
    NoSuchFileException e =
        assertThrows(NoSuchFileException.class, () -> Cifar10.fromDirectory(dir, false));
    assertTrue(e.getMessage().contains("data_batch_4.bin"), e.getMessage());
  }

  /**
   * The published batches at their exact sizes, as sparse files (all-zero records, nothing written
   * to disk), and one batch of {@code bytes} instead.
   */
  static void writeStandardCifar10(Path d, String odd, long bytes) throws IOException {
    TestFiles.writeNames(d.resolve("batches.meta.txt"), TestFiles.names("c", 10));
    List<String> names =
        List.of(
            "data_batch_1.bin",
            "data_batch_2.bin",
            "data_batch_3.bin",
            "data_batch_4.bin",
            "data_batch_5.bin",
            "test_batch.bin");
    for (String name : names) {
      try (RandomAccessFile f = new RandomAccessFile(d.resolve(name).toFile(), "rw")) {
        f.setLength(name.equals(odd) ? bytes : 10_000L * 3073);
      }
    }
  }

  @ParameterizedTest(name = "{0} bytes")
  @ValueSource(longs = {0, 3073, 10_001L * 3073})
  void cifar10RefusesABatchOfAnyButTheStandardSizeNamingIt(long bytes) throws Exception {
    writeStandardCifar10(dir, "data_batch_3.bin", bytes);
    MalformedDatasetException e =
        assertThrows(MalformedDatasetException.class, () -> Cifar10.fromDirectory(dir));
    assertEquals(dir.resolve("data_batch_3.bin"), e.file());
    assertTrue(
        e.getMessage().contains("expected 10000 records (30730000 bytes), found " + bytes),
        e.getMessage());
  }

  @Test
  void cifar10RefusesAnEmptyBatchEvenWhenSizesAreFree() throws Exception {
    writeCifar10(dir);
    Files.write(dir.resolve("data_batch_3.bin"), new byte[0]);
    MalformedDatasetException e =
        assertThrows(MalformedDatasetException.class, () -> Cifar10.fromDirectory(dir, false));
    assertEquals(dir.resolve("data_batch_3.bin"), e.file());
    assertTrue(e.getMessage().contains("empty"), e.getMessage());
  }

  @Test
  void cifar100RefusesATruncatedTrainFileNamingIt() throws Exception {
    TestFiles.writeNames(dir.resolve("fine_label_names.txt"), TestFiles.names("f", 100));
    TestFiles.writeNames(dir.resolve("coarse_label_names.txt"), TestFiles.names("c", 20));
    TestFiles.write(
        dir.resolve("train.bin"), TestFiles.cifarRecord(TestFiles.cifarPixels(0), 1, 2));
    TestFiles.write(dir.resolve("test.bin"), TestFiles.cifarRecord(TestFiles.cifarPixels(1), 3, 4));
    MalformedDatasetException e =
        assertThrows(MalformedDatasetException.class, () -> Cifar100.fromDirectory(dir));
    assertEquals(dir.resolve("train.bin"), e.file());
    assertTrue(e.getMessage().contains("expected 50000 records"), e.getMessage());
  }

  @Test
  void cifar100ReadsBothPartsWithFineAndCoarseNames() throws Exception {
    Path d = dir.resolve("cifar-100-binary");
    List<String> fine = TestFiles.names("fine", 100);
    List<String> coarse = TestFiles.names("coarse", 20);
    TestFiles.writeNames(d.resolve("fine_label_names.txt"), fine);
    TestFiles.writeNames(d.resolve("coarse_label_names.txt"), coarse);
    TestFiles.write(
        d.resolve("train.bin"),
        TestFiles.concat(
            TestFiles.cifarRecord(TestFiles.cifarPixels(0), 4, 30),
            TestFiles.cifarRecord(TestFiles.cifarPixels(1), 4, 55),
            TestFiles.cifarRecord(TestFiles.cifarPixels(2), 17, 12)));
    TestFiles.write(d.resolve("test.bin"), TestFiles.cifarRecord(TestFiles.cifarPixels(3), 1, 1));
    TrainTestSplit split = Cifar100.fromDirectory(dir, false);
    assertArrayEquals(new int[] {30, 55, 12}, split.train().labels());
    assertArrayEquals(new int[] {4, 4, 17}, split.train().coarseLabels());
    assertArrayEquals(new int[] {1}, split.test().coarseLabels());
    assertEquals(fine, split.train().classNames());
    assertEquals(coarse, split.test().coarseClassNames());
  }

  /** Removing any one file breaks the reader, and the advice names that file. */
  private static void assertExpectedFilesNameEveryNeededFile(
      Path d, String expectedFiles, Loader loader) throws Exception {
    List<Path> files;
    try (var listing = Files.list(d)) {
      files = listing.filter(Files::isRegularFile).sorted().toList();
    }
    assertTrue(files.size() >= 2, "test setup: " + files);
    for (Path f : files) {
      byte[] bytes = Files.readAllBytes(f);
      Files.delete(f);
      assertThrows(NoSuchFileException.class, () -> loader.load(d), f.toString());
      String name = f.getFileName().toString().replace(".gz", "");
      // data_batch_2..4 are covered by the range "data_batch_1.bin .. data_batch_5.bin".
      String stem = name.matches("data_batch_[1-5]\\.bin") ? "data_batch_" : name;
      assertTrue(expectedFiles.contains(stem), expectedFiles + " lacks " + name);
      Files.write(f, bytes);
    }
  }

  @FunctionalInterface
  private interface Loader {
    TrainTestSplit load(Path dir) throws Exception;
  }

  @Test
  void expectedFilesOfMnistAndFashionMnistNameEveryIdxFile() throws Exception {
    writeIdx(dir, "train", 3, true, 0);
    writeIdx(dir, "t10k", 2, false, 0);
    assertExpectedFilesNameEveryNeededFile(dir, Mnist.EXPECTED_FILES, Mnist::fromDirectory);
    assertExpectedFilesNameEveryNeededFile(
        dir, FashionMnist.EXPECTED_FILES, FashionMnist::fromDirectory);
  }

  @Test
  void expectedFilesOfCifar10NameEveryFile() throws Exception {
    writeCifar10(dir);
    assertExpectedFilesNameEveryNeededFile(
        dir, Cifar10.EXPECTED_FILES, d -> Cifar10.fromDirectory(d, false));
  }

  @Test
  void expectedFilesOfCifar100NameEveryFile() throws Exception {
    TestFiles.writeNames(dir.resolve("fine_label_names.txt"), TestFiles.names("f", 100));
    TestFiles.writeNames(dir.resolve("coarse_label_names.txt"), TestFiles.names("c", 20));
    TestFiles.write(
        dir.resolve("train.bin"), TestFiles.cifarRecord(TestFiles.cifarPixels(0), 1, 2));
    TestFiles.write(dir.resolve("test.bin"), TestFiles.cifarRecord(TestFiles.cifarPixels(1), 3, 4));
    assertExpectedFilesNameEveryNeededFile(
        dir, Cifar100.EXPECTED_FILES, d -> Cifar100.fromDirectory(d, false));
  }
}
