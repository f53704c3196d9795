package org.stiffness.nlp.mnli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The synthetic task is read by the real MNLI readers, as {@code nlp --synthetic} reads it. */
class SyntheticNliTest {
  @TempDir Path temp;

  @Test
  void theRealReadersFindEverySplitWithItsSizeAndLabelsInTurn() throws IOException {
    Path dir = SyntheticNli.writeGlueDirectory(temp.resolve("d"), 12, 6, 3);
    MnliDirectory mnli = MnliDirectory.find(dir);
    assertEquals(MnliFormat.GLUE_TSV, mnli.format());
    NliPairs train = mnli.split(MnliSplit.TRAIN).readAll();
    assertEquals(12, train.size());
    assertEquals(0, train.skippedWithoutGold());
    // Labels cycle entailment, neutral, contradiction by index: four of each.
    int[] counts = new int[3];
    for (int label : train.labels()) {
      counts[label]++;
    }
    assertArrayEquals(new int[] {4, 4, 4}, counts);
    NliPairs matched = mnli.split(MnliSplit.DEV_MATCHED).readAll();
    NliPairs mismatched = mnli.split(MnliSplit.DEV_MISMATCHED).readAll();
    assertEquals(6, matched.size());
    assertEquals(6, mismatched.size());
    for (NliPair p : matched.pairs()) {
      assertTrue(p.genre().matched(), p.toString());
    }
    for (NliPair p : mismatched.pairs()) {
      assertTrue(!p.genre().matched(), p.toString());
    }
  }

  @Test
  void everyWordIsInTheTokenizersVocabulary() throws IOException {
    Path dir = SyntheticNli.writeGlueDirectory(temp.resolve("d"), 30, 9, 1);
    Set<String> vocabulary = new HashSet<>(SyntheticNli.vocabulary());
    NliPairs train = MnliDirectory.find(dir).split(MnliSplit.TRAIN).readAll();
    for (NliPair p : train.pairs()) {
      for (String text : List.of(p.premise(), p.hypothesis())) {
        for (String word :
            text.toLowerCase(Locale.ROOT).replace(".", " .").replace(",", " ,").split(" ")) {
          assertTrue(word.isEmpty() || vocabulary.contains(word), word + " in " + text);
        }
      }
    }
    assertTrue(Files.isRegularFile(dir.resolve(SyntheticNli.TOKENIZER)));
  }

  @Test
  void theSameSeedWritesTheSameFiles() throws IOException {
    Path a = SyntheticNli.writeGlueDirectory(temp.resolve("a"), 9, 3, 7);
    Path b = SyntheticNli.writeGlueDirectory(temp.resolve("b"), 9, 3, 7);
    Path c = SyntheticNli.writeGlueDirectory(temp.resolve("c"), 9, 3, 8);
    assertEquals(
        Files.readString(a.resolve("train.tsv")), Files.readString(b.resolve("train.tsv")));
    assertTrue(
        !Files.readString(a.resolve("train.tsv")).equals(Files.readString(c.resolve("train.tsv"))));
  }

  @Test
  void fewerThanOnePairPerLabelIsRefused() {
    assertThrows(
        IllegalArgumentException.class,
        () -> SyntheticNli.writeGlueDirectory(temp.resolve("d"), 2, 3, 0));
  }
}
