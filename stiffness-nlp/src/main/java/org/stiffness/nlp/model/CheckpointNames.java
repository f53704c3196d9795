package org.stiffness.nlp.model;

/**
 * HuggingFace BERT tensor names as they occur in checkpoints, brought to the names of {@link
 * BertClassifier#huggingFaceParameters()}: a bare {@code BertModel} saves without the {@code bert.}
 * prefix, and checkpoints converted from TensorFlow name LayerNorm parameters {@code gamma} and
 * {@code beta}.
 */
final class CheckpointNames {
  private CheckpointNames() {}

  /** The canonical name of a checkpoint tensor. */
  static String canonical(String name) {
    String canonical = name;
    if (canonical.startsWith("embeddings.")
        || canonical.startsWith("encoder.")
        || canonical.startsWith("pooler.")) {
      canonical = "bert." + canonical;
    }
    if (canonical.endsWith("LayerNorm.gamma")) {
      canonical = canonical.substring(0, canonical.length() - "gamma".length()) + "weight";
    } else if (canonical.endsWith("LayerNorm.beta")) {
      canonical = canonical.substring(0, canonical.length() - "beta".length()) + "bias";
    }
    return canonical;
  }

  /**
   * Tensors a BERT checkpoint may carry that this classifier has no use for: the pre-training heads
   * ({@code cls.*}) and the constant {@code position_ids} buffer of some transformers versions.
   */
  static boolean ignorable(String canonical) {
    return canonical.startsWith("cls.")
        || canonical.endsWith("embeddings.position_ids")
        || canonical.endsWith("embeddings.token_type_ids");
  }

  /** Whether the name belongs to the classification head, which a pre-trained encoder lacks. */
  static boolean classifierHead(String canonical) {
    return canonical.startsWith("classifier.");
  }
}
