package org.stiffness.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The files this process has mapped, read from {@code /proc/self/maps}: the native libraries really
 * loaded (DJL loads libtorch, and libtorch its CUDA runtime, from paths no Java API names). Empty
 * where there is no {@code /proc} (not Linux).
 */
public final class MappedLibraries {
  private MappedLibraries() {}

  /** Absolute paths of the mapped files, in the order of the maps, each once. */
  public static List<Path> files() {
    try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
      return lines
          .map(line -> line.substring(line.lastIndexOf(' ') + 1))
          .filter(path -> path.startsWith("/"))
          .distinct()
          .map(Path::of)
          .toList();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }
}
