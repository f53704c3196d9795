package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.DocumentationTool;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every public and protected member of every module's main code has Javadoc: the javadoc tool's
 * "missing" check over the sources, with this test's class path (which holds every module and
 * dependency), must report nothing.
 */
class PublicApiJavadocTest {

  @Test
  void everyPublicMemberOfEveryModuleHasJavadoc(@TempDir Path out) throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<Path> sources;
    try (Stream<Path> modules = Files.list(root)) {
      sources =
          modules
              .map(m -> m.resolve("src/main/java"))
              .filter(Files::isDirectory)
              .flatMap(PublicApiJavadocTest::javaFiles)
              .toList();
    }
    assertTrue(sources.size() > 100, "found the modules' sources: " + sources.size());
    DocumentationTool javadoc = ToolProvider.getSystemDocumentationTool();
    StringWriter report = new StringWriter();
    try (StandardJavaFileManager files = javadoc.getStandardFileManager(null, null, null)) {
      Iterable<? extends JavaFileObject> units = files.getJavaFileObjectsFromPaths(sources);
      List<String> options =
          new ArrayList<>(
              List.of(
                  "-quiet",
                  "-Xdoclint:missing",
                  "-Xmaxwarns",
                  "100000",
                  "-d",
                  out.toString(),
                  "-classpath",
                  System.getProperty("java.class.path")));
      boolean ran = javadoc.getTask(report, files, null, null, options, units).call();
      assertTrue(ran, "javadoc failed:\n" + report);
    }
    List<String> missing =
        report
            .toString()
            .lines()
            .filter(l -> l.contains("warning: no comment"))
            .map(l -> l.replace(root.toString() + "/", ""))
            .collect(Collectors.toList());
    assertEquals(List.of(), missing, "public members without Javadoc");
  }

  private static Stream<Path> javaFiles(Path dir) {
    try {
      return Files.walk(dir).filter(p -> p.toString().endsWith(".java")).toList().stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
