package org.stiffness.nlp.mnli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A seeded, class-balanced uniform sample from a stream of pairs in one pass, holding only the
 * sampled pairs (the training file is 330 MB; the sample is a few thousand pairs).
 *
 * <p>Definition, so that a subset can be reproduced elsewhere: the quota {@code total / 3} goes to
 * each label, and the {@code total % 3} remaining ones to the first labels by index. Each label
 * {@code c} runs Vitter's algorithm R with its own generator {@code new java.util.Random(seed ^
 * (0x9E3779B97F4A7C15L * (c + 1)))}: the {@code k}-th pair of label {@code c} in file order
 * (0-based) is kept outright when {@code k < quota}, otherwise {@code r = rng.nextInt(k + 1)} is
 * drawn and the pair replaces slot {@code r} when {@code r < quota}. Every pair of a label is then
 * in the sample with probability {@code quota / count}, and a label's sample depends only on that
 * label's pairs. The result is grouped by label index and in file order within a label.
 */
final class LabelReservoir {
  private record Entry(long line, NliPair pair) {}

  private final int[] quota = new int[NliLabel.values().length];
  private final long[] seen = new long[quota.length];
  private final Random[] rng = new Random[quota.length];
  private final List<List<Entry>> slots = new ArrayList<>();

  LabelReservoir(int total, long seed) {
    if (total < 0) {
      throw new IllegalArgumentException("total = " + total + ", expected >= 0");
    }
    for (int c = 0; c < quota.length; c++) {
      quota[c] = total / quota.length + (c < total % quota.length ? 1 : 0);
      rng[c] = new Random(seed ^ (0x9E3779B97F4A7C15L * (c + 1)));
      slots.add(new ArrayList<>(quota[c]));
    }
  }

  /** Offers the pair found on {@code line}. */
  void offer(NliPair pair, long line) {
    int c = pair.label().index();
    long k = seen[c]++;
    List<Entry> kept = slots.get(c);
    if (k < quota[c]) {
      kept.add(new Entry(line, pair));
      return;
    }
    // Random.nextInt is bounded by int; a label with more than 2^31 pairs is not MNLI.
    int r = rng[c].nextInt(Math.toIntExact(k + 1));
    if (r < quota[c]) {
      kept.set(r, new Entry(line, pair));
    }
  }

  /**
   * The sample, grouped by label index, file order within a label.
   *
   * @param source named in the error
   * @throws IllegalArgumentException naming the file and the label if a label has fewer pairs than
   *     its quota
   */
  List<NliPair> sample(Path source) {
    List<NliPair> out = new ArrayList<>();
    for (int c = 0; c < quota.length; c++) {
      if (seen[c] < quota[c]) {
        throw new IllegalArgumentException(
            source
                + ": a balanced subset needs "
                + quota[c]
                + " pairs labelled "
                + NliLabel.fromIndex(c).fileName()
                + ", the file has only "
                + seen[c]
                + " with that gold label");
      }
      slots.get(c).stream()
          .sorted(Comparator.comparingLong(Entry::line))
          .forEach(e -> out.add(e.pair()));
    }
    return out;
  }
}
