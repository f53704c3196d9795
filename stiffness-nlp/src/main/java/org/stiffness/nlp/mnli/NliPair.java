package org.stiffness.nlp.mnli;

import java.util.Objects;

/**
 * One MNLI example with a gold label.
 *
 * @param pairId the file's {@code pairID} (e.g. {@code "31193n"}), unique within a split
 * @param premise {@code sentence1}
 * @param hypothesis {@code sentence2}
 * @param label the gold label
 * @param genre the genre of the premise's source
 */
public record NliPair(
    String pairId, String premise, String hypothesis, NliLabel label, Genre genre) {
  /**
   * @throws NullPointerException when a field is missing
   */
  public NliPair {
    Objects.requireNonNull(pairId, "pairId");
    Objects.requireNonNull(premise, "premise");
    Objects.requireNonNull(hypothesis, "hypothesis");
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(genre, "genre");
  }
}
