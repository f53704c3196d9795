package org.stiffness.nlp.model;

import java.nio.file.Path;
import java.util.List;

/**
 * A checkpoint whose tensors do not fit the model: every missing, unexpected or mis-shaped tensor,
 * by name and shape, in one message.
 */
public final class CheckpointMismatchException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final transient List<String> problems;

  CheckpointMismatchException(Path file, List<String> problems) {
    super(
        file
            + ": the checkpoint does not match the model ("
            + problems.size()
            + (problems.size() == 1 ? " problem" : " problems")
            + "):\n  "
            + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  /** One line per problem, each naming the tensor and the shapes involved. */
  public List<String> problems() {
    return problems;
  }
}
