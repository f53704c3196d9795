package org.stiffness.cli;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * An output directory that appears only when complete: work goes to a hidden sibling, which {@link
 * #commit()} renames to the requested name; a failed run leaves nothing that looks like output.
 */
final class OutputDirectory implements AutoCloseable {
  private final Path target;
  private final Path partial;
  private boolean committed;

  private OutputDirectory(Path target, Path partial) {
    this.target = target;
    this.partial = partial;
  }

  /**
   * @throws IllegalArgumentException when {@code target} is a file or a non-empty directory
   * @throws IOException when the parent cannot be created or written
   */
  static OutputDirectory create(Path target) throws IOException {
    Path absolute = target.toAbsolutePath().normalize();
    if (Files.isRegularFile(absolute)) {
      throw new IllegalArgumentException("--out " + target + " is a file, not a directory");
    }
    if (Files.isDirectory(absolute) && !isEmpty(absolute)) {
      throw new IllegalArgumentException(
          "--out " + target + " exists and is not empty: choose a new directory");
    }
    Path parent = absolute.getParent();
    try {
      Files.createDirectories(parent);
      // Not createTempDirectory: that makes the directory owner-only (0700); results are shared.
      Path partial =
          Files.createDirectory(
              parent.resolve("." + absolute.getFileName() + ".partial-" + UUID.randomUUID()));
      return new OutputDirectory(absolute, partial);
    } catch (IOException e) {
      throw new IOException("cannot write the output directory " + target + ": " + e, e);
    }
  }

  private static boolean isEmpty(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.findAny().isEmpty();
    }
  }

  /** Where the work is written until {@link #commit()}. */
  Path path() {
    return partial;
  }

  /** Renames the finished work to the requested directory and returns it. */
  Path commit() throws IOException {
    try {
      Files.deleteIfExists(target); // an empty directory the user made for us
    } catch (DirectoryNotEmptyException e) {
      throw new FileAlreadyExistsException(target + " was filled while the command ran");
    }
    Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
    committed = true;
    return target;
  }

  /** Removes unfinished work. */
  @Override
  public void close() throws IOException {
    if (committed || !Files.exists(partial)) {
      return;
    }
    try (Stream<Path> tree = Files.walk(partial)) {
      for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
