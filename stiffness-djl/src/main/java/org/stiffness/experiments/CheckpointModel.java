package org.stiffness.experiments;

import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * What a {@link SavedCheckpoint} records of its model besides the parameters: the kind (the key a
 * reader's {@link CheckpointKinds} rebuilds it by) and, for kinds that the class count alone does
 * not determine, the settings that do ({@code model.config} in {@code checkpoint.json}).
 */
public interface CheckpointModel {
  /** The kind recorded as {@code model.kind}, e.g. {@code fc} or {@code bert}. */
  String kind();

  /**
   * The settings that rebuild {@code model} (e.g. every field of a BERT configuration), recorded as
   * {@code model.config}; null for kinds built from the class count alone. Taken from the model at
   * each checkpoint, since only the trained block knows, e.g., the sizes read from a pre-trained
   * {@code config.json}.
   */
  default ObjectNode config(Block model) {
    return null;
  }

  /** A kind built from the class count alone (the paper's vision models). */
  static CheckpointModel of(String kind) {
    Objects.requireNonNull(kind, "kind");
    return () -> kind;
  }
}
