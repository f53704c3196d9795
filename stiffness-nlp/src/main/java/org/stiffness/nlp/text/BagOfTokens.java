package org.stiffness.nlp.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Objects;
import java.util.stream.IntStream;
import org.stiffness.gram.TilePlan;
import org.stiffness.stats.InputDistances;
import org.stiffness.stats.TileDistances;

/**
 * The input of each example as a bag of tokens: the multiset of its token ids, special and padding
 * tokens left out, held sparsely as sorted (id, count) lists. It defines the input distance of
 * text, for the stiffness-vs-distance profile and the critical length xi:
 *
 * <pre>d(x1, x2) = 1 - c1.c2 / (|c1| |c2|)</pre>
 *
 * <p>with {@code c} the count vector over the vocabulary, never formed densely. Counts are
 * non-negative, so {@code d} is in {@code [0, 1]}: 0 for the same multiset up to a factor, 1 for no
 * shared token. The premise and hypothesis of a pair form one bag (a token counts the same in
 * either sentence), and the bag is taken after truncation, i.e. of what the model sees.
 *
 * <p>An example with no token left (an empty pair, or text made only of special tokens) has no
 * direction: its distance is defined as 1 to every example, itself included, as if it shared no
 * token with anything.
 */
public final class BagOfTokens {
  private final int[][] ids;
  private final int[][] counts;
  private final double[] norms;

  private BagOfTokens(int[][] ids, int[][] counts) {
    this.ids = ids;
    this.counts = counts;
    this.norms = new double[ids.length];
    for (int i = 0; i < ids.length; i++) {
      long sq = 0;
      for (int c : counts[i]) {
        sq += (long) c * c;
      }
      norms[i] = Math.sqrt(sq);
    }
  }

  /**
   * The bags of encoded pairs: every position with attention mask 1 whose id is not in {@code
   * excludedIds}.
   *
   * @param tokens encoded pairs
   * @param excludedIds ids left out, typically {@link PairTokenizer#specialTokenIds()} ({@code
   *     [UNK]} among them: two different unknown words would otherwise count as the same token)
   */
  public static BagOfTokens of(TokenizedPairs tokens, long[] excludedIds) {
    Objects.requireNonNull(tokens, "tokens");
    return of(
        tokens.tokenIds(),
        tokens.attentionMask(),
        tokens.size(),
        tokens.sequenceLength(),
        excludedIds);
  }

  /**
   * The bags of {@code n} encoded pairs given as row-major {@code (n, length)} arrays, e.g. the
   * {@code input_ids} and {@code attention_mask} a saved checkpoint holds: every position with mask
   * 1 whose id is not in {@code excludedIds}.
   */
  public static BagOfTokens of(
      long[] tokenIds, long[] attentionMask, int n, int length, long[] excludedIds) {
    long cells = (long) n * length;
    if (tokenIds.length != cells || attentionMask.length != cells) {
      throw new IllegalArgumentException(
          "token ids ("
              + tokenIds.length
              + ") and attention mask ("
              + attentionMask.length
              + ") do not hold (N, T) = ("
              + n
              + ", "
              + length
              + ") entries");
    }
    long[] excluded = excludedIds.clone();
    Arrays.sort(excluded);
    int[][] ids = new int[n][];
    int[][] counts = new int[n][];
    int[] kept = new int[length];
    for (int i = 0; i < n; i++) {
      int m = 0;
      for (int t = 0; t < length; t++) {
        long id = tokenIds[i * length + t];
        if (attentionMask[i * length + t] != 0 && Arrays.binarySearch(excluded, id) < 0) {
          kept[m++] = Math.toIntExact(id);
        }
      }
      int[] sorted = Arrays.copyOf(kept, m);
      Arrays.sort(sorted);
      int distinct = 0;
      for (int k = 0; k < m; k++) {
        distinct += (k == 0 || sorted[k] != sorted[k - 1]) ? 1 : 0;
      }
      ids[i] = new int[distinct];
      counts[i] = new int[distinct];
      int d = -1;
      for (int k = 0; k < m; k++) {
        if (k == 0 || sorted[k] != sorted[k - 1]) {
          ids[i][++d] = sorted[k];
        }
        counts[i][d]++;
      }
    }
    return new BagOfTokens(ids, counts);
  }

  /** Number of examples. */
  public int size() {
    return ids.length;
  }

  /** Number of tokens in the bag of example {@code i} (with multiplicity). */
  public int tokenCount(int i) {
    return Arrays.stream(counts[i]).sum();
  }

  /** How many times token {@code id} is in the bag of example {@code i}. */
  public int count(int i, long id) {
    if (id < 0 || id > Integer.MAX_VALUE) {
      return 0;
    }
    int k = Arrays.binarySearch(ids[i], (int) id);
    return k >= 0 ? counts[i][k] : 0;
  }

  /**
   * Cosine distances between every row example and column example (the same object may be both),
   * through an inverted index of the columns: the work is proportional to the number of shared
   * token occurrences, and memory to one row of distances per thread, never {@code N x V}. Rows run
   * in parallel, each writing only its own slice, so the result is deterministic.
   *
   * @return {@code (rows.size(), cols.size())} distances in {@code [0, 1]}
   */
  public static InputDistances cosineDistances(BagOfTokens rows, BagOfTokens cols) {
    Objects.requireNonNull(rows, "rows");
    Objects.requireNonNull(cols, "cols");
    return new InputDistances(
        rows.size(), cols.size(), cosineDistances(rows, 0, rows.size(), cols, 0, cols.size()));
  }

  /**
   * The distances of rows {@code [rowFrom, rowTo)} to columns {@code [colFrom, colTo)}, row-major:
   * one tile of {@link #cosineDistances(BagOfTokens, BagOfTokens)}, with the same values (integer
   * dot products, the same norms), from an inverted index of the tile's columns only.
   */
  public static float[] cosineDistances(
      BagOfTokens rows, int rowFrom, int rowTo, BagOfTokens cols, int colFrom, int colTo) {
    if (rowFrom < 0 || rowTo > rows.size() || colFrom < 0 || colTo > cols.size()) {
      throw new IndexOutOfBoundsException(
          "rows ["
              + rowFrom
              + ", "
              + rowTo
              + ") of "
              + rows.size()
              + ", columns ["
              + colFrom
              + ", "
              + colTo
              + ") of "
              + cols.size());
    }
    InvertedIndex index = new InvertedIndex(cols, colFrom, colTo);
    int nc = colTo - colFrom;
    float[] out = new float[Math.multiplyExact(rowTo - rowFrom, nc)];
    IntStream.range(rowFrom, rowTo)
        .parallel()
        .forEach(
            i -> {
              // Counts are integers: the dot products are exact in a long.
              long[] dot = new long[nc];
              int[] rowIds = rows.ids[i];
              for (int k = 0; k < rowIds.length; k++) {
                index.accumulate(rowIds[k], rows.counts[i][k], dot);
              }
              int base = (i - rowFrom) * nc;
              for (int j = 0; j < nc; j++) {
                double norms = rows.norms[i] * cols.norms[colFrom + j];
                double d = norms == 0 ? 1 : 1 - dot[j] / norms;
                // Rounding can leave [0, 1] by an ulp for proportional bags.
                out[base + j] = (float) Math.max(0.0, Math.min(1.0, d));
              }
            });
    return out;
  }

  /** The distances of two sets of bags tile by tile, for the tile statistics. */
  public static TileDistances tileDistances(BagOfTokens rows, BagOfTokens cols) {
    Objects.requireNonNull(rows, "rows");
    Objects.requireNonNull(cols, "cols");
    return new TileDistances() {
      @Override
      public NDArray tile(TilePlan.Tile tile, NDManager manager) {
        return manager.create(hostTile(tile, manager), new Shape(tile.height(), tile.width()));
      }

      @Override
      public float[] hostTile(TilePlan.Tile tile, NDManager manager) {
        return cosineDistances(
            rows, tile.rowStart(), tile.rowEnd(), cols, tile.colStart(), tile.colEnd());
      }
    };
  }

  /** Token id to the (column example, count) pairs holding it, in compressed-row form. */
  private static final class InvertedIndex {
    private final int[] tokenIds;
    private final int[] start;
    private final int[] example;
    private final int[] count;

    /** The index of columns [from, to), their positions counted from {@code from}. */
    InvertedIndex(BagOfTokens bags, int from, int to) {
      int entries = 0;
      for (int j = from; j < to; j++) {
        entries += bags.ids[j].length;
      }
      long[] keyed = new long[entries];
      int e = 0;
      for (int j = from; j < to; j++) {
        for (int k = 0; k < bags.ids[j].length; k++) {
          // Token id in the high word, then (example, slot) order in the low word after sorting.
          keyed[e++] = ((long) bags.ids[j][k] << 32) | (j - from);
        }
      }
      Arrays.sort(keyed);
      example = new int[entries];
      count = new int[entries];
      int[] ids = new int[entries];
      int[] starts = new int[entries + 1];
      int distinct = 0;
      for (int k = 0; k < entries; k++) {
        int id = (int) (keyed[k] >>> 32);
        int j = (int) keyed[k];
        if (k == 0 || id != ids[distinct - 1]) {
          ids[distinct] = id;
          starts[distinct++] = k;
        }
        example[k] = j;
        count[k] = bags.count(from + j, id);
      }
      starts[distinct] = entries;
      tokenIds = Arrays.copyOf(ids, distinct);
      start = Arrays.copyOf(starts, distinct + 1);
    }

    /** Adds {@code c * count_j(id)} to {@code dot[j]} for every column example j holding id. */
    void accumulate(int id, int c, long[] dot) {
      int k = Arrays.binarySearch(tokenIds, id);
      if (k < 0) {
        return;
      }
      for (int e = start[k]; e < start[k + 1]; e++) {
        dot[example[e]] += (long) c * count[e];
      }
    }
  }
}
