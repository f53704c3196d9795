package org.stiffness.vision;

import java.util.List;
import org.stiffness.stats.ClassGroups;

/**
 * The groupings of classes that come with the vision datasets: {@code cifar100-coarse}, CIFAR-100's
 * own 20 superclasses, and {@code fashion}, our grouping of Fashion-MNIST's garments (the dataset
 * defines none).
 */
public final class BuiltInClassGroups {
  /** Name of the Fashion-MNIST grouping. */
  public static final String FASHION = "fashion";

  /** Name of CIFAR-100's superclasses. */
  public static final String CIFAR100_COARSE = "cifar100-coarse";

  /**
   * The superclass (coarse label) of each of CIFAR-100's 100 fine labels in the dataset's
   * fine-label order ({@code apple, aquarium_fish, baby, ...}): the mapping the dataset's binary
   * version records in each image's coarse label byte.
   */
  private static final int[] CIFAR100_COARSE_OF_FINE = {
    4, 1, 14, 8, 0, 6, 7, 7, 18, 3, 3, 14, 9, 18, 7, 11, 3, 9, 7, 11, 6, 11, 5, 10, 7, 6, 13, 15, 3,
    15, 0, 11, 1, 10, 12, 14, 16, 9, 11, 5, 5, 19, 8, 8, 15, 13, 14, 17, 18, 10, 16, 4, 17, 4, 2, 0,
    17, 4, 18, 17, 10, 3, 2, 12, 12, 16, 12, 1, 9, 19, 2, 10, 0, 1, 16, 12, 9, 13, 15, 13, 16, 19,
    2, 4, 6, 19, 5, 5, 8, 19, 18, 1, 2, 15, 6, 0, 17, 8, 14, 13
  };

  /** The 20 superclass names of CIFAR-100's {@code coarse_label_names.txt}, in label order. */
  private static final List<String> CIFAR100_COARSE_NAMES =
      List.of(
          "aquatic_mammals",
          "fish",
          "flowers",
          "food_containers",
          "fruit_and_vegetables",
          "household_electrical_devices",
          "household_furniture",
          "insects",
          "large_carnivores",
          "large_man-made_outdoor_things",
          "large_natural_outdoor_scenes",
          "large_omnivores_and_herbivores",
          "medium_mammals",
          "non-insect_invertebrates",
          "people",
          "reptiles",
          "small_mammals",
          "trees",
          "vehicles_1",
          "vehicles_2");

  private BuiltInClassGroups() {}

  /** The names {@link #named} knows. */
  public static List<String> names() {
    return List.of(FASHION, CIFAR100_COARSE);
  }

  /** The built-in grouping called {@code name}, or null if there is none. */
  public static ClassGroups named(String name) {
    return switch (name) {
      case FASHION -> fashion();
      case CIFAR100_COARSE -> cifar100Coarse();
      default -> null;
    };
  }

  /**
   * Fashion-MNIST's 10 classes by garment (ours, not the dataset's): tops (T-shirt/top 0, Pullover
   * 2, Coat 4, Shirt 6), bottoms (Trouser 1), dresses (Dress 3), footwear (Sandal 5, Sneaker 7,
   * Ankle boot 9) and bags (Bag 8).
   */
  public static ClassGroups fashion() {
    return new ClassGroups(
        FASHION,
        List.of("tops", "bottoms", "dresses", "footwear", "bags"),
        new int[] {0, 1, 0, 2, 0, 3, 0, 3, 4, 3});
  }

  /** CIFAR-100's 100 fine classes in its 20 superclasses of 5, with the dataset's names. */
  public static ClassGroups cifar100Coarse() {
    return new ClassGroups(CIFAR100_COARSE, CIFAR100_COARSE_NAMES, CIFAR100_COARSE_OF_FINE);
  }
}
