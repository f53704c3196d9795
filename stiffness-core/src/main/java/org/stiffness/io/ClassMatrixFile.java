package org.stiffness.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a class matrix that the summary writes ({@code <pairing>.class-cos.npy}, {@code
 * <pairing>.class-sign.npy}, a grouping's matrices): a square {@code (C, C)} array of {@code <f8}
 * (or {@code <f4}) values, row-major, NaN for a cell without pairs. Every other shape or dtype is
 * refused with an {@link IOException} naming the file, what was expected and what was found.
 */
public final class ClassMatrixFile {
  private ClassMatrixFile() {}

  /**
   * The matrix as rows: {@code m[a][b]} is the cell of row class {@code a} and column class {@code
   * b}, widened to float64.
   *
   * @throws IOException when the file is missing, is no {@code .npy} file {@link NpyReader} reads,
   *     or holds no square float matrix; the message names the file
   */
  public static double[][] read(Path file) throws IOException {
    double[] flat = readRowMajor(file);
    int n = (int) Math.round(Math.sqrt(flat.length));
    double[][] m = new double[n][];
    for (int r = 0; r < n; r++) {
      m[r] = Arrays.copyOfRange(flat, r * n, (r + 1) * n);
    }
    return m;
  }

  /**
   * The matrix as one row-major array of {@code C * C} values, widened to float64.
   *
   * @throws IOException as {@link #read}
   */
  public static double[] readRowMajor(Path file) throws IOException {
    NpyArray a = NpyReader.read(file);
    long[] shape = a.shape();
    if (shape.length != 2 || shape[0] != shape[1]) {
      throw new IOException(
          file
              + ": expected a square class matrix of shape (C, C), found shape "
              + Arrays.toString(shape).replace('[', '(').replace(']', ')'));
    }
    return switch (a.dtype()) {
      case FLOAT64 -> a.doubles();
      case FLOAT32 -> {
        float[] f = a.floats();
        double[] d = new double[f.length];
        for (int k = 0; k < f.length; k++) {
          d[k] = f[k];
        }
        yield d;
      }
      default ->
          throw new IOException(
              file
                  + ": expected a class matrix of float64 ('<f8') or float32 ('<f4'), found '"
                  + a.dtype().descr()
                  + "'");
    };
  }
}
