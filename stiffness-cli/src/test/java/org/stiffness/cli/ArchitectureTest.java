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
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collector;
import java.util.stream.Collectors;
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
 * <p>And within each module, packages form no cycle (every dependency in the class files counts; a
 * Javadoc-only import leaves no trace there, so it is up to review).
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
