package org.stiffness.nlp.mnli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fixtures follow the published layouts, checked against hand-written header and keys. */
class MnliFixturesTest {
  @TempDir Path dir;

  @Test
  void glueHeadersAreThePublishedOnes() throws IOException {
    MnliFixtures.writeGlueDirectory(dir);
    assertEquals(
        MnliFileTest.GLUE_TRAIN_HEADER, Files.readAllLines(dir.resolve("train.tsv")).get(0));
    assertEquals(
        MnliFileTest.GLUE_DEV_HEADER, Files.readAllLines(dir.resolve("dev_matched.tsv")).get(0));
    for (String line : Files.readAllLines(dir.resolve("dev_mismatched.tsv"))) {
      assertEquals(16, line.split("\t", -1).length, line);
    }
  }

  @Test
  void jsonlLinesHaveThePublishedKeysInOrder() throws IOException {
    MnliFixtures.writeMultiNliDirectory(dir);
    String first = Files.readAllLines(dir.resolve("multinli_1.0_train.jsonl")).get(0);
    assertTrue(
        first.startsWith(
            "{\"annotator_labels\": [\"entailment\"], \"genre\": \"fiction\", \"gold_label\": \"entailment\", \"pairID\": \"1001e\", \"promptID\": \"1001\", \"sentence1\": \"The cat sat on the mat.\", \"sentence1_binary_parse\": "),
        first);
    assertTrue(first.contains(", \"sentence2_parse\": \"(ROOT"), first);
  }

  @Test
  void eachSplitHasTwoPairsPerLabelOneWithoutGoldAndItsGenres() {
    for (MnliSplit split : MnliSplit.values()) {
      List<MnliFixtures.Row> rows = MnliFixtures.rows(split);
      for (NliLabel label : NliLabel.values()) {
        assertEquals(
            2,
            rows.stream().filter(r -> r.goldLabel().equals(label.fileName())).count(),
            "" + split);
      }
      assertEquals(1, rows.stream().filter(r -> r.goldLabel().equals("-")).count());
      boolean matched = split != MnliSplit.DEV_MISMATCHED;
      assertTrue(rows.stream().allMatch(r -> r.genre().matched() == matched), split.toString());
    }
  }

  @Test
  void wordsSplitPunctuationLikeBert() {
    assertEquals(
        List.of("i", "don", "'", "t", "like", "\"", "reality", "\"", "shows", "."),
        MnliFixtures.words("I don't like \"reality\" shows."));
  }
}
