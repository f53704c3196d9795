package org.stiffness.jobs;

import ai.djl.ndarray.NDArray;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 of everything a tile's numbers depend on: the model's parameters, the examples exactly as
 * fed, and the options (tile plan, precision, strategy, gradient method). Tiles carry it, so tiles
 * of another checkpoint or other options are never assembled into one matrix.
 *
 * <p>Every item is hashed with its label, type and length, so that moving bytes from one item to
 * the next changes the hash. Arrays are hashed as dtype, shape and raw little-endian bytes: the
 * same values give the same hash however the file holding them was written.
 */
public final class ConfigurationHash {
  private final MessageDigest digest;

  /** An empty hash (SHA-256) to add the configuration to. */
  public ConfigurationHash() {
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no SHA-256", e);
    }
  }

  /** Adds a labelled text item (an option's value, a name). */
  public ConfigurationHash text(String label, String value) {
    item(label, "text", value.getBytes(StandardCharsets.UTF_8));
    return this;
  }

  /**
   * Adds a labelled array: dtype, shape and data. An array of more than {@link #SLICE_BYTES} is
   * read from its device in slices of rows (the same hash, without a second copy of a whole dataset
   * in memory).
   */
  public ConfigurationHash array(String label, NDArray array) {
    text(label + ".dtype", array.getDataType().toString());
    text(label + ".shape", array.getShape().toString());
    long bytes = array.size() * array.getDataType().getNumOfBytes();
    long rows = array.getShape().dimension() == 0 ? 1 : array.getShape().get(0);
    if (bytes <= SLICE_BYTES || rows <= 1) {
      head(label, "data", bytes);
      digest.update(array.toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN));
      return this;
    }
    head(label, "data", bytes);
    long step = Math.max(1, SLICE_BYTES / (bytes / rows));
    for (long r = 0; r < rows; r += step) {
      try (NDArray slice = array.get(r + ":" + Math.min(rows, r + step))) {
        digest.update(slice.toByteBuffer(true).order(ByteOrder.LITTLE_ENDIAN));
      }
    }
    return this;
  }

  /** Arrays larger than this many bytes are hashed a slice of rows at a time. */
  static final long SLICE_BYTES = 8L << 20;

  /** Adds labelled integers (ids). */
  public ConfigurationHash longs(String label, long[] values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.BIG_ENDIAN);
    for (long v : values) {
      bytes.putLong(v);
    }
    item(label, "longs", bytes.array());
    return this;
  }

  /** Adds labelled small integers (group indices). */
  public ConfigurationHash ints(String label, int[] values) {
    ByteBuffer bytes =
        ByteBuffer.allocate(values.length * Integer.BYTES).order(ByteOrder.BIG_ENDIAN);
    for (int v : values) {
      bytes.putInt(v);
    }
    item(label, "ints", bytes.array());
    return this;
  }

  private void item(String label, String kind, byte[] bytes) {
    head(label, kind, bytes.length);
    digest.update(bytes);
  }

  /** An item's label, kind and length, hashed before its bytes. */
  private void head(String label, String kind, long length) {
    digest.update((label + "\0" + kind + "\0" + length + "\0").getBytes(StandardCharsets.UTF_8));
  }

  /** The hash so far, 64 lower-case hex digits (the object can still be added to). */
  public String hex() {
    try {
      return HexFormat.of().formatHex(((MessageDigest) digest.clone()).digest());
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
    }
  }
}
