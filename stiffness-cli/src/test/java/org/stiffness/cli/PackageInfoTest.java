package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every package of every module's main code says what it is for: a {@code package-info.java} whose
 * Javadoc a newcomer reads before the classes.
 */
class PackageInfoTest {

  @Test
  void everyPackageOfEveryModuleHasADocumentedPackageInfo() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<Path> packages;
    try (Stream<Path> modules = Files.list(root)) {
      packages =
          modules
              .map(m -> m.resolve("src/main/java"))
              .filter(Files::isDirectory)
              .flatMap(PackageInfoTest::packages)
              .toList();
    }
    assertTrue(packages.size() > 20, "found the modules' packages: " + packages.size());
    List<String> undocumented =
        packages.stream()
            .filter(p -> !documented(p.resolve("package-info.java")))
            .map(p -> root.relativize(p).toString())
            .sorted()
            .toList();
    assertEquals(List.of(), undocumented, "packages without a package-info.java with Javadoc");
  }

  /** The directories under {@code sources} that hold a Java file: the packages. */
  private static Stream<Path> packages(Path sources) {
    try (Stream<Path> files = Files.walk(sources)) {
      return files
          .filter(f -> f.toString().endsWith(".java"))
          .map(Path::getParent)
          .distinct()
          .toList()
          .stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean documented(Path packageInfo) {
    try {
      return Files.isRegularFile(packageInfo) && Files.readString(packageInfo).contains("/**");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
