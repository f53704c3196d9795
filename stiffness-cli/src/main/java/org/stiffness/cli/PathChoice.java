package org.stiffness.cli;

import java.util.List;
import java.util.Locale;
import org.stiffness.GradientMethod;

/** Which per-example gradient methods a benchmark runs. */
enum PathChoice {
  GENERIC(List.of(GradientMethod.GENERIC)),
  PROBE(List.of(GradientMethod.PROBE)),
  ALL(List.of(GradientMethod.GENERIC, GradientMethod.PROBE));

  private final List<GradientMethod> methods;

  PathChoice(List<GradientMethod> methods) {
    this.methods = methods;
  }

  List<GradientMethod> methods() {
    return methods;
  }

  static PathChoice parse(String text) {
    for (PathChoice choice : values()) {
      if (choice.name().equalsIgnoreCase(text.trim())) {
        return choice;
      }
    }
    throw new IllegalArgumentException(
        "unknown path '" + text + "': expected generic, probe or all");
  }

  static String label(GradientMethod method) {
    return method.name().toLowerCase(Locale.ROOT);
  }
}
