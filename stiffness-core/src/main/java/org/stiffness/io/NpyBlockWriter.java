package org.stiffness.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;
import java.util.UUID;

/**
 * Writes a 2-D {@code .npy} file block by block, so that a matrix larger than memory can be written
 * from its tiles: the header first, then each block's rows at their offsets. The file is built
 * under a temporary name in the target's directory and renamed over the target by {@link #commit()}
 * only once every element was written; {@link #close()} without a commit removes it, so an
 * interrupted run never leaves a partial matrix under the real name.
 */
public final class NpyBlockWriter implements AutoCloseable {
  private final Path target;
  private final Path tmp;
  private final FileChannel channel;
  private final NpyDtype dtype;
  private final long rows;
  private final long cols;
  private final long dataStart;
  private long written;
  private boolean committed;

  private NpyBlockWriter(Path target, NpyDtype dtype, long rows, long cols) throws IOException {
    this.target = target.toAbsolutePath();
    this.dtype = dtype;
    this.rows = rows;
    this.cols = cols;
    Path dir = this.target.getParent();
    Files.createDirectories(dir);
    tmp = dir.resolve("." + this.target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    channel = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
    byte[] header =
        NpyWriter.header(dtype, new long[] {rows, cols}, Math.multiplyExact(rows, cols));
    write(ByteBuffer.wrap(header), 0);
    dataStart = header.length;
  }

  /**
   * Starts a {@code (rows, cols)} file of {@code dtype} elements.
   *
   * @throws IOException when the temporary file cannot be made next to {@code target}
   */
  public static NpyBlockWriter create(Path target, NpyDtype dtype, long rows, long cols)
      throws IOException {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(dtype, "dtype");
    if (rows < 0 || cols < 0) {
      throw new IllegalArgumentException("negative shape (" + rows + ", " + cols + ")");
    }
    return new NpyBlockWriter(target, dtype, rows, cols);
  }

  /** Receives element k of the block, row-major, into a little-endian buffer. */
  @FunctionalInterface
  public interface Elements {
    /** Puts element {@code k} of the block into {@code buffer} in the file's byte order. */
    void put(ByteBuffer buffer, int k);
  }

  /**
   * Writes an {@code (height, width)} block at {@code (row0, col0)}; element {@code (i, j)} of the
   * block is {@code elements.put(buffer, i * width + j)}.
   */
  public void block(long row0, long col0, int height, int width, Elements elements)
      throws IOException {
    if (row0 < 0 || col0 < 0 || row0 + height > rows || col0 + width > cols) {
      throw new IllegalArgumentException(
          "block ("
              + row0
              + ", "
              + col0
              + ") of "
              + height
              + " x "
              + width
              + " does not fit a "
              + rows
              + " x "
              + cols
              + " matrix");
    }
    int size = dtype.bytes();
    ByteBuffer row = ByteBuffer.allocate(width * size).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < height; i++) {
      row.clear();
      for (int j = 0; j < width; j++) {
        elements.put(row, i * width + j);
      }
      row.flip();
      write(row, dataStart + ((row0 + i) * cols + col0) * size);
    }
    written += (long) height * width;
  }

  private void write(ByteBuffer buffer, long position) throws IOException {
    while (buffer.hasRemaining()) {
      position += channel.write(buffer, position);
    }
  }

  /**
   * Forces the file to disk and renames it over the target.
   *
   * @throws IllegalStateException when fewer elements were written than the matrix has
   */
  public void commit() throws IOException {
    if (written != rows * cols) {
      throw new IllegalStateException(
          target + ": " + written + " of " + rows * cols + " elements were written");
    }
    channel.force(true);
    channel.close();
    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    committed = true;
  }

  /** Removes the unfinished file unless {@link #commit()} succeeded. */
  @Override
  public void close() throws IOException {
    if (!committed) {
      channel.close();
      Files.deleteIfExists(tmp);
    }
  }
}
