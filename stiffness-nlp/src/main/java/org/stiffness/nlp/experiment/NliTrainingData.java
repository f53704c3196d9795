package org.stiffness.nlp.experiment;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.stiffness.experiments.TrainingData;
import org.stiffness.nlp.mnli.NliPair;
import org.stiffness.nlp.mnli.NliPairs;
import org.stiffness.nlp.text.PairTokenizer;

/**
 * Sentence pairs as training data: each batch is tokenised when it is drawn and padded to its own
 * longest pair, so a batch of short pairs does not pay for the longest pair of the whole set.
 */
final class NliTrainingData implements TrainingData {
  /** Attention scores are {@code (B, heads, T, T)}: keep evaluation batches modest. */
  private static final int EVALUATION_BATCH = 64;

  private final List<NliPair> pairs;
  private final PairTokenizer tokenizer;

  NliTrainingData(NliPairs pairs, PairTokenizer tokenizer) {
    this.pairs = List.copyOf(pairs.pairs());
    this.tokenizer = Objects.requireNonNull(tokenizer, "tokenizer");
    if (tokenizer.padding() != PairTokenizer.Padding.LONGEST) {
      throw new IllegalArgumentException("batches are padded to their longest pair: use LONGEST");
    }
  }

  @Override
  public int size() {
    return pairs.size();
  }

  @Override
  public int label(int row) {
    return pairs.get(row).label().index();
  }

  @Override
  public NDList inputs(NDManager manager, int[] rows) {
    List<String> premises = new ArrayList<>(rows.length);
    List<String> hypotheses = new ArrayList<>(rows.length);
    for (int row : rows) {
      premises.add(pairs.get(row).premise());
      hypotheses.add(pairs.get(row).hypothesis());
    }
    return tokenizer.encode(premises, hypotheses).toNDList(manager);
  }

  @Override
  public int evaluationBatch() {
    return EVALUATION_BATCH;
  }
}
