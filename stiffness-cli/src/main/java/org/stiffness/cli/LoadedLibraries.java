package org.stiffness.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Shared libraries this process has mapped, read from {@code /proc/self/maps}: the copies DJL
 * really loaded (it extracts libtorch and its JNI into its cache, or takes them from {@code
 * PYTORCH_LIBRARY_PATH}), which no DJL API names. Empty where there is no {@code /proc} (not
 * Linux).
 */
final class LoadedLibraries {
  private LoadedLibraries() {}

  /** libtorch's c10, also as a versioned file (Debian's torch/lib links to libc10.so.1.13). */
  static final Pattern C10 = Pattern.compile("libc10\\.so(\\.[0-9]+)*");

  /** DJL's JNI, extracted or built as {@code <djl version>-libdjl_torch.so}. */
  static final Pattern DJL_JNI = Pattern.compile("(.*-)?libdjl_torch\\.so");

  /**
   * Absolute path of the first mapped file whose name matches, as the kernel maps it: symbolic
   * links resolved.
   */
  static Optional<Path> find(Pattern fileName) {
    try (var lines = Files.lines(Path.of("/proc/self/maps"))) {
      return lines
          .map(line -> line.substring(line.lastIndexOf(' ') + 1))
          .filter(path -> path.startsWith("/"))
          .map(Path::of)
          .filter(path -> path.getFileName() != null)
          .filter(path -> fileName.matcher(path.getFileName().toString()).matches())
          .findFirst();
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
