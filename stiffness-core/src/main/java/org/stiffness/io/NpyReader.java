package org.stiffness.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the {@code .npy} files {@link NpyWriter} writes: version 1.0, C order, 1-D or 2-D, dtype
 * {@code '<f4'}, {@code '<f8'}, {@code '|i1'} or {@code '<i8'}. Anything else is rejected with an
 * {@link IOException} naming the file, what was expected and what was found.
 */
public final class NpyReader {
  private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
  private static final Pattern ORDER = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
  private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

  private NpyReader() {}

  /** Reads a whole file into memory. */
  public static NpyArray read(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer pre = readExactly(file, ch, NpyWriter.MAGIC.length + 4, "the 10-byte preamble");
      for (int k = 0; k < NpyWriter.MAGIC.length; k++) {
        if (pre.get(k) != NpyWriter.MAGIC[k]) {
          throw fail(file, "the magic string \\x93NUMPY", "other bytes at the start");
        }
      }
      int major = pre.get(6);
      int minor = pre.get(7);
      if (major != 1 || minor != 0) {
        throw fail(file, "format version 1.0", "version " + major + "." + minor);
      }
      int headerLength = Short.toUnsignedInt(pre.order(ByteOrder.LITTLE_ENDIAN).getShort(8));
      ByteBuffer headerBytes = readExactly(file, ch, headerLength, "a header of " + headerLength);
      String header = StandardCharsets.US_ASCII.decode(headerBytes).toString();

      NpyDtype dtype = NpyDtype.fromDescr(group(file, DESCR, header, "'descr'"));
      if (dtype == null) {
        throw fail(file, "descr '<f4', '<f8', '|i1' or '<i8'", header.trim());
      }
      if (!"False".equals(group(file, ORDER, header, "'fortran_order'"))) {
        throw fail(file, "fortran_order False (C order)", "fortran_order True");
      }
      long[] shape = parseShape(file, group(file, SHAPE, header, "'shape'"));
      long count = shape.length == 1 ? shape[0] : shape[0] * shape[1];
      long dataBytes = count * dtype.bytes();
      long available = ch.size() - ch.position();
      if (count > Integer.MAX_VALUE - 8 || available != dataBytes) {
        throw fail(
            file,
            dataBytes + " data bytes for shape " + Arrays.toString(shape),
            available + " bytes");
      }
      ByteBuffer data = readExactly(file, ch, (int) dataBytes, "the data");
      data.order(ByteOrder.LITTLE_ENDIAN);
      int n = (int) count;
      Object array;
      switch (dtype) {
        case FLOAT32 -> {
          float[] a = new float[n];
          data.asFloatBuffer().get(a);
          array = a;
        }
        case FLOAT64 -> {
          double[] a = new double[n];
          data.asDoubleBuffer().get(a);
          array = a;
        }
        case INT8 -> {
          byte[] a = new byte[n];
          data.get(a);
          array = a;
        }
        case INT64 -> {
          long[] a = new long[n];
          data.asLongBuffer().get(a);
          array = a;
        }
        default -> throw new AssertionError(dtype);
      }
      return new NpyArray(file, dtype, shape, array);
    }
  }

  private static long[] parseShape(Path file, String text) throws IOException {
    String[] parts = text.split(",");
    int dims = 0;
    long[] shape = new long[parts.length];
    for (String p : parts) {
      String t = p.trim();
      if (t.isEmpty()) {
        continue; // the trailing comma of a 1-tuple
      }
      try {
        shape[dims++] = Long.parseLong(t);
      } catch (NumberFormatException e) {
        throw fail(file, "integer dimensions in 'shape'", "(" + text + ")");
      }
    }
    if (dims < 1 || dims > 2) {
      throw fail(file, "a 1-D or 2-D shape", "(" + text + ")");
    }
    long[] out = Arrays.copyOf(shape, dims);
    for (long s : out) {
      if (s < 0) {
        throw fail(file, "non-negative dimensions", "(" + text + ")");
      }
    }
    return out;
  }

  private static String group(Path file, Pattern p, String header, String key) throws IOException {
    Matcher m = p.matcher(header);
    if (!m.find()) {
      throw fail(file, "a header with key " + key, header.trim());
    }
    return m.group(1);
  }

  private static ByteBuffer readExactly(Path file, FileChannel ch, int n, String what)
      throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(n);
    while (buf.hasRemaining()) {
      if (ch.read(buf) < 0) {
        throw fail(file, what, "end of file after " + buf.position() + " bytes");
      }
    }
    return buf.flip();
  }

  private static IOException fail(Path file, String expected, String found) {
    return new IOException(
        file + ": not a supported .npy file: expected " + expected + ", found " + found);
  }
}
