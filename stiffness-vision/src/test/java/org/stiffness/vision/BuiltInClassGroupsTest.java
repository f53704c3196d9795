package org.stiffness.vision;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.datasets.FashionMnist;
import org.stiffness.io.ClassGroupsFile;
import org.stiffness.stats.ClassGroups;

/**
 * The built-in tables (class indices) against the groupings as people write them (class names):
 * CIFAR-100's superclasses as the dataset's web page lists them, Fashion-MNIST's as our docs do.
 */
class BuiltInClassGroupsTest {
  @TempDir Path temp;

  /** CIFAR-100's fine label names in label order (the binary version's fine_label_names.txt). */
  private static final List<String> CIFAR100_FINE =
      List.of(
          ("apple aquarium_fish baby bear beaver bed bee beetle bicycle bottle bowl boy bridge bus"
                  + " butterfly camel can castle caterpillar cattle chair chimpanzee clock cloud"
                  + " cockroach couch crab crocodile cup dinosaur dolphin elephant flatfish forest fox"
                  + " girl hamster house kangaroo keyboard lamp lawn_mower leopard lion lizard lobster"
                  + " man maple_tree motorcycle mountain mouse mushroom oak_tree orange orchid otter"
                  + " palm_tree pear pickup_truck pine_tree plain plate poppy porcupine possum rabbit"
                  + " raccoon ray road rocket rose sea seal shark shrew skunk skyscraper snail snake"
                  + " spider squirrel streetcar sunflower sweet_pepper table tank telephone television"
                  + " tiger tractor train trout tulip turtle wardrobe whale willow_tree wolf woman worm")
              .split(" "));

  /**
   * The superclasses and their classes as https://www.cs.toronto.edu/~kriz/cifar.html lists them.
   */
  private static final String CIFAR100_PAGE =
      String.join(
          "\n",
          "aquatic_mammals: beaver, dolphin, otter, seal, whale",
          "fish: aquarium_fish, flatfish, ray, shark, trout",
          "flowers: orchid, poppy, rose, sunflower, tulip",
          "food_containers: bottle, bowl, can, cup, plate",
          "fruit_and_vegetables: apple, mushroom, orange, pear, sweet_pepper",
          "household_electrical_devices: clock, keyboard, lamp, telephone, television",
          "household_furniture: bed, chair, couch, table, wardrobe",
          "insects: bee, beetle, butterfly, caterpillar, cockroach",
          "large_carnivores: bear, leopard, lion, tiger, wolf",
          "large_man-made_outdoor_things: bridge, castle, house, road, skyscraper",
          "large_natural_outdoor_scenes: cloud, forest, mountain, plain, sea",
          "large_omnivores_and_herbivores: camel, cattle, chimpanzee, elephant, kangaroo",
          "medium_mammals: fox, porcupine, possum, raccoon, skunk",
          "non-insect_invertebrates: crab, lobster, snail, spider, worm",
          "people: baby, boy, girl, man, woman",
          "reptiles: crocodile, dinosaur, lizard, snake, turtle",
          "small_mammals: hamster, mouse, rabbit, shrew, squirrel",
          "trees: maple_tree, oak_tree, palm_tree, pine_tree, willow_tree",
          "vehicles_1: bicycle, bus, motorcycle, pickup_truck, train",
          "vehicles_2: lawn_mower, rocket, streetcar, tank, tractor");

  private ClassGroups parse(String text, List<String> classNames) throws IOException {
    Path f = temp.resolve("groups.txt");
    Files.writeString(f, text);
    return ClassGroupsFile.read(f, classNames);
  }

  @Test
  void cifar100CoarseIsTheDatasetsSuperclassList() throws IOException {
    assertEquals(100, CIFAR100_FINE.size());
    ClassGroups page = parse(CIFAR100_PAGE, CIFAR100_FINE);
    ClassGroups builtIn = BuiltInClassGroups.named("cifar100-coarse");
    assertEquals(page.groupNames(), builtIn.groupNames());
    assertArrayEquals(page.groupOf(), builtIn.groupOf());
  }

  @Test
  void fashionIsTheGroupingOurDocsDescribe() throws IOException {
    ClassGroups docs =
        parse(
            String.join(
                "\n",
                "tops: T-shirt/top, Pullover, Coat, Shirt",
                "bottoms: Trouser",
                "dresses: Dress",
                "footwear: Sandal, Sneaker, Ankle boot",
                "bags: Bag"),
            FashionMnist.CLASS_NAMES);
    ClassGroups builtIn = BuiltInClassGroups.named("fashion");
    assertEquals(docs.groupNames(), builtIn.groupNames());
    assertArrayEquals(docs.groupOf(), builtIn.groupOf());
  }

  @Test
  void anUnknownNameIsNotABuiltIn() {
    assertNull(BuiltInClassGroups.named("cifar10-coarse"));
  }
}
