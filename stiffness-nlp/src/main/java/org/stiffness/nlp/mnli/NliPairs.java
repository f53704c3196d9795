package org.stiffness.nlp.mnli;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The pairs read from one MNLI file, and how many pairs were skipped for having no gold label
 * ({@code gold_label} {@code "-"}: the five annotators reached no majority).
 *
 * @param source the file read
 * @param pairs the usable pairs, unmodifiable
 * @param skippedWithoutGold pairs skipped for having no gold label among the lines read (a partial
 *     read stops early, so it counts only the lines before the last pair taken)
 */
public record NliPairs(Path source, List<NliPair> pairs, int skippedWithoutGold) {
  /**
   * @throws IllegalArgumentException for a negative count of pairs skipped
   */
  public NliPairs {
    Objects.requireNonNull(source, "source");
    pairs = List.copyOf(pairs);
    if (skippedWithoutGold < 0) {
      throw new IllegalArgumentException("skippedWithoutGold = " + skippedWithoutGold);
    }
  }

  /** Number of usable pairs. */
  public int size() {
    return pairs.size();
  }

  /** Class index ({@link NliLabel#index()}) of every pair, in order. */
  public int[] labels() {
    return pairs.stream().mapToInt(p -> p.label().index()).toArray();
  }

  /** Genre index ({@link Genre#index()}) of every pair, in order. */
  public int[] genres() {
    return pairs.stream().mapToInt(p -> p.genre().index()).toArray();
  }

  /** Premises ({@code sentence1}) in order, for a pair tokenizer. */
  public List<String> premises() {
    return pairs.stream().map(NliPair::premise).toList();
  }

  /** Hypotheses ({@code sentence2}) in order, for a pair tokenizer. */
  public List<String> hypotheses() {
    return pairs.stream().map(NliPair::hypothesis).toList();
  }
}
