package org.stiffness.datasets;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads the UCI optical digits CSV as shipped by scikit-learn ({@code digits.csv.gz}): one example
 * per line, 64 pixel counts 0..16 of an 8x8 image row by row, then the digit 0..9. Pixels are
 * scaled to [0, 1] by dividing by 16 so that every dataset here starts in the same range.
 */
public final class DigitsCsvReader {

  /** Shape of one digit image. */
  public static final ImageShape SHAPE = new ImageShape(1, 8, 8);

  /** The digit names "0" .. "9". */
  public static final List<String> CLASS_NAMES =
      List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

  private static final int FEATURES = 64;
  private static final float MAX_COUNT = 16f;

  private DigitsCsvReader() {}

  /**
   * @param in the CSV, gzipped if it starts with the gzip magic bytes; closed by this method
   * @param source where the stream comes from, named in error messages
   * @param name the dataset name
   * @throws MalformedDatasetException naming the source and line for a wrong column count, a value
   *     that is not an integer in range, or a label out of range
   */
  public static LabelledImages read(InputStream in, Path source, String name) throws IOException {
    List<float[]> rows = new ArrayList<>();
    List<Integer> labels = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(gunzipIfNeeded(in), StandardCharsets.US_ASCII))) {
      String line;
      int lineNo = 0;
      while ((line = reader.readLine()) != null) {
        lineNo++;
        if (line.isBlank()) {
          continue;
        }
        String[] cols = line.split(",", -1);
        if (cols.length != FEATURES + 1) {
          throw new MalformedDatasetException(
              source,
              "line " + lineNo + ": expected " + (FEATURES + 1) + " columns found " + cols.length);
        }
        float[] row = new float[FEATURES];
        for (int f = 0; f < FEATURES; f++) {
          row[f] = parse(source, lineNo, cols[f], 16, "pixel") / MAX_COUNT;
        }
        int label = parse(source, lineNo, cols[FEATURES], CLASS_NAMES.size() - 1, "label");
        rows.add(row);
        labels.add(label);
      }
    }
    float[] pixels = new float[rows.size() * FEATURES];
    int[] y = new int[rows.size()];
    for (int i = 0; i < y.length; i++) {
      System.arraycopy(rows.get(i), 0, pixels, i * FEATURES, FEATURES);
      y[i] = labels.get(i);
    }
    return new LabelledImages(name, SHAPE, pixels, y, CLASS_NAMES);
  }

  private static InputStream gunzipIfNeeded(InputStream in) throws IOException {
    InputStream buffered = in.markSupported() ? in : new BufferedInputStream(in);
    buffered.mark(2);
    int b0 = buffered.read();
    int b1 = buffered.read();
    buffered.reset();
    return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(buffered) : buffered;
  }

  private static int parse(Path source, int lineNo, String text, int max, String what)
      throws MalformedDatasetException {
    // scikit-learn's copy holds integers; a float spelling such as "3.0" is accepted too.
    double v;
    try {
      v = Double.parseDouble(text.strip());
    } catch (NumberFormatException e) {
      throw new MalformedDatasetException(
          source, what + " at line " + lineNo + " is not a number: '" + text + "'");
    }
    if (v != Math.rint(v) || v < 0 || v > max) {
      throw new MalformedDatasetException(
          source, what + " out of range at line " + lineNo + ": " + text + " not in 0.." + max);
    }
    return (int) v;
  }
}
