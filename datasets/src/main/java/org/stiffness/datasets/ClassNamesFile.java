package org.stiffness.datasets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the CIFAR names files ({@code batches.meta.txt}, {@code fine_label_names.txt}, {@code
 * coarse_label_names.txt}): one class name per line, in label order. Blank lines are skipped: the
 * published files end with several.
 */
public final class ClassNamesFile {

  private ClassNamesFile() {}

  /**
   * @param file the names file
   * @param expectedCount how many names the dataset defines (10, 100 or 20)
   * @throws MalformedDatasetException if the file holds another number of names
   */
  public static List<String> read(Path file, int expectedCount) throws IOException {
    List<String> names =
        Files.readAllLines(file, StandardCharsets.UTF_8).stream()
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .toList();
    if (names.size() != expectedCount) {
      throw new MalformedDatasetException(
          file, "expected " + expectedCount + " class names found " + names.size());
    }
    return names;
  }
}
