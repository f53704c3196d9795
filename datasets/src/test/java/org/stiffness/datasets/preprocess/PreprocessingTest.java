package org.stiffness.datasets.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.stiffness.datasets.BuiltinDigits;
import org.stiffness.datasets.ImageShape;
import org.stiffness.datasets.LabelledImages;
import org.stiffness.datasets.TrainTestSplit;

class PreprocessingTest {

  private static final ImageShape SHAPE = new ImageShape(1, 2, 3);
  private static final int D = 6;

  /** Random pixels; feature 4 is constant 0.7 in training, as a border pixel would be. */
  private static LabelledImages random(String name, int n, long seed, float offset) {
    Random r = new Random(seed);
    float[] x = new float[n * D];
    int[] y = new int[n];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < D; f++) {
        x[i * D + f] = f == 4 ? 0.7f : offset + (float) (r.nextGaussian() * (f + 1) + f);
      }
      y[i] = i % 2;
    }
    return new LabelledImages(name, SHAPE, x, y, List.of("a", "b"));
  }

  private static double[] mean(LabelledImages data) {
    double[] m = new double[D];
    for (int i = 0; i < data.size(); i++) {
      for (int f = 0; f < D; f++) {
        m[f] += data.pixel(i, f);
      }
    }
    for (int f = 0; f < D; f++) {
      m[f] /= data.size();
    }
    return m;
  }

  private static double[] variance(LabelledImages data) {
    double[] m = mean(data);
    double[] v = new double[D];
    for (int i = 0; i < data.size(); i++) {
      for (int f = 0; f < D; f++) {
        double c = data.pixel(i, f) - m[f];
        v[f] += c * c;
      }
    }
    for (int f = 0; f < D; f++) {
      v[f] /= data.size();
    }
    return v;
  }

  @Test
  void standardisedTrainingFeaturesHaveZeroMeanAndUnitVariance() {
    LabelledImages train = random("train", 500, 1, 0);
    LabelledImages out = new Preprocessing(true, false).fit(train).apply(train);
    double[] m = mean(out);
    double[] v = variance(out);
    for (int f = 0; f < D; f++) {
      assertEquals(0, m[f], 1e-6, "mean of feature " + f);
      assertEquals(f == 4 ? 0 : 1, v[f], 1e-5, "variance of feature " + f);
    }
  }

  @Test
  void constantFeatureIsCentredNotDividedByZero() {
    LabelledImages train = random("train", 50, 2, 0);
    Standardization s = Standardization.fit(train);
    assertTrue(s.isConstant(4));
    assertEquals(0, s.std()[4]);
    LabelledImages out = s.apply(train);
    for (int i = 0; i < out.size(); i++) {
      assertEquals(0f, out.pixel(i, 4));
    }
  }

  @Test
  void otherSplitsUseTheTrainingStatistics() {
    LabelledImages train = random("train", 200, 3, 0);
    LabelledImages test = random("test", 30, 4, 5);
    double[] m = mean(train);
    double[] v = variance(train);
    LabelledImages out = new Preprocessing(true, false).fit(train).apply(test);
    for (int i = 0; i < test.size(); i++) {
      for (int f = 0; f < D; f++) {
        double sd = v[f] == 0 ? 1 : Math.sqrt(v[f]);
        assertEquals((test.pixel(i, f) - m[f]) / sd, out.pixel(i, f), 1e-5);
      }
    }
    // the test split's own mean is far from 0: it was not re-centred on itself
    assertTrue(mean(out)[0] > 1);
  }

  @Test
  void everyInputLandsOnTheUnitSphere() {
    TrainTestSplit split =
        Preprocessing.PAPER.apply(
            new TrainTestSplit(random("train", 100, 5, 0), random("test", 40, 6, 1)));
    for (LabelledImages part : List.of(split.train(), split.test())) {
      for (int i = 0; i < part.size(); i++) {
        double sq = 0;
        for (int f = 0; f < D; f++) {
          sq += (double) part.pixel(i, f) * part.pixel(i, f);
        }
        assertEquals(1, Math.sqrt(sq), 1e-6, part.name() + " example " + i);
      }
    }
  }

  @Test
  void sphereProjectionKeepsTheDirection() {
    float[] x = {3, 0, 4, 0, 0, 0};
    LabelledImages one = new LabelledImages("one", SHAPE, x, new int[] {0}, List.of("a"));
    assertArrayEquals(new float[] {0.6f, 0, 0.8f, 0, 0, 0}, SphereProjection.apply(one).example(0));
  }

  @Test
  void zeroVectorCannotBeProjectedAndIsNamed() {
    float[] x = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
    LabelledImages two = new LabelledImages("two", SHAPE, x, new int[] {0, 0}, List.of("a"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> SphereProjection.apply(two));
    assertTrue(e.getMessage().contains("two: example 1 is the zero vector"), e.getMessage());
  }

  @Test
  void noneLeavesPixelsUnchanged() {
    LabelledImages train = random("train", 10, 7, 0);
    assertArrayEquals(train.copyPixels(), Preprocessing.NONE.fit(train).apply(train).copyPixels());
  }

  @Test
  void paperPreprocessingWorksOnTheBuiltinDigits() {
    // The digits have always-blank corner pixels: zero-variance features must not produce NaN.
    LabelledImages digits = BuiltinDigits.load();
    LabelledImages out = Preprocessing.PAPER.fit(digits).apply(digits);
    for (float v : out.copyPixels()) {
      assertTrue(Float.isFinite(v));
    }
    assertTrue(Standardization.fit(digits).isConstant(0));
  }
}
