package org.stiffness.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.stiffness.io.AtomicFiles;

/**
 * PNG and text files written atomically ({@link AtomicFiles}): a reader, or a browser refreshing
 * the report, never sees a half-written file, and a failed write leaves no temporary file behind.
 */
final class PngFiles {
  private PngFiles() {}

  static Path writePng(Path target, BufferedImage image) throws IOException {
    return AtomicFiles.writeStream(
        target,
        out -> {
          if (!ImageIO.write(image, "png", out)) {
            throw new IOException("no PNG writer available for " + target);
          }
        });
  }

  static Path writeText(Path target, String text) throws IOException {
    return AtomicFiles.writeStream(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }
}
