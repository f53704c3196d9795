package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** What the scale-out tests share: a small saved vision run, and {@code measure} on it. */
final class SavedCheckpoints {
  private SavedCheckpoints() {}

  /**
   * Trains the fc net on the built-in digits at lr 0.01 with {@code --save-checkpoints} into {@code
   * vision}; the caller's options (sizes, epochs, block size, extras) come after the common ones.
   *
   * @return the directory of the last (trained) checkpoint
   */
  static Path trainDigits(Path vision, String... options) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of(
                "vision",
                "--dataset",
                "digits",
                "--model",
                "fc",
                "--points",
                "2",
                "--lr",
                "0.01",
                "--save-checkpoints",
                "--out",
                vision.toString()));
    args.addAll(List.of(options));
    Run run = Run.of(args.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.err());
    Path last;
    try (Stream<Path> steps = Files.list(vision.resolve("checkpoints/lr=0.01"))) {
      // The last checkpoint: a trained network, so the matrices are not those of the initial one.
      last = steps.sorted().reduce((a, b) -> b).orElseThrow();
    }
    assertTrue(Files.isRegularFile(last.resolve("checkpoint.json")), last.toString());
    return last;
  }

  /** {@code stiffness measure --checkpoint checkpoint --out out more...}, in process. */
  static Run measure(Path checkpoint, Path out, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of("measure", "--checkpoint", checkpoint.toString(), "--out", out.toString()));
    args.addAll(List.of(more));
    return Run.of(args.toArray(String[]::new));
  }
}
