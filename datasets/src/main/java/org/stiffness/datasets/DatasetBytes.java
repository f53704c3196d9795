package org.stiffness.datasets;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Reads a whole dataset file, decompressing it when it is gzipped. */
public final class DatasetBytes {

  private DatasetBytes() {}

  /**
   * The file's content, gunzipped if it starts with the gzip magic bytes 1f 8b. The magic bytes
   * decide, not the name: mirrors store the same IDX files both with and without {@code .gz}, and
   * sometimes under the wrong one.
   *
   * @throws MalformedDatasetException if the gzip stream is truncated or corrupt
   */
  public static byte[] read(Path file) throws IOException {
    byte[] raw = Files.readAllBytes(file);
    if (!isGzip(raw)) {
      return raw;
    }
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw), 1 << 16)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new MalformedDatasetException(
          file, "truncated or corrupt gzip stream (" + e.getMessage() + ")", e);
    }
  }

  static boolean isGzip(byte[] bytes) {
    return bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
  }
}
