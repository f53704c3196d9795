package org.stiffness.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Shared libraries this process has mapped, read from {@code /proc/self/maps}: the copies DJL
 * really loaded (it extracts libtorch and its JNI into its cache, or takes them from {@code
 * PYTORCH_LIBRARY_PATH}), which no DJL API names. Empty where there is no {@code /proc} (not
 * Linux).
 */
final class LoadedLibraries {
  private LoadedLibraries() {}

  /** Absolute path of the first mapped file whose name ends with {@code suffix}. */
  static Optional<Path> find(String suffix) {
    try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
      return lines
          .map(line -> line.substring(line.lastIndexOf(' ') + 1))
          .filter(path -> path.startsWith("/") && path.endsWith(suffix))
          .findFirst()
          .map(Path::of);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
