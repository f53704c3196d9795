package org.stiffness.nlp.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.stiffness.nlp.mnli.Genre;
import org.stiffness.nlp.mnli.NliLabel;
import org.stiffness.nlp.mnli.NliPair;
import org.stiffness.nlp.mnli.NliPairs;

/** The measured subsets' size, and the one line that says why when it is short. */
class MeasuredSubsetTest {

  /** A sample of {@code counts[k]} pairs of label k, labels interleaved as in a file. */
  private static NliPairs sample(int... counts) {
    List<NliPair> pairs = new ArrayList<>();
    int[] left = counts.clone();
    for (int i = 0; pairs.size() < counts[0] + counts[1] + counts[2]; i++) {
      int k = i % 3;
      if (left[k]-- > 0) {
        pairs.add(new NliPair("p" + i, "a", "b", NliLabel.values()[k], Genre.FICTION));
      }
    }
    return new NliPairs(Path.of("dir", "train.tsv"), pairs, 0);
  }

  @Test
  void aSubsetOfTheSizeAskedForSaysNothing() {
    NliPairs s = sample(4, 4, 4);
    NliPairs subset = NliExperiment.balancedHead(s, 9);
    assertEquals(9, subset.size());
    assertEquals(Optional.empty(), NliExperiment.shortfall("train", s, subset, 9));
  }

  @Test
  void aShortSubsetNamesTheLabelsThatRanOut() {
    // 10 asked for: shares 4, 3, 3; neutral has 1, so 4 + 1 + 3 = 8 pairs.
    NliPairs s = sample(6, 1, 5);
    NliPairs subset = NliExperiment.balancedHead(s, 10);
    assertEquals(8, subset.size());
    assertEquals(
        Optional.of(
            "the train subset has 8 pairs, not the 10 asked for: the 12 pairs read from train.tsv"
                + " hold only 1 neutral pair"),
        NliExperiment.shortfall("train", s, subset, 10));
  }

  @Test
  void everyLabelShortIsListed() {
    NliPairs s = sample(2, 2, 2);
    NliPairs subset = NliExperiment.balancedHead(s, 100000);
    assertEquals(6, subset.size());
    assertEquals(
        Optional.of(
            "the val subset has 6 pairs, not the 100000 asked for: the 6 pairs read from train.tsv"
                + " hold only 2 entailment, 2 neutral and 2 contradiction pairs"),
        NliExperiment.shortfall("val", s, subset, 100000));
  }
}
