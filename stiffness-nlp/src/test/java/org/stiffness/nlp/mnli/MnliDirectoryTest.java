package org.stiffness.nlp.mnli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnliDirectoryTest {
  @TempDir Path dir;

  /** What the reader must return for a split: the fixture rows with a gold label, in order. */
  private static List<NliPair> expected(MnliSplit split) {
    return MnliFixtures.rows(split).stream()
        .filter(r -> !r.goldLabel().equals("-"))
        .map(
            r ->
                new NliPair(
                    r.pairId(),
                    r.premise(),
                    r.hypothesis(),
                    NliLabel.parse(r.goldLabel()),
                    r.genre()))
        .toList();
  }

  @Test
  void glueLayoutIsFoundAndEverySplitReads() throws IOException {
    MnliFixtures.writeGlueDirectory(dir);
    MnliDirectory mnli = MnliDirectory.find(dir);
    assertEquals(MnliFormat.GLUE_TSV, mnli.format());
    for (MnliSplit split : MnliSplit.values()) {
      NliPairs read = mnli.split(split).readAll();
      assertEquals(expected(split), read.pairs(), split.toString());
      assertEquals(1, read.skippedWithoutGold(), split.toString());
    }
    assertEquals(dir.resolve("dev_mismatched.tsv"), mnli.split(MnliSplit.DEV_MISMATCHED).path());
  }

  @Test
  void multiNliLayoutIsFoundAndEverySplitReads() throws IOException {
    MnliFixtures.writeMultiNliDirectory(dir);
    MnliDirectory mnli = MnliDirectory.find(dir);
    assertEquals(MnliFormat.MULTINLI_JSONL, mnli.format());
    for (MnliSplit split : MnliSplit.values()) {
      NliPairs read = mnli.split(split).readAll();
      assertEquals(expected(split), read.pairs(), split.toString());
      assertEquals(1, read.skippedWithoutGold(), split.toString());
    }
  }

  @Test
  void theDownloadsOwnSubfolderIsSearched() throws IOException {
    MnliFixtures.writeMultiNliDirectory(dir.resolve("multinli_1.0"));
    assertEquals(dir.resolve("multinli_1.0"), MnliDirectory.find(dir).folder());
  }

  @Test
  void incompleteDirectoryNamesItselfTheExpectedAndTheMissingFiles() throws IOException {
    MnliFixtures.writeGlueDirectory(dir);
    Files.delete(dir.resolve("dev_mismatched.tsv"));
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> MnliDirectory.find(dir));
    String m = e.getMessage();
    assertTrue(m.startsWith(dir.toString()), m);
    assertTrue(m.contains("train.tsv, dev_matched.tsv, dev_mismatched.tsv"), m);
    assertTrue(m.contains("multinli_1.0_train.jsonl"), m);
    assertTrue(m.contains("lacks dev_mismatched.tsv"), m);
  }

  @Test
  void emptyDirectoryIsAnError() {
    assertThrows(NoSuchFileException.class, () -> MnliDirectory.find(dir));
  }
}
