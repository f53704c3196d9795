package org.stiffness.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class BuiltinDigitsTest {

  /** The shipped CSV, parsed directly with java.util.zip, independently of the reader. */
  private static List<String[]> csvRows() throws Exception {
    List<String[]> rows = new ArrayList<>();
    try (InputStream in = BuiltinDigits.class.getResourceAsStream(BuiltinDigits.RESOURCE);
        BufferedReader r =
            new BufferedReader(
                new InputStreamReader(new GZIPInputStream(in), StandardCharsets.US_ASCII))) {
      String line;
      while ((line = r.readLine()) != null) {
        rows.add(line.split(","));
      }
    }
    return rows;
  }

  @Test
  void has1797ExamplesOf64FeaturesIn10Classes() {
    LabelledImages digits = BuiltinDigits.load();
    assertEquals(1797, digits.size());
    assertEquals(64, digits.featureCount());
    assertEquals(new ImageShape(1, 8, 8), digits.shape());
    assertEquals(10, digits.classCount());
  }

  @Test
  void classCountsMatchTheCsv() throws Exception {
    int[] expected = new int[10];
    for (String[] row : csvRows()) {
      expected[Integer.parseInt(row[64].strip())]++;
    }
    assertArrayEquals(expected, BuiltinDigits.load().classCounts());
    // scikit-learn's documented per-class counts of this file
    assertArrayEquals(new int[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, expected);
  }

  @Test
  void pixelsAreCsvCountsDividedBy16() throws Exception {
    List<String[]> rows = csvRows();
    LabelledImages digits = BuiltinDigits.load();
    for (int i : new int[] {0, 1, 900, 1796}) {
      for (int f = 0; f < 64; f++) {
        assertEquals(Integer.parseInt(rows.get(i)[f]) / 16.0, digits.pixel(i, f), 0.0);
      }
    }
  }
}
