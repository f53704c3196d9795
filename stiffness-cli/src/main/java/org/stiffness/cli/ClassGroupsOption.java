package org.stiffness.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.stiffness.cli.VisionCommand.DatasetName;
import org.stiffness.datasets.LabelledImages;
import org.stiffness.io.ClassGroupsFile;
import org.stiffness.stats.ClassGroups;
import org.stiffness.vision.BuiltInClassGroups;

/**
 * What {@code vision --class-groups} names: {@code auto} (the dataset's built-in grouping, if it
 * has one), {@code none}, a built-in grouping by name, or a file in the format of {@link
 * ClassGroupsFile}.
 */
final class ClassGroupsOption {
  static final String AUTO = "auto";
  static final String NONE = "none";

  private ClassGroupsOption() {}

  /**
   * The grouping of {@code train}'s classes that {@code value} names, or null for none.
   *
   * @throws IllegalArgumentException when a built-in grouping is another dataset's or disagrees
   *     with the dataset's own superclass labels, or {@code value} is neither a keyword, a built-in
   *     nor a file
   * @throws IOException naming the file and line of a malformed grouping file
   */
  static ClassGroups resolve(String value, DatasetName dataset, LabelledImages train)
      throws IOException {
    String v = value.trim();
    if (v.equals(NONE)) {
      return null;
    }
    if (v.equals(AUTO)) {
      v = builtInOf(dataset);
      if (v == null) {
        return null;
      }
    }
    ClassGroups builtIn = BuiltInClassGroups.named(v);
    if (builtIn != null) {
      // The tables are class indices: on another dataset they would group its classes silently.
      if (!v.equals(builtInOf(dataset))) {
        throw new IllegalArgumentException(
            "--class-groups "
                + v
                + " groups the classes of "
                + (v.equals(BuiltInClassGroups.FASHION) ? "fashion-mnist" : "cifar100")
                + ", not of "
                + dataset.label()
                + ": give a grouping file");
      }
      if (train.hasCoarseLabels()) {
        requireCoarseLabelsAgree(builtIn, train);
      }
      return builtIn;
    }
    Path file = Path.of(v);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          "--class-groups "
              + v
              + ": expected auto, none, "
              + String.join(", ", BuiltInClassGroups.names())
              + " or a grouping file, and there is no file "
              + file.toAbsolutePath());
    }
    return ClassGroupsFile.read(file, train.classNames());
  }

  /** The built-in grouping of a dataset's classes, or null when it has none. */
  private static String builtInOf(DatasetName dataset) {
    return switch (dataset) {
      case FASHION_MNIST -> BuiltInClassGroups.FASHION;
      case CIFAR100 -> BuiltInClassGroups.CIFAR100_COARSE;
      default -> null;
    };
  }

  /**
   * A built-in table against the superclass every image of a CIFAR-100 copy carries: a copy whose
   * labels disagree would be grouped by a table that is not its own.
   */
  private static void requireCoarseLabelsAgree(ClassGroups groups, LabelledImages train) {
    for (int i = 0; i < train.size(); i++) {
      int fine = train.label(i);
      if (train.coarseLabel(i) != groups.groupOf(fine)) {
        throw new IllegalArgumentException(
            "--class-groups "
                + groups.name()
                + " puts class "
                + fine
                + " ("
                + train.classNames().get(fine)
                + ") in superclass "
                + groups.groupOf(fine)
                + ", but example "
                + i
                + " of "
                + train.name()
                + " has coarse label "
                + train.coarseLabel(i)
                + "; give a grouping file or --class-groups none");
      }
    }
  }
}
