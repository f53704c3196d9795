package org.stiffness.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConfigurationHashTest {
  @Test
  void theHashFollowsValuesShapesAndLabels() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] v = {1, 2, 3, 4, 5, 6};
      String base = new ConfigurationHash().array("w", m.create(v, new Shape(2, 3))).hex();
      assertEquals(
          base, new ConfigurationHash().array("w", m.create(v.clone(), new Shape(2, 3))).hex());
      float[] changed = v.clone();
      changed[5] = Math.nextUp(6f);
      assertNotEquals(
          base, new ConfigurationHash().array("w", m.create(changed, new Shape(2, 3))).hex());
      assertNotEquals(base, new ConfigurationHash().array("w", m.create(v, new Shape(3, 2))).hex());
      assertNotEquals(base, new ConfigurationHash().array("v", m.create(v, new Shape(2, 3))).hex());
      assertNotEquals(
          new ConfigurationHash().text("a", "bc").text("d", "").hex(),
          new ConfigurationHash().text("a", "b").text("d", "c").hex());
      assertEquals(64, base.length());
    }
  }

  /**
   * An array larger than a slice (read from its device a slice of rows at a time) hashes to what a
   * plain SHA-256 of the documented encoding gives: every label, kind and length, then the bytes
   * little-endian; the rows do not divide evenly into slices.
   */
  @Test
  void aLargeArrayHashedBySlicesIsTheHashOfItsBytes() throws NoSuchAlgorithmException {
    int rows = 3001;
    int cols = 2000; // 24 MB: slices of 1048 rows and a remainder
    float[] v = new float[rows * cols];
    Random random = new Random(7);
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextFloat() - 0.5f;
    }
    try (NDManager m = NDManager.newBaseManager()) {
      String actual = new ConfigurationHash().array("x", m.create(v, new Shape(rows, cols))).hex();
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      ByteBuffer bytes = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      for (float f : v) {
        bytes.putFloat(f);
      }
      String dtype = "float32";
      String shape = "(" + rows + ", " + cols + ")";
      for (String[] item : new String[][] {{"x.dtype", dtype}, {"x.shape", shape}}) {
        byte[] text = item[1].getBytes(StandardCharsets.UTF_8);
        sha.update((item[0] + "\0text\0" + text.length + "\0").getBytes(StandardCharsets.UTF_8));
        sha.update(text);
      }
      sha.update(("x\0data\0" + bytes.capacity() + "\0").getBytes(StandardCharsets.UTF_8));
      sha.update(bytes.array());
      assertEquals(HexFormat.of().formatHex(sha.digest()), actual);
      assertTrue(bytes.capacity() > 2 * ConfigurationHash.SLICE_BYTES);
    }
  }
}
