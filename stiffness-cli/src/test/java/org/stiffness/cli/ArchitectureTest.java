package org.stiffness.cli;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.EvaluationResult;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collector;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.stiffness.StiffnessEngine;
import org.stiffness.cli.architecture.fixture.owner.Owner;
import org.stiffness.datasets.Mnist;
import org.stiffness.experiments.StiffnessMeasurement;
import org.stiffness.nlp.experiment.NliExperiment;
import org.stiffness.report.HtmlReport;
import org.stiffness.vision.VisionExperiment;

/**
 * The house's boundaries, over the main code of every module (this test's class path holds them
 * all, test code left out).
 *
 * <p>The rule for {@code internal}: a package {@code P.internal} of this project ({@code
 * org.stiffness...}) and its subpackages are private to the module that holds them, and within it
 * to the package tree {@code P} (P itself and P's subpackages) and the packages P lies in (P's
 * ancestors, the facades above it: {@code org.stiffness.StiffnessEngine} wires the internals of
 * {@code gradients} and {@code gram} together). Main code of a sibling tree or of another module
 * must not depend on them in any way (import, field, parameter, return type, call, annotation);
 * what it needs is a public type of P. Other libraries' {@code internal} packages are their
 * business (DJL's public API hands out its {@code NDArrayEx}, XChart's its {@code MarkerSeries}).
 *
 * <p>And within each module, packages form no cycle: neither through any dependency in the class
 * files nor through the sources' import lines (which also hold imports that only Javadoc uses).
 */
class ArchitectureTest {

  /** One class of each module: its code source names the module's classes. */
  private static final List<Class<?>> MODULE_MARKERS =
      List.of(
          StiffnessEngine.class,
          StiffnessMeasurement.class,
          VisionExperiment.class,
          HtmlReport.class,
          NliExperiment.class,
          Mnist.class,
          StiffnessCli.class);

  private static final JavaClasses MAIN =
      new ClassFileImporter()
          .withImportOption(ArchitectureTest::isMainCode)
          .importPackages("org.stiffness");

  /** Leaves out test classes: test-classes folders and the modules' test jars. */
  private static boolean isMainCode(Location location) {
    return ImportOption.Predefined.DO_NOT_INCLUDE_TESTS.includes(location)
        && !location.contains("-tests.jar");
  }

  @Test
  void everyMainClassBelongsToAModuleThisTestKnows() {
    Set<URI> modules = MODULE_MARKERS.stream().map(ArchitectureTest::location).collect(toSet());
    assertEquals(MODULE_MARKERS.size(), modules.size(), "one marker per module: " + modules);
    Set<String> strays =
        MAIN.stream()
            .filter(c -> !modules.contains(moduleOf(c)))
            .map(JavaClass::getName)
            .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(Set.of(), strays, "main classes outside the modules listed in MODULE_MARKERS");
    assertTrue(MAIN.size() > 200, "imported the modules' classes: " + MAIN.size());
  }

  @Test
  void noMainClassUsesAnotherTreesOrModulesInternalPackage() {
    assertEquals(
        List.of(), internalLeaks(MAIN, c -> String.valueOf(moduleOf(c))), "internal leaks");
  }

  @Test
  void noModuleHasAPackageCycle() {
    StringBuilder cycles = new StringBuilder();
    for (Class<?> marker : MODULE_MARKERS) {
      JavaClasses module =
          new ClassFileImporter().importLocations(Set.of(Location.of(location(marker))));
      EvaluationResult result =
          slices().matching("(**)").should().beFreeOfCycles().evaluate(module);
      if (result.hasViolation()) {
        cycles.append(location(marker)).append(":\n").append(result.getFailureReport());
      }
    }
    assertEquals("", cycles.toString(), "package cycles");
  }

  /**
   * The same over the sources' import lines, which also hold the imports that only Javadoc uses (a
   * {@code {@link}} leaves nothing in the class files, yet ties the packages together for a
   * reader): within each module's {@code src/main/java}, no circle of packages importing each
   * other.
   */
  @Test
  void noModuleHasAPackageCycleInItsImports() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    List<Path> modules;
    try (Stream<Path> dirs = Files.list(root)) {
      modules =
          dirs.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).sorted().toList();
    }
    assertTrue(modules.size() >= MODULE_MARKERS.size(), "found the modules: " + modules);
    Map<String, List<String>> cycles = new TreeMap<>();
    for (Path sources : modules) {
      List<String> cycle = importCycle(importGraph(sources));
      if (!cycle.isEmpty()) {
        cycles.put(root.relativize(sources).toString(), cycle);
      }
    }
    assertEquals(Map.of(), cycles, "package import cycles");
  }

  /** Package to the packages of the same source tree its files import. */
  static Map<String, Set<String>> importGraph(Path sources) throws IOException {
    Map<String, Set<String>> graph = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(sources)) {
      files = walk.filter(f -> f.toString().endsWith(".java")).toList();
    }
    for (Path f : files) {
      String pkg = sources.relativize(f.getParent()).toString().replace('/', '.');
      graph.computeIfAbsent(pkg, k -> new TreeSet<>());
    }
    for (Path f : files) {
      String pkg = sources.relativize(f.getParent()).toString().replace('/', '.');
      for (String line : Files.readAllLines(f)) {
        Matcher m = IMPORT.matcher(line);
        if (m.matches()) {
          String target = packageOf(m.group(1), graph.keySet());
          if (target != null && !target.equals(pkg)) {
            graph.get(pkg).add(target);
          }
        }
      }
    }
    return graph;
  }

  private static final Pattern IMPORT =
      Pattern.compile("\\s*import\\s+(?:static\\s+)?([\\w.]+)(?:\\.\\*)?\\s*;\\s*");

  /** The longest package of {@code packages} that {@code name} (a type or member) lies in. */
  private static String packageOf(String name, Set<String> packages) {
    for (String p = name; p.contains("."); p = p.substring(0, p.lastIndexOf('.'))) {
      String candidate = p.substring(0, p.lastIndexOf('.'));
      if (packages.contains(candidate)) {
        return candidate;
      }
    }
    return null;
  }

  /**
   * One circle of the graph as its packages in order, the first repeated at the end; empty if none.
   */
  static List<String> importCycle(Map<String, Set<String>> graph) {
    Map<String, Integer> state = new HashMap<>(); // 1: on the path, 2: done
    Deque<String> path = new ArrayDeque<>();
    for (String start : graph.keySet()) {
      List<String> cycle = visit(start, graph, state, path);
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    return List.of();
  }

  private static List<String> visit(
      String node, Map<String, Set<String>> graph, Map<String, Integer> state, Deque<String> path) {
    Integer s = state.get(node);
    if (s != null && s == 2) {
      return List.of();
    }
    if (s != null) {
      List<String> onPath = new ArrayList<>(path);
      Collections.reverse(onPath);
      List<String> cycle = new ArrayList<>(onPath.subList(onPath.indexOf(node), onPath.size()));
      cycle.add(node);
      return cycle;
    }
    state.put(node, 1);
    path.push(node);
    for (String next : graph.getOrDefault(node, Set.of())) {
      List<String> cycle = visit(next, graph, state, path);
      if (!cycle.isEmpty()) {
        return cycle;
      }
    }
    path.pop();
    state.put(node, 2);
    return List.of();
  }

  /** The cycle finder on a hand-made graph: a -> b -> c -> a is found, a DAG gives nothing. */
  @Test
  void theImportCycleFinderFindsACircleAndOnlyACircle() {
    Map<String, Set<String>> dag = new TreeMap<>();
    dag.put("a", new TreeSet<>(List.of("b", "c")));
    dag.put("b", Set.of("c"));
    dag.put("c", Set.of());
    assertEquals(List.of(), importCycle(dag));
    Map<String, Set<String>> circle = new TreeMap<>(dag);
    circle.put("c", Set.of("a"));
    assertEquals(List.of("a", "b", "c", "a"), importCycle(circle));
  }

  @Test
  void noTwoMainTypesShareASimpleName() {
    Map<String, Set<String>> bySimpleName =
        MAIN.stream()
            .filter(c -> c.isTopLevelClass() && !c.getSimpleName().equals("package-info"))
            .collect(
                Collectors.groupingBy(
                    JavaClass::getSimpleName,
                    TreeMap::new,
                    Collectors.mapping(JavaClass::getName, Collectors.toCollection(TreeSet::new))));
    bySimpleName.values().removeIf(names -> names.size() < 2);
    assertEquals(Map.of(), bySimpleName, "main types sharing a simple name");
  }

  /**
   * The rule checks itself on a fake layout under {@code architecture.fixture}: {@code owner} has
   * an {@code internal} package; its own code, its subpackage and the package above it may use it,
   * a sibling tree may not, and neither may a class of the owner's tree that lives in another
   * module.
   */
  @Test
  void theInternalRuleFlagsOnlyUsesFromOutsideTheOwnersTreeOrModule() {
    JavaClasses fixture =
        new ClassFileImporter().importPackages(Owner.class.getPackageName().replace(".owner", ""));
    String otherModule = Owner.class.getPackageName() + ".elsewhere";
    Function<JavaClass, String> moduleOf =
        c -> c.getPackageName().equals(otherModule) ? "second" : "first";
    Set<String> leakingClasses =
        internalLeaks(fixture, moduleOf).stream()
            .map(line -> line.substring(0, line.indexOf(' ')))
            .collect(Collectors.toCollection(TreeSet::new));
    String base = Owner.class.getPackageName().replace(".owner", "");
    assertEquals(
        Set.of(base + ".neighbour.Neighbour", base + ".owner.elsewhere.SameTreeOtherModule"),
        leakingClasses);
  }

  /**
   * Every dependency of a class on a class of an {@code internal} package whose owner tree or
   * module it is not in, as "origin -> target" lines.
   */
  static List<String> internalLeaks(JavaClasses classes, Function<JavaClass, String> moduleOf) {
    return classes.stream()
        .flatMap(c -> c.getDirectDependenciesFromSelf().stream())
        .filter(d -> leaks(d, moduleOf))
        .map(d -> d.getOriginClass().getName() + " -> " + d.getTargetClass().getName())
        .distinct()
        .sorted()
        .toList();
  }

  private static boolean leaks(Dependency d, Function<JavaClass, String> moduleOf) {
    JavaClass target = d.getTargetClass().getBaseComponentType();
    Optional<String> owner = internalOwner(target.getPackageName());
    if (owner.isEmpty() || !target.getPackageName().startsWith("org.stiffness.")) {
      return false;
    }
    String from = d.getOriginClass().getPackageName();
    boolean inTree = from.equals(owner.get()) || from.startsWith(owner.get() + ".");
    boolean above = owner.get().startsWith(from + ".");
    return !(inTree || above) || !moduleOf.apply(d.getOriginClass()).equals(moduleOf.apply(target));
  }

  /** {@code a.b} for {@code a.b.internal} or {@code a.b.internal.c}; empty for other packages. */
  private static Optional<String> internalOwner(String pkg) {
    String[] parts = pkg.split("\\.");
    for (int i = 0; i < parts.length; i++) {
      if (parts[i].equals("internal")) {
        return Optional.of(String.join(".", List.of(parts).subList(0, i)));
      }
    }
    return Optional.empty();
  }

  private static URI moduleOf(JavaClass c) {
    return c.getSource()
        .map(s -> root(s.getUri(), c.getName()))
        .orElseThrow(() -> new IllegalStateException("no class file for " + c.getName()));
  }

  /**
   * The class path entry (folder or jar) that holds the class file {@code uri} of class {@code
   * name}.
   */
  private static URI root(URI uri, String name) {
    String s = uri.toString();
    String file = name.replace('.', '/') + ".class";
    if (!s.endsWith(file)) {
      throw new IllegalStateException(uri + " is not the class file of " + name);
    }
    String prefix = s.substring(0, s.length() - file.length());
    if (prefix.startsWith("jar:") && prefix.endsWith("!/")) {
      prefix = prefix.substring("jar:".length(), prefix.length() - 2);
    }
    try {
      return new URI(prefix);
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static URI location(Class<?> marker) {
    try {
      URI codeSource = marker.getProtectionDomain().getCodeSource().getLocation().toURI();
      return new URI(codeSource.toString());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> Collector<T, ?, Set<T>> toSet() {
    return Collectors.toCollection(LinkedHashSet::new);
  }
}
