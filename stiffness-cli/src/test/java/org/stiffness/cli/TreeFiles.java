package org.stiffness.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** The files under a directory, for comparing two runs' outputs byte for byte. */
final class TreeFiles {
  private TreeFiles() {}

  /**
   * Every regular file under {@code dir} by its relative path, except {@code .tmp} files: a killed
   * writer may leave its temporary behind, and it is not part of the output.
   */
  static Map<String, byte[]> read(Path dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.filter(Files::isRegularFile).toList()) {
        if (!p.getFileName().toString().endsWith(".tmp")) {
          out.put(dir.relativize(p).toString(), Files.readAllBytes(p));
        }
      }
    }
    return out;
  }
}
