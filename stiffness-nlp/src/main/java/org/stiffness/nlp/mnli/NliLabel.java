package org.stiffness.nlp.mnli;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The three MNLI classes, with the class index used for labels and class stiffness matrices.
 *
 * <p>The order (entailment 0, neutral 1, contradiction 2) is the one of the HuggingFace {@code
 * glue/mnli} dataset. Fine-tuned checkpoints do not agree on an order (GLUE's original processor
 * uses contradiction, entailment, neutral), so a model's classifier head must be mapped to these
 * indices by whoever loads it.
 */
public enum NliLabel {
  /** The hypothesis follows from the premise. */
  ENTAILMENT("entailment"),
  /** The hypothesis may or may not hold given the premise. */
  NEUTRAL("neutral"),
  /** The hypothesis contradicts the premise. */
  CONTRADICTION("contradiction");

  /** The {@code gold_label} value of pairs whose annotators reached no majority. */
  public static final String NO_GOLD_LABEL = "-";

  private final String fileName;

  NliLabel(String fileName) {
    this.fileName = fileName;
  }

  /** Class index in {@code [0, 3)}. */
  public int index() {
    return ordinal();
  }

  /** The label as written in the GLUE and MultiNLI files, e.g. {@code "entailment"}. */
  public String fileName() {
    return fileName;
  }

  /** The label of class index {@code index}. */
  public static NliLabel fromIndex(int index) {
    NliLabel[] all = values();
    if (index < 0 || index >= all.length) {
      throw new IllegalArgumentException("label index " + index + " is outside [0, 3)");
    }
    return all[index];
  }

  /**
   * Parses a label as written in the files (exact, lower case). {@link #NO_GOLD_LABEL} is not a
   * label: readers skip those pairs before calling this.
   *
   * @throws IllegalArgumentException naming the value and the accepted ones
   */
  public static NliLabel parse(String value) {
    for (NliLabel label : values()) {
      if (label.fileName.equals(value)) {
        return label;
      }
    }
    throw new IllegalArgumentException(
        "unknown label \""
            + value
            + "\", expected one of "
            + Arrays.stream(values()).map(NliLabel::fileName).collect(Collectors.joining(", "))
            + " or \""
            + NO_GOLD_LABEL
            + "\" (no gold label)");
  }
}
