package org.stiffness.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/**
 * Atomic writes: a temporary file in the target's directory (same file system, so the rename is
 * atomic), then a rename over the target. A reader, or a browser refreshing the report, never sees
 * a half-written file, and a failed write leaves no temporary file behind.
 */
final class PngFiles {
  private PngFiles() {}

  interface Content {
    void writeTo(Path tmp) throws IOException;
  }

  static Path writePng(Path target, BufferedImage image) throws IOException {
    return write(
        target,
        tmp -> {
          if (!ImageIO.write(image, "png", tmp.toFile())) {
            throw new IOException("no PNG writer available for " + target);
          }
        });
  }

  static Path writeText(Path target, String text) throws IOException {
    return write(target, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
  }

  static Path write(Path target, Content content) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + absolute.getFileName() + ".", ".tmp");
    boolean moved = false;
    try {
      content.writeTo(tmp);
      Files.move(
          tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
    return absolute;
  }
}
