package org.stiffness.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/** A small MNIST-layout directory (the four IDX files) with the labels a test chooses. */
final class IdxFixture {
  private static final int SIDE = 28;

  private IdxFixture() {}

  /** Writes {@code dir}'s four IDX files: random pixels, the given labels. */
  static Path write(Path dir, int[] trainLabels, int[] testLabels, long seed) throws IOException {
    Files.createDirectories(dir);
    Random random = new Random(seed);
    write(dir, "train", trainLabels, random);
    write(dir, "t10k", testLabels, random);
    return dir;
  }

  /** {@code n} labels cycling through classes {@code 0..classes-1}. */
  static int[] cycling(int n, int classes) {
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % classes;
    }
    return labels;
  }

  private static void write(Path dir, String stem, int[] labels, Random random) throws IOException {
    int n = labels.length;
    ByteBuffer images = ByteBuffer.allocate(16 + n * SIDE * SIDE);
    images.putInt(0x00000803).putInt(n).putInt(SIDE).putInt(SIDE);
    byte[] pixels = new byte[n * SIDE * SIDE];
    random.nextBytes(pixels);
    images.put(pixels);
    Files.write(dir.resolve(stem + "-images-idx3-ubyte"), images.array());
    ByteBuffer out = ByteBuffer.allocate(8 + n);
    out.putInt(0x00000801).putInt(n);
    for (int label : labels) {
      out.put((byte) label);
    }
    Files.write(dir.resolve(stem + "-labels-idx1-ubyte"), out.array());
  }
}
