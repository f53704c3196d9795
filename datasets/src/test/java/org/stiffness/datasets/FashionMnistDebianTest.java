package org.stiffness.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reads the real Fashion-MNIST from Debian's {@code dataset-fashion-mnist}, when installed. */
class FashionMnistDebianTest {

  private static TrainTestSplit split;

  @BeforeAll
  static void load() throws Exception {
    Optional<Path> dir = FashionMnist.findDebianInstall();
    assumeTrue(dir.isPresent(), "apt-get install dataset-fashion-mnist to run this test");
    split = FashionMnist.fromDirectory(dir.get());
  }

  @Test
  void has60000TrainingAnd10000TestImagesOf28x28() {
    assertEquals(60000, split.train().size());
    assertEquals(10000, split.test().size());
    assertEquals(new ImageShape(1, 28, 28), split.train().shape());
  }

  @Test
  void everyClassHas6000TrainingAnd1000TestImages() {
    int[] train = new int[10];
    Arrays.fill(train, 6000);
    int[] test = new int[10];
    Arrays.fill(test, 1000);
    assertArrayEquals(train, split.train().classCounts());
    assertArrayEquals(test, split.test().classCounts());
  }

  @Test
  void pixelsSpanZeroToOne() {
    FloatBuffer p = split.train().pixels();
    float min = Float.MAX_VALUE;
    float max = -Float.MAX_VALUE;
    while (p.hasRemaining()) {
      float v = p.get();
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    assertEquals(0f, min);
    assertEquals(1f, max);
  }

  @Test
  void firstTrainingLabelIsAnkleBoot() {
    // The published train-labels file starts 9, 0, 0, 3, 0, 2 (read with Python's gzip module).
    assertArrayEquals(new int[] {9, 0, 0, 3, 0, 2}, Arrays.copyOf(split.train().labels(), 6));
    assertTrue(split.train().name().startsWith("fashion-mnist"));
  }
}
