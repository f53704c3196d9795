package org.stiffness.datasets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST (raw or gzipped): an image file (magic 2051,
 * header count, rows, columns, then one unsigned byte per pixel) and a label file (magic 2049,
 * header count, then one unsigned byte per label). All header integers are big-endian.
 */
public final class IdxReader {

  /** Magic number of an IDX file of unsigned bytes with 3 dimensions (images). */
  public static final int IMAGES_MAGIC = 0x00000803;

  /** Magic number of an IDX file of unsigned bytes with 1 dimension (labels). */
  public static final int LABELS_MAGIC = 0x00000801;

  private static final int IMAGES_HEADER_BYTES = 16;
  private static final int LABELS_HEADER_BYTES = 8;

  private IdxReader() {}

  /**
   * Reads a pair of image and label files into one dataset, pixels scaled from 0..255 to [0, 1].
   *
   * @param images the image file, raw or gzipped
   * @param labels the label file, raw or gzipped
   * @param classNames the name of class k at index k; every label must index it
   * @param name the dataset name, e.g. {@code mnist/train}
   * @return N examples of shape (1, rows, columns)
   * @throws MalformedDatasetException naming the file for a wrong magic number, a truncated or
   *     overlong file, nonsensical dimensions, counts that disagree or a label out of range
   */
  public static LabelledImages read(Path images, Path labels, List<String> classNames, String name)
      throws IOException {
    ByteBuffer img = ByteBuffer.wrap(DatasetBytes.read(images));
    checkMagic(images, img, IMAGES_HEADER_BYTES, IMAGES_MAGIC);
    int n = img.getInt(4);
    int rows = img.getInt(8);
    int cols = img.getInt(12);
    if (n < 0 || rows <= 0 || cols <= 0) {
      throw new MalformedDatasetException(
          images, "nonsensical dimensions " + n + " x " + rows + " x " + cols);
    }
    checkLength(images, img.capacity(), IMAGES_HEADER_BYTES + (long) n * rows * cols);

    ByteBuffer lab = ByteBuffer.wrap(DatasetBytes.read(labels));
    checkMagic(labels, lab, LABELS_HEADER_BYTES, LABELS_MAGIC);
    int m = lab.getInt(4);
    if (m < 0) {
      throw new MalformedDatasetException(labels, "negative label count " + m);
    }
    checkLength(labels, lab.capacity(), LABELS_HEADER_BYTES + (long) m);
    if (m != n) {
      throw new MalformedDatasetException(
          labels, "counts disagree: " + m + " labels but " + images + " holds " + n + " images");
    }

    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      y[i] = Byte.toUnsignedInt(lab.get(LABELS_HEADER_BYTES + i));
      if (y[i] >= classNames.size()) {
        throw new MalformedDatasetException(
            labels,
            "label out of range at record "
                + i
                + ": "
                + y[i]
                + " not in 0.."
                + (classNames.size() - 1));
      }
    }
    byte[] raw = img.array();
    float[] x = new float[n * rows * cols];
    for (int k = 0; k < x.length; k++) {
      x[k] = Byte.toUnsignedInt(raw[IMAGES_HEADER_BYTES + k]) / 255f;
    }
    return new LabelledImages(name, new ImageShape(1, rows, cols), x, y, classNames);
  }

  /** The magic first: a swapped image/label file is also too short for the other's header. */
  private static void checkMagic(Path file, ByteBuffer bytes, int headerBytes, int expected)
      throws MalformedDatasetException {
    if (bytes.capacity() >= Integer.BYTES) {
      int found = bytes.getInt(0);
      if (found != expected) {
        throw new MalformedDatasetException(
            file,
            String.format(
                "wrong magic: expected %d (0x%08x) found %d (0x%08x)",
                expected, expected, found, found));
      }
    }
    if (bytes.capacity() < headerBytes) {
      throw new MalformedDatasetException(
          file,
          "truncated: expected a header of "
              + headerBytes
              + " bytes found "
              + bytes.capacity()
              + " bytes");
    }
  }

  private static void checkLength(Path file, long found, long expected)
      throws MalformedDatasetException {
    if (found < expected) {
      throw new MalformedDatasetException(
          file, "truncated: expected " + expected + " bytes found " + found + " bytes");
    }
    if (found > expected) {
      throw new MalformedDatasetException(
          file,
          "trailing data: expected "
              + expected
              + " bytes found "
              + found
              + " bytes (header and size disagree)");
    }
  }
}
