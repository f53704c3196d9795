package org.stiffness.stats;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A grouping of the classes (not of the examples): each of the {@code n_c} classes belongs to
 * exactly one of G named groups, for example CIFAR-100's 100 classes in its 20 superclasses. The
 * paper asks of CIFAR-100 whether class stiffness follows the superclasses; {@link
 * ClassGroupStiffness} asks it of any such grouping.
 */
public final class ClassGroups {
  private final String name;
  private final List<String> groupNames;
  private final int[] groupOf;

  /**
   * @param name what the grouping is called (a built-in's name, or the file it was read from)
   * @param groupNames name of group g at index g; G >= 1 distinct, non-blank names
   * @param groupOf group index of class c at index c, length {@code n_c}; every group must have a
   *     class
   * @throws IllegalArgumentException naming the group or class that does not fit
   */
  public ClassGroups(String name, List<String> groupNames, int[] groupOf) {
    this.name = Objects.requireNonNull(name, "name");
    this.groupNames = List.copyOf(groupNames);
    this.groupOf = groupOf.clone();
    if (this.groupNames.isEmpty()) {
      throw new IllegalArgumentException("class groups " + name + ": no group");
    }
    Set<String> seen = new HashSet<>();
    for (String g : this.groupNames) {
      if (g.isBlank()) {
        throw new IllegalArgumentException("class groups " + name + ": a group has a blank name");
      }
      if (!seen.add(g)) {
        throw new IllegalArgumentException("class groups " + name + ": two groups are called " + g);
      }
    }
    int[] sizes = new int[this.groupNames.size()];
    for (int c = 0; c < this.groupOf.length; c++) {
      int g = this.groupOf[c];
      if (g < 0 || g >= sizes.length) {
        throw new IllegalArgumentException(
            "class groups "
                + name
                + ": class "
                + c
                + " is in group "
                + g
                + ", expected 0.."
                + (sizes.length - 1));
      }
      sizes[g]++;
    }
    for (int g = 0; g < sizes.length; g++) {
      if (sizes[g] == 0) {
        throw new IllegalArgumentException(
            "class groups " + name + ": group " + this.groupNames.get(g) + " has no class");
      }
    }
  }

  /** What the grouping is called. */
  public String name() {
    return name;
  }

  /** Number of classes {@code n_c}. */
  public int classes() {
    return groupOf.length;
  }

  /** Number of groups G. */
  public int groups() {
    return groupNames.size();
  }

  /** Name of group g at index g. */
  public List<String> groupNames() {
    return groupNames;
  }

  /** The group of class {@code c}. */
  public int groupOf(int c) {
    return groupOf[c];
  }

  /** Group index of every class, {@code (n_c)} (copy). */
  public int[] groupOf() {
    return groupOf.clone();
  }

  /** The classes of group {@code g}, ascending. */
  public int[] classesOf(int g) {
    List<Integer> out = new ArrayList<>();
    for (int c = 0; c < groupOf.length; c++) {
      if (groupOf[c] == g) {
        out.add(c);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ClassGroups other
        && name.equals(other.name)
        && groupNames.equals(other.groupNames)
        && Arrays.equals(groupOf, other.groupOf);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, groupNames, Arrays.hashCode(groupOf));
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder(name).append(" {");
    for (int g = 0; g < groups(); g++) {
      s.append(g == 0 ? "" : "; ")
          .append(groupNames.get(g))
          .append(": ")
          .append(Arrays.toString(classesOf(g)));
    }
    return s.append('}').toString();
  }
}
