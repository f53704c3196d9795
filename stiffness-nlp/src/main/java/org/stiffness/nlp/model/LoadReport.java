package org.stiffness.nlp.model;

import java.nio.file.Path;
import java.util.List;

/**
 * What loading a checkpoint did.
 *
 * @param file the safetensors file read
 * @param loaded model parameters set from the file (HuggingFace names)
 * @param freshlyInitialised model parameters the file lacked and that keep their initialisation
 *     (only the classification head of a pre-trained encoder)
 * @param ignored file tensors the model has no use for ({@code cls.*} pre-training heads, {@code
 *     position_ids})
 */
public record LoadReport(
    Path file, List<String> loaded, List<String> freshlyInitialised, List<String> ignored) {
  /** Keeps unmodifiable copies of the lists. */
  public LoadReport {
    loaded = List.copyOf(loaded);
    freshlyInitialised = List.copyOf(freshlyInitialised);
    ignored = List.copyOf(ignored);
  }
}
