package org.stiffness.nlp.text;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.stats.InputDistances;

class BagOfTokensTest {
  private static final long[] SPECIALS = {0, 1, 2, 3, 4};

  @TempDir Path dir;

  /** Pairs from explicit rows of ids (0 = [PAD] with mask 0 only where {@code mask} says so). */
  private static TokenizedPairs pairs(long[][] ids, long[][] mask) {
    int n = ids.length;
    int t = ids[0].length;
    long[] flatIds = new long[n * t];
    long[] flatMask = new long[n * t];
    for (int i = 0; i < n; i++) {
      System.arraycopy(ids[i], 0, flatIds, i * t, t);
      System.arraycopy(mask[i], 0, flatMask, i * t, t);
    }
    return new TokenizedPairs(n, t, flatIds, new long[n * t], flatMask, new boolean[n]);
  }

  @Test
  void handComputedDistancesLeaveOutSpecialAndPaddingTokens() {
    // x0 = {5, 5, 6}; x1 = {5, 7} (the trailing 6 is padding: mask 0); x2 = specials only.
    TokenizedPairs p =
        pairs(
            new long[][] {{2, 5, 5, 3, 6, 3}, {2, 5, 3, 7, 3, 6}, {2, 1, 3, 4, 3, 0}},
            new long[][] {{1, 1, 1, 1, 1, 1}, {1, 1, 1, 1, 1, 0}, {1, 1, 1, 1, 1, 0}});
    BagOfTokens bags = BagOfTokens.of(p, SPECIALS);
    assertEquals(3, bags.tokenCount(0));
    assertEquals(2, bags.count(0, 5));
    assertEquals(0, bags.count(1, 6));
    assertEquals(0, bags.tokenCount(2));
    InputDistances d = BagOfTokens.cosineDistances(bags, bags);
    // c0.c1 = 2*1 = 2, |c0| = sqrt(5), |c1| = sqrt(2)
    double d01 = 1 - 2 / Math.sqrt(10);
    double[][] expected = {{0, d01, 1}, {d01, 0, 1}, {1, 1, 1}};
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        assertEquals(expected[i][j], d.get(i, j), 1e-7, i + "," + j);
      }
    }
  }

  @Test
  void matchesDenseCountVectorsOnRandomRectangularSets() {
    Random rng = new Random(3);
    int vocab = 30;
    TokenizedPairs rows = random(rng, 40, 12, vocab);
    TokenizedPairs cols = random(rng, 25, 9, vocab);
    InputDistances d =
        BagOfTokens.cosineDistances(BagOfTokens.of(rows, SPECIALS), BagOfTokens.of(cols, SPECIALS));
    assertEquals(40, d.rows());
    assertEquals(25, d.cols());
    for (int i = 0; i < rows.size(); i++) {
      double[] a = dense(rows, i, vocab);
      for (int j = 0; j < cols.size(); j++) {
        double[] b = dense(cols, j, vocab);
        double dot = 0;
        double na = 0;
        double nb = 0;
        for (int v = 0; v < vocab; v++) {
          dot += a[v] * b[v];
          na += a[v] * a[v];
          nb += b[v] * b[v];
        }
        double expected = na == 0 || nb == 0 ? 1 : 1 - dot / Math.sqrt(na * nb);
        assertEquals(expected, d.get(i, j), 1e-6, i + "," + j);
      }
    }
  }

  /** Random ids in [0, vocab) (specials included), random lengths, padding after the length. */
  private static TokenizedPairs random(Random rng, int n, int t, int vocab) {
    long[][] ids = new long[n][t];
    long[][] mask = new long[n][t];
    for (int i = 0; i < n; i++) {
      int length = rng.nextInt(t + 1);
      for (int k = 0; k < t; k++) {
        ids[i][k] = k < length ? rng.nextInt(vocab) : 0;
        mask[i][k] = k < length ? 1 : 0;
      }
    }
    return pairs(ids, mask);
  }

  private static double[] dense(TokenizedPairs p, int i, int vocab) {
    double[] c = new double[vocab];
    for (int t = 0; t < p.sequenceLength(); t++) {
      long id = p.tokenId(i, t);
      if (p.attentionMask(i, t) == 1 && id > 4) {
        c[(int) id]++;
      }
    }
    return c;
  }

  @Test
  void tokenizedSentencesGiveTheDistanceOfTheirWords() throws IOException {
    Path json =
        WordPieceVocabulary.writeTokenizerJson(
            dir.resolve("tokenizer.json"), PairTokenizerTest.WORDS);
    try (PairTokenizer tok = PairTokenizer.load(json, 32, PairTokenizer.Padding.LONGEST)) {
      TokenizedPairs p =
          tok.encode(List.of("the cat", "the mat", "the cat"), List.of("sat", "on", "the cat"));
      BagOfTokens bags = BagOfTokens.of(p, tok.specialTokenIds());
      InputDistances d = BagOfTokens.cosineDistances(bags, bags);
      // {the, cat, sat} vs {the, mat, on}: one shared token of three each: 1 - 1/3.
      assertEquals(1 - 1.0 / 3, d.get(0, 1), 1e-7);
      // {the:2, cat:2} is proportional to {the, cat}, which shares 2 of the 3 words of x0:
      // c0.c2 = 2 + 2 = 4, |c0| = sqrt(3), |c2| = sqrt(8).
      assertEquals(1 - 4 / Math.sqrt(24), d.get(0, 2), 1e-7);
    }
  }
}
