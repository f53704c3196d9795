package org.stiffness.nlp.mnli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading both published formats: hand-written lines in the exact real layouts. */
class MnliFileTest {
  static final String GLUE_DEV_HEADER =
      "index\tpromptID\tpairID\tgenre\tsentence1_binary_parse\tsentence2_binary_parse"
          + "\tsentence1_parse\tsentence2_parse\tsentence1\tsentence2"
          + "\tlabel1\tlabel2\tlabel3\tlabel4\tlabel5\tgold_label";
  static final String GLUE_TRAIN_HEADER =
      "index\tpromptID\tpairID\tgenre\tsentence1_binary_parse\tsentence2_binary_parse"
          + "\tsentence1_parse\tsentence2_parse\tsentence1\tsentence2\tlabel1\tgold_label";

  @TempDir Path dir;

  private Path write(String name, String... lines) throws IOException {
    return Files.write(dir.resolve(name), List.of(lines), StandardCharsets.UTF_8);
  }

  private static String glueDev(
      String index, String pairId, String genre, String s1, String s2, String gold) {
    return String.join(
        "\t",
        index,
        pairId.replaceAll("\\D", ""),
        pairId,
        genre,
        "( ( x ) )",
        "( ( y ) )",
        "(ROOT (S (X x)))",
        "(ROOT (S (X y)))",
        s1,
        s2,
        "neutral",
        "entailment",
        "neutral",
        "neutral",
        "neutral",
        gold);
  }

  @Test
  void glueDevLineGivesItsFieldsVerbatim() throws IOException {
    Path file =
        write(
            "dev_matched.tsv",
            GLUE_DEV_HEADER,
            glueDev(
                "0",
                "63735n",
                "slate",
                "The new rights are nice enough",
                "Everyone really likes the newest benefits ",
                "neutral"));
    NliPairs read = MnliFile.of(file).readAll();
    assertEquals(
        List.of(
            new NliPair(
                "63735n",
                "The new rights are nice enough",
                "Everyone really likes the newest benefits ",
                NliLabel.NEUTRAL,
                Genre.SLATE)),
        read.pairs());
    assertEquals(0, read.skippedWithoutGold());
    assertEquals(file, read.source());
  }

  @Test
  void glueTrainHasOneAnnotatorColumn() throws IOException {
    Path file =
        write(
            "train.tsv",
            GLUE_TRAIN_HEADER,
            "0\t31193\t31193n\tgovernment\t( a )\t( b )\t(ROOT a)\t(ROOT b)"
                + "\tConceptually cream skimming has two basic dimensions - product and geography."
                + "\tProduct and geography are what make cream skimming work. \tneutral\tneutral",
            "1\t101457\t101457e\ttelephone\t( a )\t( b )\t(ROOT a)\t(ROOT b)"
                + "\tyou know during the season and i guess at at your level uh you lose them"
                + "\tYou lose the things to the following level if the people recall."
                + "\tentailment\tentailment");
    NliPairs read = MnliFile.of(file).readAll();
    assertEquals(2, read.size());
    assertEquals("31193n", read.pairs().get(0).pairId());
    assertEquals(Genre.TELEPHONE, read.pairs().get(1).genre());
    assertEquals(NliLabel.ENTAILMENT, read.pairs().get(1).label());
    assertTrue(read.pairs().get(0).premise().startsWith("Conceptually cream"));
  }

  @Test
  void unescapedQuotesInGlueSentencesAreKeptAsText() throws IOException {
    Path file =
        write(
            "dev_matched.tsv",
            GLUE_DEV_HEADER,
            glueDev("0", "1e", "fiction", "He said \"no", "\"quoted\" text\"", "entailment"),
            glueDev("1", "2c", "travel", "plain", "also plain", "contradiction"));
    List<NliPair> pairs = MnliFile.of(file).readAll().pairs();
    assertEquals("He said \"no", pairs.get(0).premise());
    assertEquals("\"quoted\" text\"", pairs.get(0).hypothesis());
    assertEquals("2c", pairs.get(1).pairId());
  }

  @Test
  void glueColumnsAreFoundByHeaderNameNotPosition() throws IOException {
    Path file =
        write(
            "x.tsv",
            "gold_label\tsentence2\tgenre\tpairID\tsentence1",
            "contradiction\tThe hypothesis.\toup\t7c\tThe premise.");
    assertEquals(
        List.of(
            new NliPair(
                "7c", "The premise.", "The hypothesis.", NliLabel.CONTRADICTION, Genre.OUP)),
        MnliFile.of(file).readAll().pairs());
  }

  @Test
  void pairsWithoutGoldLabelAreSkippedAndCounted() throws IOException {
    Path file =
        write(
            "dev_matched.tsv",
            GLUE_DEV_HEADER,
            glueDev("0", "1n", "slate", "a", "b", "-"),
            glueDev("1", "2n", "slate", "c", "d", "neutral"),
            glueDev("2", "3n", "slate", "e", "f", "-"));
    NliPairs read = MnliFile.of(file).readAll();
    assertEquals(1, read.size());
    assertEquals("2n", read.pairs().get(0).pairId());
    assertEquals(2, read.skippedWithoutGold());
  }

  @Test
  void multiNliLineInPythonLayoutGivesItsFields() throws IOException {
    Path file =
        write(
            "multinli_1.0_dev_matched.jsonl",
            "{\"annotator_labels\": [\"neutral\", \"entailment\", \"neutral\", \"neutral\","
                + " \"neutral\"], \"genre\": \"slate\", \"gold_label\": \"neutral\", \"pairID\":"
                + " \"63735n\", \"promptID\": \"63735\", \"sentence1\": \"The new rights are nice"
                + " enough\", \"sentence1_binary_parse\": \"( ( The ( new rights ) ) ( are ( nice"
                + " enough ) ) )\", \"sentence1_parse\": \"(ROOT (S (NP (DT The) (JJ new) (NNS"
                + " rights)) (VP (VBP are) (ADJP (JJ nice) (RB enough)))))\", \"sentence2\":"
                + " \"Everyone really likes the newest benefits \", \"sentence2_binary_parse\":"
                + " \"( Everyone ( really ( likes ( the ( newest benefits ) ) ) ) )\","
                + " \"sentence2_parse\": \"(ROOT (S (NP (NN Everyone)) (VP (ADVP (RB really)) (VBZ"
                + " likes) (NP (DT the) (JJS newest) (NNS benefits)))))\"}",
            "{\"annotator_labels\": [\"neutral\", \"contradiction\", \"entailment\", \"neutral\","
                + " \"contradiction\"], \"genre\": \"fiction\", \"gold_label\": \"-\", \"pairID\":"
                + " \"9n\", \"promptID\": \"9\", \"sentence1\": \"Say \\\"hi\\\" \\u00e9\","
                + " \"sentence2\": \"b\"}",
            "{\"annotator_labels\": [\"contradiction\"], \"genre\": \"nineeleven\", \"gold_label\":"
                + " \"contradiction\", \"pairID\": \"10c\", \"promptID\": \"10\", \"sentence1\":"
                + " \"Say \\\"hi\\\" \\u00e9\", \"sentence2\": \"b\"}");
    NliPairs read = MnliFile.of(file).readAll();
    assertEquals(
        List.of(
            new NliPair(
                "63735n",
                "The new rights are nice enough",
                "Everyone really likes the newest benefits ",
                NliLabel.NEUTRAL,
                Genre.SLATE),
            new NliPair("10c", "Say \"hi\" \u00e9", "b", NliLabel.CONTRADICTION, Genre.NINEELEVEN)),
        read.pairs());
    assertEquals(1, read.skippedWithoutGold());
  }

  @Test
  void readFirstStopsBeforeLaterLines() throws IOException {
    Path file =
        write(
            "dev_matched.tsv",
            GLUE_DEV_HEADER,
            glueDev("0", "1n", "slate", "a", "b", "-"),
            glueDev("1", "2n", "slate", "c", "d", "neutral"),
            glueDev("2", "3e", "slate", "e", "f", "entailment"),
            "this line is malformed and must never be parsed");
    NliPairs first = MnliFile.of(file).readFirst(2);
    assertEquals(List.of("2n", "3e"), first.pairs().stream().map(NliPair::pairId).toList());
    assertEquals(1, first.skippedWithoutGold());
    assertThrows(MalformedMnliException.class, () -> MnliFile.of(file).readFirst(3));
  }

  @Test
  void wrongColumnCountNamesFileLineAndCounts() throws IOException {
    String full = glueDev("1", "2n", "slate", "c", "d", "neutral");
    String shortLine = full.substring(0, full.lastIndexOf('\t')); // gold_label column dropped
    Path file =
        write(
            "dev_matched.tsv",
            GLUE_DEV_HEADER,
            glueDev("0", "1n", "slate", "a", "b", "neutral"),
            shortLine);
    MalformedMnliException e =
        assertThrows(MalformedMnliException.class, () -> MnliFile.of(file).readAll());
    assertEquals(3, e.line());
    assertEquals(file, e.file());
    assertTrue(e.getMessage().startsWith(file + ":3: "), e.getMessage());
    assertTrue(
        e.getMessage().contains("15 tab-separated columns, the header has 16"), e.getMessage());
  }

  @Test
  void headerWithoutGoldLabelIsLineOne() throws IOException {
    Path file = write("train.tsv", GLUE_TRAIN_HEADER.replace("gold_label", "label2"));
    MalformedMnliException e =
        assertThrows(MalformedMnliException.class, () -> MnliFile.of(file).readAll());
    assertEquals(1, e.line());
    assertTrue(e.getMessage().contains("gold_label"), e.getMessage());
  }

  @Test
  void emptyGlueFileIsAnError() throws IOException {
    Path file = write("train.tsv");
    MalformedMnliException e =
        assertThrows(MalformedMnliException.class, () -> MnliFile.of(file).readAll());
    assertTrue(e.getMessage().contains("empty file"), e.getMessage());
  }

  @Test
  void unknownLabelNamesLineAndValue() throws IOException {
    Path file =
        write(
            "dev_matched.tsv",
            GLUE_DEV_HEADER,
            glueDev("0", "1n", "slate", "a", "b", "neutral"),
            glueDev("1", "2n", "slate", "c", "d", "hidden"));
    MalformedMnliException e =
        assertThrows(MalformedMnliException.class, () -> MnliFile.of(file).readAll());
    assertEquals(3, e.line());
    assertTrue(e.getMessage().contains("unknown label \"hidden\""), e.getMessage());
  }

  @Test
  void unknownGenreNamesLineAndValue() throws IOException {
    Path file =
        write(
            "x.jsonl",
            "{\"gold_label\": \"neutral\", \"genre\": \"news\", \"pairID\": \"1n\","
                + " \"sentence1\": \"a\", \"sentence2\": \"b\"}");
    MalformedMnliException e =
        assertThrows(MalformedMnliException.class, () -> MnliFile.of(file).readAll());
    assertEquals(1, e.line());
    assertTrue(e.getMessage().contains("unknown genre \"news\""), e.getMessage());
  }

  @Test
  void badJsonNamesTheLine() throws IOException {
    Path file =
        write(
            "x.jsonl",
            "{\"gold_label\": \"neutral\", \"genre\": \"oup\", \"pairID\": \"1n\","
                + " \"sentence1\": \"a\", \"sentence2\": \"b\"}",
            "{\"gold_label\": \"neutral\", \"genre\": ");
    MalformedMnliException e =
        assertThrows(MalformedMnliException.class, () -> MnliFile.of(file).readAll());
    assertEquals(2, e.line());
    assertTrue(e.getMessage().startsWith(file + ":2: not valid JSON"), e.getMessage());
  }

  @Test
  void missingOrNonStringFieldIsNamed() throws IOException {
    Path missing =
        write(
            "a.jsonl",
            "{\"gold_label\": \"neutral\", \"genre\": \"oup\", \"pairID\": \"1n\","
                + " \"sentence1\": \"a\"}");
    MalformedMnliException e =
        assertThrows(MalformedMnliException.class, () -> MnliFile.of(missing).readAll());
    assertTrue(e.getMessage().contains("missing field \"sentence2\""), e.getMessage());
    Path number =
        write(
            "b.jsonl",
            "{\"gold_label\": \"neutral\", \"genre\": \"oup\", \"pairID\": 17,"
                + " \"sentence1\": \"a\", \"sentence2\": \"b\"}");
    e = assertThrows(MalformedMnliException.class, () -> MnliFile.of(number).readAll());
    assertTrue(e.getMessage().contains("field \"pairID\" is NUMBER"), e.getMessage());
  }

  @Test
  void invalidUtf8IsReportedWithTheFile() throws IOException {
    Path file = dir.resolve("x.jsonl");
    byte[] bad = {'{', '"', (byte) 0xC3, (byte) 0x28, '"', '}', '\n'};
    Files.write(file, bad);
    MalformedMnliException e =
        assertThrows(MalformedMnliException.class, () -> MnliFile.of(file).readAll());
    assertTrue(e.getMessage().contains("invalid UTF-8"), e.getMessage());
    assertEquals(file, e.file());
  }

  @Test
  void unknownExtensionNeedsAnExplicitFormat() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> MnliFile.of(dir.resolve("mnli.csv")));
    assertTrue(e.getMessage().contains("mnli.csv"), e.getMessage());
  }

  /** A GLUE file with {@code perLabel[c]} pairs of label c, interleaved, plus no-gold lines. */
  private Path interleaved(int... perLabel) throws IOException {
    List<String> lines = new ArrayList<>(List.of(GLUE_DEV_HEADER));
    int row = 0;
    for (int k = 0; k < 100; k++) {
      for (int c = 0; c < 3; c++) {
        if (k < perLabel[c]) {
          String label = NliLabel.fromIndex(c).fileName();
          lines.add(glueDev("" + row, row + "x", "slate", "p" + row, "h" + row, label));
          row++;
        }
      }
      if (k % 4 == 0) {
        lines.add(glueDev("" + row, row + "x", "slate", "p", "h", "-"));
        row++;
      }
    }
    return Files.write(dir.resolve("balanced.tsv"), lines, StandardCharsets.UTF_8);
  }

  @Test
  void balancedSubsetHasTheQuotasGroupedByLabelInFileOrder() throws IOException {
    MnliFile file = MnliFile.of(interleaved(9, 7, 12));
    List<NliPair> all = file.readAll().pairs();
    NliPairs subset = file.readBalanced(8, 42);
    // 8 = 3 + 3 + 2: the remainder goes to the first labels by index.
    assertEquals(List.of(0, 0, 0, 1, 1, 1, 2, 2), boxed(subset.labels()));
    int previous = -1;
    int previousLabel = -1;
    for (NliPair pair : subset.pairs()) {
      int position = all.indexOf(pair);
      assertTrue(position >= 0, pair + " is not a pair of the file");
      if (pair.label().index() == previousLabel) {
        assertTrue(position > previous, "file order within a label");
      }
      previous = position;
      previousLabel = pair.label().index();
    }
    assertEquals(subset.pairs(), file.readBalanced(8, 42).pairs(), "same seed, same subset");
    assertEquals(file.readAll().skippedWithoutGold(), subset.skippedWithoutGold());
  }

  @Test
  void balancedSubsetIncludesEveryPairWithEqualProbability() throws IOException {
    // 6 pairs per label, 2 kept per label: each pair should be kept with probability 1/3.
    MnliFile file = MnliFile.of(interleaved(6, 6, 6));
    List<NliPair> all = file.readAll().pairs();
    int seeds = 900;
    int[] kept = new int[all.size()];
    for (int seed = 0; seed < seeds; seed++) {
      for (NliPair pair : file.readBalanced(6, seed).pairs()) {
        kept[all.indexOf(pair)]++;
      }
    }
    double expected = seeds / 3.0;
    double sigma = Math.sqrt(seeds * (1 / 3.0) * (2 / 3.0));
    for (int k = 0; k < kept.length; k++) {
      assertTrue(
          Math.abs(kept[k] - expected) < 5 * sigma,
          "pair " + k + " kept " + kept[k] + " times, expected about " + expected);
    }
  }

  @Test
  void balancedSubsetLargerThanALabelIsAnErrorNamingIt() throws IOException {
    MnliFile file = MnliFile.of(interleaved(5, 2, 5));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> file.readBalanced(9, 1));
    assertTrue(e.getMessage().contains("neutral"), e.getMessage());
    assertTrue(e.getMessage().contains("only 2"), e.getMessage());
  }

  private static List<Integer> boxed(int[] values) {
    return Arrays.stream(values).boxed().toList();
  }
}
