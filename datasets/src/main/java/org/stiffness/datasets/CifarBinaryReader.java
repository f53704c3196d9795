package org.stiffness.datasets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads the "binary version" of CIFAR-10 and CIFAR-100: fixed-size records without a header.
 *
 * <ul>
 *   <li>CIFAR-10 ({@code data_batch_1..5.bin}, {@code test_batch.bin}): 1 label byte + 3072 pixel
 *       bytes.
 *   <li>CIFAR-100 ({@code train.bin}, {@code test.bin}): 1 coarse label byte, 1 fine label byte +
 *       3072 pixel bytes.
 * </ul>
 *
 * The 3072 pixel bytes are the 1024 red, then green, then blue values of a 32x32 image, rows top to
 * bottom: exactly the (C, H, W) row-major layout of {@link LabelledImages}. Pixels are scaled from
 * 0..255 to [0, 1].
 */
public final class CifarBinaryReader {

  /** Shape of one CIFAR image. */
  public static final ImageShape SHAPE = new ImageShape(3, 32, 32);

  private static final int PIXEL_BYTES = 3 * 32 * 32;

  private CifarBinaryReader() {}

  /**
   * Reads and concatenates CIFAR-10 batch files, in the order given.
   *
   * @param batches e.g. {@code data_batch_1.bin .. data_batch_5.bin}
   * @param classNames the 10 names from {@code batches.meta.txt}
   * @throws MalformedDatasetException naming the file for an empty file, a size that is not a whole
   *     number of records, or a label out of range
   */
  public static LabelledImages readCifar10(List<Path> batches, List<String> classNames, String name)
      throws IOException {
    Records r = readRecords(batches, 1, classNames.size(), -1);
    return new LabelledImages(name, SHAPE, r.pixels, r.fine, classNames);
  }

  /**
   * Reads and concatenates CIFAR-100 files, in the order given.
   *
   * @param files e.g. {@code train.bin}
   * @param fineNames the 100 names from {@code fine_label_names.txt}
   * @param coarseNames the 20 names from {@code coarse_label_names.txt}
   * @throws MalformedDatasetException naming the file for an empty file, a size that is not a whole
   *     number of records, or a label out of range
   */
  public static LabelledImages readCifar100(
      List<Path> files, List<String> fineNames, List<String> coarseNames, String name)
      throws IOException {
    Records r = readRecords(files, 2, fineNames.size(), coarseNames.size());
    return new LabelledImages(name, SHAPE, r.pixels, r.fine, fineNames, r.coarse, coarseNames);
  }

  /** Bytes of one CIFAR-10 record (1 label byte + the pixels). */
  public static final int CIFAR10_RECORD_BYTES = 1 + PIXEL_BYTES;

  /** Bytes of one CIFAR-100 record (coarse and fine label bytes + the pixels). */
  public static final int CIFAR100_RECORD_BYTES = 2 + PIXEL_BYTES;

  /**
   * Refuses a file that does not hold exactly {@code records} records, before anything is read: a
   * published file has a fixed size, so a shorter one (even an empty one) is damaged, not smaller.
   *
   * @param recordBytes {@link #CIFAR10_RECORD_BYTES} or {@link #CIFAR100_RECORD_BYTES}
   * @param standard what the file is, for the message ({@code a CIFAR-10 batch})
   * @throws MalformedDatasetException naming the file, the size expected and the size found
   */
  public static void requireRecords(Path file, int recordBytes, int records, String standard)
      throws IOException {
    long expected = (long) records * recordBytes;
    long found = Files.size(file);
    if (found != expected) {
      throw new MalformedDatasetException(
          file,
          String.format(
              Locale.ROOT,
              "expected %d records (%d bytes), found %d bytes: %s holds exactly %d %d-byte"
                  + " records",
              records,
              expected,
              found,
              standard,
              records,
              recordBytes));
    }
  }

  private record Records(float[] pixels, int[] fine, int[] coarse) {}

  /** labelBytes 1: [fine]; labelBytes 2: [coarse, fine]. */
  private static Records readRecords(
      List<Path> files, int labelBytes, int fineClasses, int coarseClasses) throws IOException {
    int recordBytes = labelBytes + PIXEL_BYTES;
    List<byte[]> contents = new ArrayList<>();
    long total = 0;
    for (Path file : files) {
      byte[] bytes = DatasetBytes.read(file);
      if (bytes.length == 0) {
        throw new MalformedDatasetException(
            file, "empty: expected " + recordBytes + "-byte records");
      }
      if (bytes.length % recordBytes != 0) {
        long whole = bytes.length / recordBytes;
        throw new MalformedDatasetException(
            file,
            "truncated: expected "
                + (whole + 1) * recordBytes
                + " bytes found "
                + bytes.length
                + " bytes (not a whole number of "
                + recordBytes
                + "-byte records)");
      }
      int pixelOffset = labelBytes - 1;
      for (int i = 0; i < bytes.length / recordBytes; i++) {
        int base = i * recordBytes;
        checkLabel(file, i, "label", Byte.toUnsignedInt(bytes[base + pixelOffset]), fineClasses);
        if (labelBytes == 2) {
          checkLabel(file, i, "coarse label", Byte.toUnsignedInt(bytes[base]), coarseClasses);
        }
      }
      contents.add(bytes);
      total += bytes.length / recordBytes;
    }
    int n = Math.toIntExact(total);
    float[] pixels = new float[Math.multiplyExact(n, PIXEL_BYTES)];
    int[] fine = new int[n];
    int[] coarse = labelBytes == 2 ? new int[n] : null;
    int at = 0;
    for (byte[] bytes : contents) {
      for (int i = 0; i < bytes.length / recordBytes; i++, at++) {
        int base = i * recordBytes;
        fine[at] = Byte.toUnsignedInt(bytes[base + labelBytes - 1]);
        if (coarse != null) {
          coarse[at] = Byte.toUnsignedInt(bytes[base]);
        }
        int out = at * PIXEL_BYTES;
        for (int k = 0; k < PIXEL_BYTES; k++) {
          pixels[out + k] = Byte.toUnsignedInt(bytes[base + labelBytes + k]) / 255f;
        }
      }
    }
    return new Records(pixels, fine, coarse);
  }

  private static void checkLabel(Path file, int record, String what, int value, int classes)
      throws MalformedDatasetException {
    if (value >= classes) {
      throw new MalformedDatasetException(
          file,
          what
              + " out of range at record "
              + record
              + ": "
              + value
              + " not in 0.."
              + (classes - 1));
    }
  }
}
