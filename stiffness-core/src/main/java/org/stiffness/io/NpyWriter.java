package org.stiffness.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * Writes 1-D and 2-D C-order arrays as {@code .npy} version 1.0 files that {@code numpy.load}
 * reads, atomically (temporary file in the same directory, then rename).
 *
 * <p>Format: magic {@code \x93NUMPY}, version bytes 1 0, a little-endian uint16 header length, an
 * ASCII header {@code {'descr': '<f4', 'fortran_order': False, 'shape': (r, c), }} padded with
 * spaces and a final newline so the data starts at a multiple of 64 bytes, then the raw data.
 */
public final class NpyWriter {
  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  static final int ALIGN = 64;
  private static final int CHUNK = 1 << 20;

  private NpyWriter() {}

  /** Writes float32 data of the given shape ({@code (n)} or {@code (rows, cols)}). */
  public static void write(Path file, float[] data, long... shape) throws IOException {
    Objects.requireNonNull(data, "data");
    write(
        file,
        NpyDtype.FLOAT32,
        data.length,
        shape,
        (buf, from, to) -> buf.asFloatBuffer().put(data, from, to - from));
  }

  /** Writes float64 data of the given shape. */
  public static void write(Path file, double[] data, long... shape) throws IOException {
    Objects.requireNonNull(data, "data");
    write(
        file,
        NpyDtype.FLOAT64,
        data.length,
        shape,
        (buf, from, to) -> buf.asDoubleBuffer().put(data, from, to - from));
  }

  /** Writes int8 data of the given shape. */
  public static void write(Path file, byte[] data, long... shape) throws IOException {
    Objects.requireNonNull(data, "data");
    write(
        file, NpyDtype.INT8, data.length, shape, (buf, from, to) -> buf.put(data, from, to - from));
  }

  /** Writes int64 data of the given shape. */
  public static void write(Path file, long[] data, long... shape) throws IOException {
    Objects.requireNonNull(data, "data");
    write(
        file,
        NpyDtype.INT64,
        data.length,
        shape,
        (buf, from, to) -> buf.asLongBuffer().put(data, from, to - from));
  }

  /** Copies elements [from, to) into a little-endian buffer positioned at 0. */
  private interface Chunk {
    void put(ByteBuffer buf, int from, int to);
  }

  private static void write(Path file, NpyDtype dtype, int length, long[] shape, Chunk chunk)
      throws IOException {
    Objects.requireNonNull(file, "file");
    byte[] header = header(dtype, shape, length);
    int perChunk = CHUNK / dtype.bytes();
    AtomicFiles.write(
        file,
        ch -> {
          writeFully(ch, ByteBuffer.wrap(header));
          ByteBuffer buf =
              ByteBuffer.allocate(perChunk * dtype.bytes()).order(ByteOrder.LITTLE_ENDIAN);
          for (int from = 0; from < length; from += perChunk) {
            int to = Math.min(length, from + perChunk);
            buf.clear();
            chunk.put(buf, from, to);
            // The typed views above do not move buf's position, so set the limit by hand.
            buf.position(0).limit((to - from) * dtype.bytes());
            writeFully(ch, buf);
          }
        });
  }

  static byte[] header(NpyDtype dtype, long[] shape, long length) {
    Objects.requireNonNull(shape, "shape");
    if (shape.length < 1 || shape.length > 2) {
      throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " must be 1-D or 2-D");
    }
    long product = 1;
    for (long s : shape) {
      if (s < 0) {
        throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
      }
      product *= s;
    }
    if (product != length) {
      throw new IllegalArgumentException(
          "shape "
              + Arrays.toString(shape)
              + " holds "
              + product
              + " elements, data has "
              + length);
    }
    String shapeText =
        shape.length == 1 ? "(" + shape[0] + ",)" : "(" + shape[0] + ", " + shape[1] + ")";
    String dict =
        "{'descr': '" + dtype.descr() + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
    int preamble = MAGIC.length + 2 + 2;
    int total = preamble + dict.length() + 1; // + '\n'
    int padded = (total + ALIGN - 1) / ALIGN * ALIGN;
    StringBuilder text = new StringBuilder(dict);
    text.append(" ".repeat(padded - total)).append('\n');
    byte[] dictBytes = text.toString().getBytes(StandardCharsets.US_ASCII);
    ByteBuffer out =
        ByteBuffer.allocate(preamble + dictBytes.length).order(ByteOrder.LITTLE_ENDIAN);
    out.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) dictBytes.length).put(dictBytes);
    return out.array();
  }

  private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
    while (buf.hasRemaining()) {
      ch.write(buf);
    }
  }
}
