package org.stiffness.cli;

import java.util.ArrayList;
import java.util.List;
import org.stiffness.datasets.LabelledImages;

/**
 * Whether every class has examples in a training or test set. A class without any has no pair in
 * the class stiffness matrices, whose row and column for it would be NaN: refused unless asked for,
 * and then stated, never left for a reader to find in the matrices.
 */
final class ClassCoverage {
  /** Absent classes named in a message before the rest are counted. */
  private static final int NAMED = 8;

  private ClassCoverage() {}

  /**
   * What is missing from {@code set}, as one sentence ("mnist/train has no example of 8 of its 10
   * classes: 2 '2', ..."), or null when every class has an example.
   */
  static String absent(LabelledImages set) {
    List<Integer> absent = set.absentClasses();
    if (absent.isEmpty()) {
      return null;
    }
    List<String> named = new ArrayList<>();
    for (int k : absent.subList(0, Math.min(NAMED, absent.size()))) {
      named.add(k + " '" + set.classNames().get(k) + "'");
    }
    String more = absent.size() > NAMED ? " and " + (absent.size() - NAMED) + " more" : "";
    return set.name()
        + " has no example of "
        + absent.size()
        + " of its "
        + set.classCount()
        + " classes: "
        + String.join(", ", named)
        + more;
  }
}
