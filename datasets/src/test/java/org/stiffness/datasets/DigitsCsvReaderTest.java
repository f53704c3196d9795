package org.stiffness.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import org.junit.jupiter.api.Test;

class DigitsCsvReaderTest {

  private static final Path SOURCE = Path.of("digits.csv");

  private static String row(int pixel, String label) {
    return String.join(",", Collections.nCopies(64, Integer.toString(pixel))) + "," + label;
  }

  private static LabelledImages read(String csv, boolean gzip) throws Exception {
    byte[] bytes = csv.getBytes(StandardCharsets.US_ASCII);
    return DigitsCsvReader.read(
        new ByteArrayInputStream(gzip ? TestFiles.gzip(bytes) : bytes), SOURCE, "d");
  }

  @Test
  void readsPlainAndGzippedCsv() throws Exception {
    String csv = row(16, "3") + "\n" + row(4, "0") + "\n";
    for (boolean gz : new boolean[] {false, true}) {
      LabelledImages d = read(csv, gz);
      assertEquals(2, d.size());
      assertEquals(3, d.label(0));
      assertEquals(1f, d.pixel(0, 63));
      assertEquals(0.25f, d.pixel(1, 10));
    }
  }

  @Test
  void wrongColumnCountNamesTheLine() {
    String csv = row(1, "1") + "\n" + row(1, "1") + ",5\n";
    MalformedDatasetException e =
        assertThrows(MalformedDatasetException.class, () -> read(csv, false));
    assertEquals(SOURCE, e.file());
    assertEquals("line 2: expected 65 columns found 66", e.problem());
  }

  @Test
  void labelOutOfRangeNamesTheLine() {
    MalformedDatasetException e =
        assertThrows(MalformedDatasetException.class, () -> read(row(1, "10"), false));
    assertEquals("label out of range at line 1: 10 not in 0..9", e.problem());
  }

  @Test
  void pixelAbove16IsReported() {
    MalformedDatasetException e =
        assertThrows(MalformedDatasetException.class, () -> read(row(17, "1"), false));
    assertEquals("pixel out of range at line 1: 17 not in 0..16", e.problem());
  }
}
