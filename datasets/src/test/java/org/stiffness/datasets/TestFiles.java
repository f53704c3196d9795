package org.stiffness.datasets;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes small files in the exact published formats, byte by byte, independently of the readers.
 */
public final class TestFiles {

  private TestFiles() {}

  /** IDX images: magic 2051, n, rows, cols (big-endian), then the pixel bytes. */
  public static byte[] idxImages(int n, int rows, int cols, byte[] pixels) {
    ByteBuffer b = ByteBuffer.allocate(16 + pixels.length); // ByteBuffer is big-endian
    b.putInt(2051).putInt(n).putInt(rows).putInt(cols).put(pixels);
    return b.array();
  }

  /** IDX labels: magic 2049, n (big-endian), then the label bytes. */
  public static byte[] idxLabels(byte[] labels) {
    ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
    b.putInt(2049).putInt(labels.length).put(labels);
    return b.array();
  }

  public static byte[] gzip(byte[] raw) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        gz.write(raw);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A CIFAR record: the label bytes then 3072 pixel bytes. */
  public static byte[] cifarRecord(byte[] pixels, int... labels) {
    if (pixels.length != 3072) {
      throw new IllegalArgumentException("a CIFAR record has 3072 pixel bytes");
    }
    ByteBuffer b = ByteBuffer.allocate(labels.length + 3072);
    for (int l : labels) {
      b.put((byte) l);
    }
    return b.put(pixels).array();
  }

  /** A deterministic pixel pattern that differs between records and channels and spans 0..255. */
  public static byte[] cifarPixels(int record) {
    byte[] p = new byte[3072];
    for (int k = 0; k < p.length; k++) {
      p[k] = (byte) ((k * 7 + record * 31) % 256);
    }
    return p;
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  public static Path write(Path file, byte[] bytes) {
    try {
      Files.createDirectories(file.getParent());
      return Files.write(file, bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A names file as published: one name per line, followed by blank lines. */
  public static Path writeNames(Path file, List<String> names) {
    return write(file, (String.join("\n", names) + "\n\n\n").getBytes(StandardCharsets.UTF_8));
  }

  public static List<String> names(String prefix, int count) {
    return IntStream.range(0, count).mapToObj(k -> prefix + k).toList();
  }
}
