package org.stiffness.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarBinaryReaderTest {

  private static final List<String> TEN = TestFiles.names("c", 10);
  private static final List<String> HUNDRED = TestFiles.names("f", 100);
  private static final List<String> TWENTY = TestFiles.names("s", 20);

  @TempDir Path dir;

  /**
   * Oracle: the byte at offset 1024 c + 32 y + x of record r's pixels is channel c, row y, col x.
   */
  private static void assertPixelsOfRecord(LabelledImages data, int i, int record) {
    byte[] p = TestFiles.cifarPixels(record);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 32; x++) {
          int f = (c * 32 + y) * 32 + x;
          assertEquals(
              (p[1024 * c + 32 * y + x] & 0xff) / 255.0,
              data.pixel(i, f),
              1e-7,
              "example " + i + " pixel " + c + "," + y + "," + x);
        }
      }
    }
  }

  @Test
  void readsEveryPixelAndLabelOfCifar10Records() throws Exception {
    Path batch =
        TestFiles.write(
            dir.resolve("data_batch_1.bin"),
            TestFiles.concat(
                TestFiles.cifarRecord(TestFiles.cifarPixels(0), 6),
                TestFiles.cifarRecord(TestFiles.cifarPixels(1), 0),
                TestFiles.cifarRecord(TestFiles.cifarPixels(2), 9)));
    LabelledImages data = CifarBinaryReader.readCifar10(List.of(batch), TEN, "c10");
    assertEquals(new ImageShape(3, 32, 32), data.shape());
    assertEquals(3, data.size());
    assertEquals(List.of(6, 0, 9), Arrays.stream(data.labels()).boxed().toList());
    assertFalse(data.hasCoarseLabels());
    for (int i = 0; i < 3; i++) {
      assertPixelsOfRecord(data, i, i);
    }
  }

  @Test
  void readsCoarseThenFineLabelOfCifar100Records() throws Exception {
    Path train =
        TestFiles.write(
            dir.resolve("train.bin"),
            TestFiles.concat(
                TestFiles.cifarRecord(TestFiles.cifarPixels(5), 19, 99),
                TestFiles.cifarRecord(TestFiles.cifarPixels(6), 0, 4),
                TestFiles.cifarRecord(TestFiles.cifarPixels(7), 11, 58)));
    LabelledImages data = CifarBinaryReader.readCifar100(List.of(train), HUNDRED, TWENTY, "c100");
    assertEquals(3, data.size());
    assertEquals(List.of(99, 4, 58), Arrays.stream(data.labels()).boxed().toList());
    assertEquals(List.of(19, 0, 11), Arrays.stream(data.coarseLabels()).boxed().toList());
    assertEquals(TWENTY, data.coarseClassNames());
    for (int i = 0; i < 3; i++) {
      assertPixelsOfRecord(data, i, 5 + i);
    }
  }

  @Test
  void concatenatesBatchesInTheOrderGiven() throws Exception {
    Path a =
        TestFiles.write(dir.resolve("a.bin"), TestFiles.cifarRecord(TestFiles.cifarPixels(1), 1));
    Path b =
        TestFiles.write(
            dir.resolve("b.bin"),
            TestFiles.concat(
                TestFiles.cifarRecord(TestFiles.cifarPixels(2), 2),
                TestFiles.cifarRecord(TestFiles.cifarPixels(3), 3)));
    LabelledImages data = CifarBinaryReader.readCifar10(List.of(b, a), TEN, "c10");
    assertEquals(List.of(2, 3, 1), Arrays.stream(data.labels()).boxed().toList());
    assertPixelsOfRecord(data, 2, 1);
  }

  @Test
  void fileThatIsNotWholeRecordsIsTruncated() {
    byte[] two =
        TestFiles.concat(
            TestFiles.cifarRecord(TestFiles.cifarPixels(0), 1),
            TestFiles.cifarRecord(TestFiles.cifarPixels(1), 2));
    Path batch = TestFiles.write(dir.resolve("test_batch.bin"), Arrays.copyOf(two, 3073 + 100));
    MalformedDatasetException e =
        assertThrows(
            MalformedDatasetException.class,
            () -> CifarBinaryReader.readCifar10(List.of(batch), TEN, "c10"));
    assertEquals(batch, e.file());
    assertEquals(
        "truncated: expected 6146 bytes found 3173 bytes (not a whole number of 3073-byte records)",
        e.problem());
  }

  @Test
  void cifar10LabelOutOfRangeNamesTheRecord() {
    Path batch =
        TestFiles.write(
            dir.resolve("data_batch_1.bin"),
            TestFiles.concat(
                TestFiles.cifarRecord(TestFiles.cifarPixels(0), 3),
                TestFiles.cifarRecord(TestFiles.cifarPixels(1), 10)));
    MalformedDatasetException e =
        assertThrows(
            MalformedDatasetException.class,
            () -> CifarBinaryReader.readCifar10(List.of(batch), TEN, "c10"));
    assertEquals(batch, e.file());
    assertEquals("label out of range at record 1: 10 not in 0..9", e.problem());
  }

  @Test
  void cifar100CoarseLabelOutOfRangeNamesTheRecord() {
    Path train =
        TestFiles.write(
            dir.resolve("train.bin"),
            TestFiles.concat(
                TestFiles.cifarRecord(TestFiles.cifarPixels(0), 3, 3),
                TestFiles.cifarRecord(TestFiles.cifarPixels(1), 4, 4),
                TestFiles.cifarRecord(TestFiles.cifarPixels(2), 20, 5)));
    MalformedDatasetException e =
        assertThrows(
            MalformedDatasetException.class,
            () -> CifarBinaryReader.readCifar100(List.of(train), HUNDRED, TWENTY, "c100"));
    assertEquals("coarse label out of range at record 2: 20 not in 0..19", e.problem());
  }

  @Test
  void namesFileWithTheWrongNumberOfNamesIsReported() {
    Path meta = TestFiles.writeNames(dir.resolve("batches.meta.txt"), TestFiles.names("c", 9));
    MalformedDatasetException e =
        assertThrows(MalformedDatasetException.class, () -> ClassNamesFile.read(meta, 10));
    assertEquals(meta, e.file());
    assertEquals("expected 10 class names found 9", e.problem());
  }
}
