package org.stiffness.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyBlockWriterTest {
  @TempDir Path temp;

  @Test
  void blocksInAnyOrderMakeTheFileNpyWriterMakes() throws IOException {
    int rows = 5;
    int cols = 7;
    float[] all = new float[rows * cols];
    for (int k = 0; k < all.length; k++) {
      all[k] = k * 0.5f - 3;
    }
    Path expected = temp.resolve("expected.npy");
    NpyWriter.write(expected, all, rows, cols);
    Path target = temp.resolve("blocks.npy");
    try (NpyBlockWriter w = NpyBlockWriter.create(target, NpyDtype.FLOAT32, rows, cols)) {
      // Columns 4..7 first, then 0..4 in two row bands.
      w.block(0, 4, rows, 3, (b, k) -> b.putFloat(all[(k / 3) * cols + 4 + k % 3]));
      w.block(3, 0, 2, 4, (b, k) -> b.putFloat(all[(3 + k / 4) * cols + k % 4]));
      w.block(0, 0, 3, 4, (b, k) -> b.putFloat(all[(k / 4) * cols + k % 4]));
      w.commit();
    }
    assertArrayEquals(Files.readAllBytes(expected), Files.readAllBytes(target));
  }

  @Test
  void anUnfinishedMatrixNeverAppearsUnderItsName() throws IOException {
    Path target = temp.resolve("m.npy");
    try (NpyBlockWriter w = NpyBlockWriter.create(target, NpyDtype.INT8, 2, 2)) {
      w.block(0, 0, 1, 2, (b, k) -> b.put((byte) 1));
      IllegalStateException e = assertThrows(IllegalStateException.class, w::commit);
      assertTrue(e.getMessage().contains("2 of 4 elements were written"), e.getMessage());
      assertThrows(
          IllegalArgumentException.class, () -> w.block(1, 1, 1, 2, (b, k) -> b.put((byte) 0)));
    }
    assertFalse(Files.exists(target));
    try (Stream<Path> left = Files.list(temp)) {
      assertEquals(0, left.count(), "the temporary file is removed");
    }
  }
}
