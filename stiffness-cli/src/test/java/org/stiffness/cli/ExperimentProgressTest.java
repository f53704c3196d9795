package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.PairingSummary;

class ExperimentProgressTest {
  private static PairingSummary pairing(double withinSign, double withinCos, double betweenCos) {
    return new PairingSummary(
        withinSign,
        -0.5,
        withinCos,
        betweenCos,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        0,
        0,
        null,
        null);
  }

  /**
   * The per-checkpoint line shows cosine stiffness: within a class sign stiffness is 1.000 at
   * nearly every checkpoint and tells nothing; the train-val pairing when it is measured.
   */
  @Test
  void theCheckpointLinePrintsTrainValCosineStiffness() {
    Map<String, PairingSummary> pairings = new LinkedHashMap<>();
    pairings.put("train-train", pairing(1.0, 0.9, 0.5));
    pairings.put("train-val", pairing(1.0, 0.629, -0.047));
    StringWriter text = new StringWriter();
    try (ExperimentProgress progress = new ExperimentProgress(new PrintWriter(text), false)) {
      progress.checkpointMeasured(
          1e-3, new Checkpoint(205L, 5, 0.011, 0.999, 0.064, 0.984, pairings));
    }
    assertEquals(
        "stiffness:   step 205: train loss 0.0110, val acc 0.984, train-val cosine stiffness"
            + " within 0.629 between -0.047"
            + System.lineSeparator(),
        text.toString());
    assertFalse(text.toString().contains("1.000"), "sign stiffness is not printed");
  }
}
