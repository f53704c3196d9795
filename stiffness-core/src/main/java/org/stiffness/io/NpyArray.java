package org.stiffness.io;

import java.nio.file.Path;

/**
 * An array read by {@link NpyReader}: dtype, shape ({@code (n)} or {@code (rows, cols)}, C order)
 * and the data as the matching primitive array.
 */
public final class NpyArray {
  private final Path file;
  private final NpyDtype dtype;
  private final long[] shape;
  private final Object data;

  NpyArray(Path file, NpyDtype dtype, long[] shape, Object data) {
    this.file = file;
    this.dtype = dtype;
    this.shape = shape;
    this.data = data;
  }

  /** Element type. */
  public NpyDtype dtype() {
    return dtype;
  }

  /** Shape (copy), length 1 or 2. */
  public long[] shape() {
    return shape.clone();
  }

  /** Data of a {@code '<f4'} array, row-major. */
  public float[] floats() {
    return (float[]) require(NpyDtype.FLOAT32);
  }

  /** Data of a {@code '<f8'} array, row-major. */
  public double[] doubles() {
    return (double[]) require(NpyDtype.FLOAT64);
  }

  /** Data of a {@code '|i1'} array, row-major. */
  public byte[] bytes() {
    return (byte[]) require(NpyDtype.INT8);
  }

  /** Data of a {@code '<i8'} array, row-major. */
  public long[] longs() {
    return (long[]) require(NpyDtype.INT64);
  }

  private Object require(NpyDtype expected) {
    if (dtype != expected) {
      throw new IllegalStateException(
          file + ": holds '" + dtype.descr() + "', not the requested '" + expected.descr() + "'");
    }
    return data;
  }
}
