package org.stiffness.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link ClassMatrixFile} on {@code .npy} files written here byte by byte (not by {@link
 * NpyWriter}), so that the reader is checked against the format rather than against our writer.
 */
class ClassMatrixFileTest {
  @TempDir Path dir;

  /** A version 1.0 {@code .npy} file: magic, header padded to 64 bytes, little-endian data. */
  private Path npy(String name, String descr, String shape, ByteBuffer data) throws IOException {
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
    int unpadded = 10 + dict.length() + 1;
    String header = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
    out.write(header.length() & 0xff);
    out.write(header.length() >> 8);
    out.write(header.getBytes(StandardCharsets.US_ASCII));
    out.write(data.array());
    Path file = dir.resolve(name);
    Files.write(file, out.toByteArray());
    return file;
  }

  private static ByteBuffer doubles(double... v) {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (double x : v) {
      b.putDouble(x);
    }
    return b;
  }

  private static ByteBuffer floats(float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float x : v) {
      b.putFloat(x);
    }
    return b;
  }

  @Test
  void aFloat64MatrixIsReadRowByRowWithItsEmptyCellsNaN() throws IOException {
    Path f = npy("a.class-cos.npy", "<f8", "(2, 2)", doubles(0.75, -0.25, Double.NaN, 1.0));
    double[][] m = ClassMatrixFile.read(f);
    assertEquals(2, m.length);
    assertArrayEquals(new double[] {0.75, -0.25}, m[0]);
    assertTrue(Double.isNaN(m[1][0]));
    assertEquals(1.0, m[1][1]);
    assertArrayEquals(new double[] {0.75, -0.25, Double.NaN, 1.0}, ClassMatrixFile.readRowMajor(f));
  }

  @Test
  void aFloat32MatrixIsWidenedExactly() throws IOException {
    // 0.1f is not 0.1: widening keeps the float's own value, 0.100000001490116...
    Path f = npy("f.npy", "<f4", "(3, 3)", floats(0.1f, 2, 3, 4, 5, 6, 7, 8, -0.5f));
    double[][] m = ClassMatrixFile.read(f);
    assertEquals(3, m.length);
    assertEquals((double) 0.1f, m[0][0]);
    assertArrayEquals(new double[] {4, 5, 6}, m[1]);
    assertEquals(-0.5, m[2][2]);
  }

  @Test
  void aMatrixThatIsNotSquareIsRefusedNamingTheFileAndItsShape() throws IOException {
    Path f = npy("wide.npy", "<f8", "(2, 3)", doubles(1, 2, 3, 4, 5, 6));
    IOException e = assertThrows(IOException.class, () -> ClassMatrixFile.read(f));
    assertEquals(
        f + ": expected a square class matrix of shape (C, C), found shape (2, 3)", e.getMessage());
    Path v = npy("vector.npy", "<f8", "(4,)", doubles(1, 2, 3, 4));
    e = assertThrows(IOException.class, () -> ClassMatrixFile.read(v));
    assertEquals(
        v + ": expected a square class matrix of shape (C, C), found shape (4)", e.getMessage());
  }

  @Test
  void pairCountsAreNoClassMatrix() throws IOException {
    ByteBuffer counts = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
    counts.putLong(3).putLong(4).putLong(4).putLong(3);
    Path f = npy("train-val.pair-counts.npy", "<i8", "(2, 2)", counts);
    IOException e = assertThrows(IOException.class, () -> ClassMatrixFile.read(f));
    assertEquals(
        f + ": expected a class matrix of float64 ('<f8') or float32 ('<f4'), found '<i8'",
        e.getMessage());
  }

  @Test
  void aMissingOrTruncatedFileIsAnErrorNamingIt() throws IOException {
    Path missing = dir.resolve("missing.npy");
    IOException e = assertThrows(IOException.class, () -> ClassMatrixFile.read(missing));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    // Three of the four float64 values the header promises.
    Path cut = npy("cut.npy", "<f8", "(2, 2)", doubles(1, 2, 3));
    e = assertThrows(IOException.class, () -> ClassMatrixFile.read(cut));
    assertTrue(e.getMessage().startsWith(cut.toString()), e.getMessage());
  }
}
