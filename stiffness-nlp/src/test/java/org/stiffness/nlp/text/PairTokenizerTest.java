package org.stiffness.nlp.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.nlp.mnli.MnliFixtures;
import org.stiffness.nlp.mnli.MnliSplit;

/**
 * Encodings checked against ids worked out by hand from the vocabulary: [PAD] 0, [UNK] 1, [CLS] 2,
 * [SEP] 3, [MASK] 4, then the words from id 5.
 */
class PairTokenizerTest {
  // the 5, cat 6, sat 7, on 8, mat 9, a 10, is 11, sit 12, ##ting 13, . 14
  static final List<String> WORDS =
      List.of("the", "cat", "sat", "on", "mat", "a", "is", "sit", "##ting", ".");

  @TempDir Path dir;
  Path json;

  @BeforeEach
  void writeVocabulary() throws IOException {
    json = WordPieceVocabulary.writeTokenizerJson(dir.resolve("tokenizer.json"), WORDS);
  }

  private static long[] row(TokenizedPairs p, int i, String what) {
    long[] out = new long[p.sequenceLength()];
    for (int t = 0; t < out.length; t++) {
      out[t] =
          switch (what) {
            case "ids" -> p.tokenId(i, t);
            case "types" -> p.typeId(i, t);
            default -> p.attentionMask(i, t);
          };
    }
    return out;
  }

  @Test
  void pairGetsClsSepSegmentsAndPaddingToTheLongest() throws IOException {
    try (PairTokenizer tok = PairTokenizer.load(json, 64, PairTokenizer.Padding.LONGEST)) {
      TokenizedPairs p =
          tok.encode(
              List.of("The cat sat on the mat.", "The CAT."), List.of("A cat is sitting.", "Sat."));
      assertEquals(2, p.size());
      assertEquals(16, p.sequenceLength());
      // [CLS] the cat sat on the mat . [SEP] a cat is sit ##ting . [SEP]
      assertArrayEquals(
          new long[] {2, 5, 6, 7, 8, 5, 9, 14, 3, 10, 6, 11, 12, 13, 14, 3}, row(p, 0, "ids"));
      assertArrayEquals(
          new long[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1}, row(p, 0, "types"));
      long[] allOnes = new long[16];
      Arrays.fill(allOnes, 1);
      assertArrayEquals(allOnes, row(p, 0, "mask"));
      // [CLS] the cat . [SEP] sat . [SEP], then 8 [PAD] with segment 0 and mask 0
      assertArrayEquals(
          new long[] {2, 5, 6, 14, 3, 7, 14, 3, 0, 0, 0, 0, 0, 0, 0, 0}, row(p, 1, "ids"));
      assertArrayEquals(
          new long[] {0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0}, row(p, 1, "types"));
      assertArrayEquals(
          new long[] {1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0}, row(p, 1, "mask"));
      assertEquals(8, p.length(1));
      assertEquals(0, p.truncatedCount());
    }
  }

  @Test
  void longestFirstTruncationCutsTheLongerSentenceFirst() throws IOException {
    // 7 + 6 text tokens, budget 10 - 3 specials = 7: removing one token at a time from the longer
    // sentence leaves 4 + 3.
    try (PairTokenizer tok = PairTokenizer.load(json, 10, PairTokenizer.Padding.LONGEST)) {
      TokenizedPairs p =
          tok.encode(
              List.of("The cat sat on the mat.", "a cat"), List.of("A cat is sitting.", "is"));
      assertEquals(10, p.sequenceLength());
      // [CLS] the cat sat on [SEP] a cat is [SEP]
      assertArrayEquals(new long[] {2, 5, 6, 7, 8, 3, 10, 6, 11, 3}, row(p, 0, "ids"));
      assertArrayEquals(new long[] {0, 0, 0, 0, 0, 0, 1, 1, 1, 1}, row(p, 0, "types"));
      assertTrue(p.truncated(0));
      assertFalse(p.truncated(1));
      assertEquals(1, p.truncatedCount());
      // [CLS] a cat [SEP] is [SEP] [PAD] x4
      assertArrayEquals(new long[] {2, 10, 6, 3, 11, 3, 0, 0, 0, 0}, row(p, 1, "ids"));
    }
  }

  @Test
  void maxLengthPaddingUsesTheMaximumWhateverThePairs() throws IOException {
    try (PairTokenizer tok = PairTokenizer.load(json, 12, PairTokenizer.Padding.MAX_LENGTH)) {
      TokenizedPairs p = tok.encode(List.of("the dog"), List.of("a cat"));
      assertEquals(12, p.sequenceLength());
      // "dog" is not in the vocabulary: [UNK] = 1
      assertArrayEquals(new long[] {2, 5, 1, 3, 10, 6, 3, 0, 0, 0, 0, 0}, row(p, 0, "ids"));
      assertEquals(7, p.length(0));
    }
  }

  @Test
  void vocabularyFactsComeFromTheFile() throws IOException {
    try (PairTokenizer tok = PairTokenizer.load(json, 16, PairTokenizer.Padding.LONGEST)) {
      assertEquals(15, tok.vocabularySize());
      assertEquals(0, tok.padTokenId());
      assertArrayEquals(new long[] {0, 1, 2, 3, 4}, tok.specialTokenIds());
    }
  }

  @Test
  void padIdConfiguredInTheFileIsWrittenAtPaddingPositions() throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = (ObjectNode) mapper.readTree(json.toFile());
    ObjectNode padding = root.putObject("padding");
    padding.put("strategy", "BatchLongest");
    padding.put("direction", "Right");
    padding.putNull("pad_to_multiple_of");
    padding.put("pad_id", 4);
    padding.put("pad_type_id", 0);
    padding.put("pad_token", "[MASK]");
    Path custom = dir.resolve("custom.json");
    mapper.writeValue(custom.toFile(), root);
    try (PairTokenizer tok = PairTokenizer.load(custom, 16, PairTokenizer.Padding.MAX_LENGTH)) {
      assertEquals(4, tok.padTokenId());
      TokenizedPairs p = tok.encode(List.of("cat"), List.of("mat"));
      assertArrayEquals(
          new long[] {2, 6, 3, 9, 3, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4}, row(p, 0, "ids"));
    }
  }

  @Test
  void ndListHoldsInt64IdsTypesMaskInThatOrder() throws IOException {
    try (PairTokenizer tok = PairTokenizer.load(json, 64, PairTokenizer.Padding.LONGEST);
        NDManager manager = NDManager.newBaseManager()) {
      TokenizedPairs p = tok.encode(List.of("the cat", "a"), List.of("sat", "mat on the mat"));
      NDList list = p.toNDList(manager);
      assertEquals(3, list.size());
      long[][] expected = {p.tokenIds(), p.typeIds(), p.attentionMask()};
      for (int k = 0; k < 3; k++) {
        assertEquals(DataType.INT64, list.get(k).getDataType());
        assertEquals(new Shape(2, p.sequenceLength()), list.get(k).getShape());
        assertArrayEquals(expected[k], list.get(k).toLongArray());
      }
      assertEquals(1, list.get(1).toLongArray()[p.sequenceLength() + 3], "a [SEP] | mat");
    }
  }

  @Test
  void fixtureVocabularyCoversEveryFixtureSentence() throws IOException {
    Path fixtureJson =
        WordPieceVocabulary.writeTokenizerJson(
            dir.resolve("fixture.json"), MnliFixtures.vocabulary());
    try (PairTokenizer tok = PairTokenizer.load(fixtureJson, 128, PairTokenizer.Padding.LONGEST)) {
      for (MnliSplit split : MnliSplit.values()) {
        List<MnliFixtures.Row> rows = MnliFixtures.rows(split);
        TokenizedPairs p =
            tok.encode(
                rows.stream().map(MnliFixtures.Row::premise).toList(),
                rows.stream().map(MnliFixtures.Row::hypothesis).toList());
        for (int i = 0; i < p.size(); i++) {
          for (int t = 0; t < p.length(i); t++) {
            assertTrue(p.tokenId(i, t) != 1, split + " pair " + i + " has [UNK] at " + t);
          }
        }
      }
    }
  }

  @Test
  void badArgumentsAreNamed() throws IOException {
    assertThrows(
        NoSuchFileException.class,
        () -> PairTokenizer.load(dir.resolve("none.json"), 16, PairTokenizer.Padding.LONGEST));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> PairTokenizer.load(json, 3, PairTokenizer.Padding.LONGEST));
    assertTrue(e.getMessage().contains("3 special tokens"), e.getMessage());
    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"model\": ");
    IOException io =
        assertThrows(
            IOException.class, () -> PairTokenizer.load(broken, 16, PairTokenizer.Padding.LONGEST));
    assertTrue(io.getMessage().startsWith(broken.toString()), io.getMessage());
    try (PairTokenizer tok = PairTokenizer.load(json, 16, PairTokenizer.Padding.LONGEST)) {
      assertThrows(IllegalArgumentException.class, () -> tok.encode(List.of("a"), List.of()));
    }
  }

  @Test
  void invalidWordsAreRejectedWithTheirIndex() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                WordPieceVocabulary.writeTokenizerJson(
                    dir.resolve("x.json"), List.of("ok", "Upper")));
    assertTrue(e.getMessage().startsWith("word 1 \"Upper\""), e.getMessage());
    assertThrows(
        IllegalArgumentException.class,
        () -> WordPieceVocabulary.writeTokenizerJson(dir.resolve("x.json"), List.of("a", "a")));
    assertThrows(
        IllegalArgumentException.class,
        () -> WordPieceVocabulary.writeTokenizerJson(dir.resolve("x.json"), List.of("[CLS]")));
  }
}
