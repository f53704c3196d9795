package org.stiffness.cli;

import org.stiffness.experiments.CheckpointKinds;
import org.stiffness.nlp.model.SavedBert;
import org.stiffness.nlp.text.BagOfTokensDistance;

/**
 * The model kinds and input distances {@code measure} and {@code merge} rebuild saved checkpoints
 * with: the paper's vision models by class count, the BERT classifier of {@code nlp} from its
 * recorded configuration, and the bag-of-tokens distance of text. Registered here because the CLI
 * is the one module that depends on both the library and {@code stiffness-nlp}.
 */
final class CheckpointRegistry {
  private CheckpointRegistry() {}

  static CheckpointKinds kinds() {
    return CheckpointKinds.of(MeasureCommand::model)
        .model(SavedBert.KIND, SavedBert::build)
        .distance(BagOfTokensDistance.NAME, BagOfTokensDistance::fromCheckpoint);
  }
}
