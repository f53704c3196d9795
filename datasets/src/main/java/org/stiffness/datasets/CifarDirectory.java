package org.stiffness.datasets;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Locating the CIFAR binary files: the directory itself or its standard subdirectory. */
final class CifarDirectory {

  private CifarDirectory() {}

  /**
   * {@code dir} if it holds {@code marker}, else {@code dir/subdirectory} if that does (the layout
   * of the unpacked tarball).
   */
  static Path resolve(Path dir, String subdirectory, String marker) throws NoSuchFileException {
    if (Files.isRegularFile(dir.resolve(marker))) {
      return dir;
    }
    Path sub = dir.resolve(subdirectory);
    if (Files.isRegularFile(sub.resolve(marker))) {
      return sub;
    }
    throw new NoSuchFileException(
        dir.toString(), null, "no " + marker + " here nor in " + subdirectory + "/");
  }

  static Path require(Path dir, String file) throws NoSuchFileException {
    Path p = dir.resolve(file);
    if (!Files.isRegularFile(p)) {
      throw new NoSuchFileException(p.toString(), null, "missing");
    }
    return p;
  }
}
