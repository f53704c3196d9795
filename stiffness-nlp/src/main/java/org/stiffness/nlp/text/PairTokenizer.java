package org.stiffness.nlp.text;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.util.PairList;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Encodes (premise, hypothesis) pairs for a BERT-style model with a HuggingFace {@code
 * tokenizer.json} read from a local file (no network).
 *
 * <p>The tokenizer adds the special tokens of the file's post-processor (for BERT {@code [CLS] A
 * [SEP] B [SEP]}, segment ids 0 then 1) and truncates longest-first to the maximum length: tokens
 * are removed from whichever sentence is longer, as BERT's GLUE fine-tuning does. Padding is done
 * here rather than by the binding, so that the pad id is the one the file names (see {@link
 * #padTokenId()}) and both padding modes behave the same for every file.
 */
public final class PairTokenizer implements AutoCloseable {

  /** How the encoded pairs of one call are brought to a common length T. */
  public enum Padding {
    /** T = the longest encoded pair of the call (at most the maximum length). */
    LONGEST,
    /** T = the maximum length, whatever the pairs. */
    MAX_LENGTH
  }

  private final HuggingFaceTokenizer tokenizer;
  private final TokenizerFile file;
  private final int maxLength;
  private final Padding padding;

  private PairTokenizer(
      HuggingFaceTokenizer tokenizer, TokenizerFile file, int maxLength, Padding padding) {
    this.tokenizer = tokenizer;
    this.file = file;
    this.maxLength = maxLength;
    this.padding = padding;
  }

  /**
   * Loads a tokenizer.
   *
   * @param tokenizerJson a {@code tokenizer.json} file
   * @param maxLength maximum tokens per pair, special tokens included (BERT-base: at most 512)
   * @param padding how pairs are padded
   * @throws NoSuchFileException if the file does not exist
   * @throws IOException naming the file if it is not a tokenizer.json
   * @throws IllegalArgumentException if {@code maxLength} leaves no room for text after the special
   *     tokens of a pair
   */
  public static PairTokenizer load(Path tokenizerJson, int maxLength, Padding padding)
      throws IOException {
    Objects.requireNonNull(padding, "padding");
    if (!Files.isRegularFile(tokenizerJson)) {
      throw new NoSuchFileException(tokenizerJson.toString(), null, "no tokenizer.json file here");
    }
    if (maxLength < 2) {
      throw new IllegalArgumentException("maxLength = " + maxLength + ", expected >= 2");
    }
    TokenizerFile file = TokenizerFile.read(tokenizerJson);
    // DJL's option names (HuggingFaceTokenizer's constructor): truncation "true" = LONGEST_FIRST;
    // modelMaxLength must not be below maxLength or DJL silently lowers maxLength to it.
    Map<String, String> options =
        Map.of(
            "addSpecialTokens", "true",
            "truncation", "true",
            "padding", "false",
            "maxLength", Integer.toString(maxLength),
            "modelMaxLength", Integer.toString(maxLength));
    HuggingFaceTokenizer tokenizer;
    try {
      tokenizer = HuggingFaceTokenizer.newInstance(tokenizerJson, options);
    } catch (RuntimeException e) {
      throw new IOException(tokenizerJson + ": the tokenizers library rejected the file: " + e, e);
    }
    // An empty pair encodes to the special tokens alone: the budget they take from maxLength.
    int specials = tokenizer.encode("", "").getIds().length;
    if (maxLength <= specials) {
      tokenizer.close();
      throw new IllegalArgumentException(
          "maxLength = "
              + maxLength
              + " leaves no room for text: a pair already takes "
              + specials
              + " special tokens");
    }
    return new PairTokenizer(tokenizer, file, maxLength, padding);
  }

  /**
   * Encodes pairs {@code (premises[i], hypotheses[i])}.
   *
   * @return the pairs padded to a common length: the longest pair (LONGEST) or {@link #maxLength()}
   * @throws IllegalArgumentException if the lists differ in size or contain null (names the index)
   */
  public TokenizedPairs encode(List<String> premises, List<String> hypotheses) {
    if (premises.size() != hypotheses.size()) {
      throw new IllegalArgumentException(
          premises.size() + " premises but " + hypotheses.size() + " hypotheses");
    }
    PairList<String, String> pairs = new PairList<>(premises.size());
    for (int i = 0; i < premises.size(); i++) {
      if (premises.get(i) == null || hypotheses.get(i) == null) {
        throw new IllegalArgumentException("pair " + i + " has a null sentence");
      }
      pairs.add(premises.get(i), hypotheses.get(i));
    }
    Encoding[] encodings =
        pairs.isEmpty() ? new Encoding[0] : tokenizer.batchEncode(pairs, true, false);
    int n = encodings.length;
    int length = padding == Padding.MAX_LENGTH ? maxLength : 0;
    for (Encoding e : encodings) {
      length = Math.max(length, e.getIds().length);
    }
    long[] ids = new long[n * length];
    long[] types = new long[n * length];
    long[] mask = new long[n * length];
    boolean[] truncated = new boolean[n];
    Arrays.fill(ids, file.padTokenId);
    for (int i = 0; i < n; i++) {
      long[] e = encodings[i].getIds();
      System.arraycopy(e, 0, ids, i * length, e.length);
      System.arraycopy(encodings[i].getTypeIds(), 0, types, i * length, e.length);
      Arrays.fill(mask, i * length, i * length + e.length, 1L);
      truncated[i] = encodings[i].exceedMaxLength();
    }
    return new TokenizedPairs(n, length, ids, types, mask, truncated);
  }

  /** Maximum tokens per pair, special tokens included. */
  public int maxLength() {
    return maxLength;
  }

  /** The padding mode. */
  public Padding padding() {
    return padding;
  }

  /** Vocabulary size V: every token id is in {@code [0, V)}. */
  public int vocabularySize() {
    return file.vocabularySize;
  }

  /** The id written at padding positions. */
  public long padTokenId() {
    return file.padTokenId;
  }

  /**
   * Sorted ids of the file's special tokens (for BERT {@code [PAD] [UNK] [CLS] [SEP] [MASK]}): the
   * tokens a bag of words leaves out.
   */
  public long[] specialTokenIds() {
    return file.specialTokenIds.clone();
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
