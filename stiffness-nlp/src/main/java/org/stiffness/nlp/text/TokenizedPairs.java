package org.stiffness.nlp.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * N encoded sentence pairs, padded to a common length T: token ids, segment (type) ids and
 * attention mask, each row-major {@code (N, T)}. Padding positions have the pad token id, segment 0
 * and mask 0.
 */
public final class TokenizedPairs {
  private final int size;
  private final int length;
  private final long[] tokenIds;
  private final long[] typeIds;
  private final long[] attentionMask;
  private final boolean[] truncated;

  TokenizedPairs(
      int size,
      int length,
      long[] tokenIds,
      long[] typeIds,
      long[] attentionMask,
      boolean[] truncated) {
    long cells = (long) size * length;
    if (tokenIds.length != cells
        || typeIds.length != cells
        || attentionMask.length != cells
        || truncated.length != size) {
      throw new IllegalArgumentException(
          "arrays do not match (N, T) = (" + size + ", " + length + ")");
    }
    this.size = size;
    this.length = length;
    this.tokenIds = tokenIds;
    this.typeIds = typeIds;
    this.attentionMask = attentionMask;
    this.truncated = truncated;
  }

  /** N, the number of pairs. */
  public int size() {
    return size;
  }

  /** T, the padded sequence length. */
  public int sequenceLength() {
    return length;
  }

  /** Token id at position {@code t} of pair {@code i}. */
  public long tokenId(int i, int t) {
    return tokenIds[index(i, t)];
  }

  /** Segment id (0 for {@code [CLS]} premise {@code [SEP]}, 1 for the hypothesis part). */
  public long typeId(int i, int t) {
    return typeIds[index(i, t)];
  }

  /** 1 for a real token, 0 for padding. */
  public long attentionMask(int i, int t) {
    return attentionMask[index(i, t)];
  }

  /** Number of real (non-padding) tokens of pair {@code i}, special tokens included. */
  public int length(int i) {
    int n = 0;
    for (int t = 0; t < length; t++) {
      n += (int) attentionMask[index(i, t)];
    }
    return n;
  }

  /** Whether pair {@code i} was cut to the maximum length. */
  public boolean truncated(int i) {
    return truncated[i];
  }

  /** How many pairs were cut to the maximum length. */
  public int truncatedCount() {
    int n = 0;
    for (boolean t : truncated) {
      n += t ? 1 : 0;
    }
    return n;
  }

  /** Copy of the row-major {@code (N, T)} token ids. */
  public long[] tokenIds() {
    return tokenIds.clone();
  }

  /** Copy of the row-major {@code (N, T)} segment ids. */
  public long[] typeIds() {
    return typeIds.clone();
  }

  /** Copy of the row-major {@code (N, T)} attention mask. */
  public long[] attentionMask() {
    return attentionMask.clone();
  }

  /**
   * The model inputs as int64 arrays of shape {@code (N, T)} on {@code manager}, in the order token
   * ids, segment ids, attention mask (named {@code input_ids}, {@code token_type_ids}, {@code
   * attention_mask} as in HuggingFace).
   */
  public NDList toNDList(NDManager manager) {
    Shape shape = new Shape(size, length);
    NDArray ids = manager.create(tokenIds, shape);
    ids.setName("input_ids");
    NDArray types = manager.create(typeIds, shape);
    types.setName("token_type_ids");
    NDArray mask = manager.create(attentionMask, shape);
    mask.setName("attention_mask");
    return new NDList(ids, types, mask);
  }

  private int index(int i, int t) {
    if (i < 0 || i >= size || t < 0 || t >= length) {
      throw new IndexOutOfBoundsException(
          "(" + i + ", " + t + ") outside (N, T) = (" + size + ", " + length + ")");
    }
    return i * length + t;
  }
}
