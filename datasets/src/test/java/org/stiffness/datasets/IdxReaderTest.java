package org.stiffness.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

  private static final List<String> DIGITS = Mnist.CLASS_NAMES;

  /** Four 3x2 images (rows 3, columns 2); image i, pixel k holds (40 i + 10 k) capped to 255. */
  private static final int N = 4;

  private static final int ROWS = 3;
  private static final int COLS = 2;
  private static final byte[] LABELS = {7, 0, 9, 3};

  @TempDir Path dir;

  private static byte[] pixels() {
    byte[] p = new byte[N * ROWS * COLS];
    for (int i = 0; i < N; i++) {
      for (int k = 0; k < ROWS * COLS; k++) {
        p[i * ROWS * COLS + k] = (byte) Math.min(255, 40 * i + 10 * k + (i == 3 ? 200 : 0));
      }
    }
    return p;
  }

  private void assertMatchesWrittenBytes(LabelledImages data) {
    assertEquals(N, data.size());
    assertEquals(new ImageShape(1, ROWS, COLS), data.shape());
    byte[] p = pixels();
    for (int i = 0; i < N; i++) {
      assertEquals(LABELS[i], data.label(i), "label " + i);
      for (int k = 0; k < ROWS * COLS; k++) {
        assertEquals((p[i * 6 + k] & 0xff) / 255.0, data.pixel(i, k), 1e-7, "pixel " + i + "," + k);
      }
    }
  }

  @Test
  void readsEveryPixelAndLabelOfRawFiles() throws Exception {
    Path img = TestFiles.write(dir.resolve("img"), TestFiles.idxImages(N, ROWS, COLS, pixels()));
    Path lab = TestFiles.write(dir.resolve("lab"), TestFiles.idxLabels(LABELS));
    LabelledImages data = IdxReader.read(img, lab, DIGITS, "t");
    assertMatchesWrittenBytes(data);
    assertEquals(1.0f, data.pixel(3, 5)); // 255 maps to exactly 1
    assertEquals(0.0f, data.pixel(0, 0));
  }

  @Test
  void readsGzippedFilesWhateverTheirName() throws Exception {
    // gzipped content under a raw name, raw content under a .gz name: the magic bytes decide.
    Path img =
        TestFiles.write(
            dir.resolve("train-images-idx3-ubyte"),
            TestFiles.gzip(TestFiles.idxImages(N, ROWS, COLS, pixels())));
    Path lab =
        TestFiles.write(dir.resolve("train-labels-idx1-ubyte.gz"), TestFiles.idxLabels(LABELS));
    assertMatchesWrittenBytes(IdxReader.read(img, lab, DIGITS, "t"));
  }

  @Test
  void wrongMagicNamesFileExpectedAndFound() {
    Path img = TestFiles.write(dir.resolve("imgs.gz"), TestFiles.gzip(TestFiles.idxLabels(LABELS)));
    Path lab = TestFiles.write(dir.resolve("labs"), TestFiles.idxLabels(LABELS));
    MalformedDatasetException e =
        assertThrows(MalformedDatasetException.class, () -> IdxReader.read(img, lab, DIGITS, "t"));
    assertTrue(e.getMessage().startsWith(img.toString()), e.getMessage());
    assertTrue(e.getMessage().contains("wrong magic: expected 2051"), e.getMessage());
    assertTrue(e.getMessage().contains("found 2049"), e.getMessage());
  }

  @Test
  void truncatedImageFileNamesExpectedAndFoundSizes() {
    byte[] full = TestFiles.idxImages(N, ROWS, COLS, pixels());
    Path img = TestFiles.write(dir.resolve("imgs"), Arrays.copyOf(full, full.length - 5));
    Path lab = TestFiles.write(dir.resolve("labs"), TestFiles.idxLabels(LABELS));
    MalformedDatasetException e =
        assertThrows(MalformedDatasetException.class, () -> IdxReader.read(img, lab, DIGITS, "t"));
    assertEquals(img, e.file());
    assertEquals("truncated: expected 40 bytes found 35 bytes", e.problem());
  }

  @Test
  void truncatedLabelFileIsReported() {
    Path img = TestFiles.write(dir.resolve("imgs"), TestFiles.idxImages(N, ROWS, COLS, pixels()));
    byte[] full = TestFiles.idxLabels(LABELS);
    Path lab = TestFiles.write(dir.resolve("labs"), Arrays.copyOf(full, full.length - 1));
    MalformedDatasetException e =
        assertThrows(MalformedDatasetException.class, () -> IdxReader.read(img, lab, DIGITS, "t"));
    assertEquals(lab, e.file());
    assertEquals("truncated: expected 12 bytes found 11 bytes", e.problem());
  }

  @Test
  void truncatedGzipStreamIsReported() {
    byte[] gz = TestFiles.gzip(TestFiles.idxImages(N, ROWS, COLS, pixels()));
    Path img = TestFiles.write(dir.resolve("imgs.gz"), Arrays.copyOf(gz, gz.length / 2));
    Path lab = TestFiles.write(dir.resolve("labs"), TestFiles.idxLabels(LABELS));
    MalformedDatasetException e =
        assertThrows(MalformedDatasetException.class, () -> IdxReader.read(img, lab, DIGITS, "t"));
    assertEquals(img, e.file());
    assertTrue(e.problem().contains("truncated or corrupt gzip"), e.problem());
  }

  @Test
  void imageAndLabelCountsThatDisagreeAreReported() {
    Path img = TestFiles.write(dir.resolve("imgs"), TestFiles.idxImages(N, ROWS, COLS, pixels()));
    Path lab = TestFiles.write(dir.resolve("labs"), TestFiles.idxLabels(new byte[] {1, 2, 3}));
    MalformedDatasetException e =
        assertThrows(MalformedDatasetException.class, () -> IdxReader.read(img, lab, DIGITS, "t"));
    assertEquals(lab, e.file());
    assertTrue(e.problem().startsWith("counts disagree: 3 labels but"), e.problem());
    assertTrue(e.problem().contains("holds 4 images"), e.problem());
  }

  @Test
  void labelOutOfRangeNamesTheRecord() {
    Path img = TestFiles.write(dir.resolve("imgs"), TestFiles.idxImages(N, ROWS, COLS, pixels()));
    Path lab = TestFiles.write(dir.resolve("labs"), TestFiles.idxLabels(new byte[] {1, 2, 10, 3}));
    MalformedDatasetException e =
        assertThrows(MalformedDatasetException.class, () -> IdxReader.read(img, lab, DIGITS, "t"));
    assertEquals(lab, e.file());
    assertEquals("label out of range at record 2: 10 not in 0..9", e.problem());
  }

  @Test
  void unsignedLabelByteAbove127IsOutOfRangeNotNegative() {
    Path img = TestFiles.write(dir.resolve("imgs"), TestFiles.idxImages(N, ROWS, COLS, pixels()));
    Path lab =
        TestFiles.write(dir.resolve("labs"), TestFiles.idxLabels(new byte[] {1, (byte) 200, 1, 3}));
    MalformedDatasetException e =
        assertThrows(MalformedDatasetException.class, () -> IdxReader.read(img, lab, DIGITS, "t"));
    assertEquals("label out of range at record 1: 200 not in 0..9", e.problem());
  }

  @Test
  void readsImagesAsTheyAreLaidOutRowMajor() throws Exception {
    // Oracle: pixel (y, x) of the 3x2 image sits at byte 2 y + x.
    Path img = TestFiles.write(dir.resolve("imgs"), TestFiles.idxImages(N, ROWS, COLS, pixels()));
    Path lab = TestFiles.write(dir.resolve("labs"), TestFiles.idxLabels(LABELS));
    float[] first = IdxReader.read(img, lab, DIGITS, "t").example(1);
    assertArrayEquals(
        new float[] {40 / 255f, 50 / 255f, 60 / 255f, 70 / 255f, 80 / 255f, 90 / 255f}, first);
  }
}
