package org.stiffness.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.stiffness.io.JsonSummary;
import org.stiffness.io.NpyWriter;
import org.stiffness.summary.ExperimentSummary;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.CriticalLengthSummary;
import org.stiffness.summary.ExperimentSummary.DistanceBin;
import org.stiffness.summary.ExperimentSummary.PairingSummary;
import org.stiffness.summary.ExperimentSummary.Run;
import org.stiffness.summary.Pairing;

/**
 * A hand-made experiment: 2 learning rates x 3 checkpoints x 3 pairings, 4 classes, class matrices
 * written as .npy. Its known features: sign cell (0, 0) is +1 and (0, 1) is -1 everywhere; lr
 * 0.01's middle checkpoint has no crossing; bin 2 of every distance profile is empty.
 */
final class SyntheticExperiment {
  static final double[] LRS = {0.001, 0.01};
  static final long[] STEPS = {0, 100, 1000};
  static final int CLASSES = 4;
  static final String NO_CROSSING_REASON = "no crossing <below> & \"above\"";
  static final List<String> CLASS_NAMES = List.of("cat", "dog", "T-shirt/top", "a<b>&c");

  private SyntheticExperiment() {}

  /** Writes the matrices into {@code dir} and returns the summary pointing at them. */
  static ExperimentSummary write(Path dir) throws IOException {
    ObjectNode config = JsonSummary.mapper().createObjectNode();
    config.put("dataset", "synthetic <test>");
    config.put("model", "fc");
    config
        .putObject("critical_length")
        .put("measure", "sign")
        .put("window_lo", 0.0)
        .put("window_hi", 0.5);
    List<Run> runs = new ArrayList<>();
    for (int r = 0; r < LRS.length; r++) {
      List<Checkpoint> cps = new ArrayList<>();
      for (int c = 0; c < STEPS.length; c++) {
        Map<String, PairingSummary> pairings = new LinkedHashMap<>();
        for (Pairing p : Pairing.values()) {
          pairings.put(p.key(), pairing(dir, r, c, p));
        }
        double t = (c + 1) / 3.0;
        cps.add(
            new Checkpoint(
                STEPS[c], c * 1.5, 2.0 - t, trainAcc(r, c), 2.1 - 0.9 * t, valAcc(r, c), pairings));
      }
      runs.add(new Run(LRS[r], cps));
    }
    return new ExperimentSummary(config, runs);
  }

  static double trainAcc(int r, int c) {
    return 0.25 + 0.125 * c + 0.0625 * r; // last: 0.5 + {0, 0.0625}
  }

  static double valAcc(int r, int c) {
    return 0.25 + 0.1 * c + 0.05 * r;
  }

  static double withinSign(int r, int c, Pairing p) {
    return 0.125 * (c + 1) + 0.0625 * r + 0.01 * p.ordinal();
  }

  static double betweenSign(int r, int c, Pairing p) {
    return -0.0625 * c + 0.02 * r + 0.004 * p.ordinal();
  }

  static double xiAllPairs(int r, int c) {
    return xi(r, c) + 0.3125;
  }

  static double xi(int r, int c) {
    return 0.5 + 0.25 * c + 0.125 * r;
  }

  static boolean hasCrossing(int r, int c) {
    return !(r == 1 && c == 1);
  }

  private static PairingSummary pairing(Path dir, int r, int c, Pairing p) throws IOException {
    double[] sign = new double[CLASSES * CLASSES];
    double[] cos = new double[CLASSES * CLASSES];
    long[] counts = new long[CLASSES * CLASSES];
    for (int i = 0; i < CLASSES; i++) {
      for (int j = 0; j < CLASSES; j++) {
        double v = i == j ? 0.5 + 0.1 * i : -0.2 + 0.1 * (i + j) - 0.05 * c;
        sign[i * CLASSES + j] = v;
        cos[i * CLASSES + j] = v / 2;
        counts[i * CLASSES + j] = 10;
      }
    }
    sign[0] = 1.0; // (0, 0): +1
    sign[1] = -1.0; // (0, 1): -1
    cos[0] = 1.0;
    cos[1] = -1.0;
    String stem = "matrices/lr" + r + "-step" + STEPS[c] + "-" + p.key();
    NpyWriter.write(dir.resolve(stem + "-class-sign.npy"), sign, CLASSES, CLASSES);
    NpyWriter.write(dir.resolve(stem + "-class-cos.npy"), cos, CLASSES, CLASSES);
    NpyWriter.write(dir.resolve(stem + "-pair-counts.npy"), counts, CLASSES, CLASSES);
    CriticalLengthSummary xi =
        hasCrossing(r, c)
            ? new CriticalLengthSummary(xi(r, c), xi(r, c) - 0.125, xi(r, c) + 0.25, null)
            : new CriticalLengthSummary(null, null, null, NO_CROSSING_REASON);
    // All pairs cross at a larger distance than within-class pairs, always with a crossing.
    CriticalLengthSummary xiAll =
        new CriticalLengthSummary(
            xiAllPairs(r, c), xiAllPairs(r, c) - 0.0625, xiAllPairs(r, c) + 0.0625, null);
    List<DistanceBin> all = new ArrayList<>();
    List<DistanceBin> within = new ArrayList<>();
    for (int b = 0; b < 5; b++) {
      double lo = 0.4 * b;
      if (b == 2) {
        all.add(new DistanceBin(lo, lo + 0.4, 0, null, null));
        within.add(new DistanceBin(lo, lo + 0.4, 0, null, null));
      } else {
        double m = 0.8 - 0.3 * b + 0.05 * r;
        all.add(new DistanceBin(lo, lo + 0.4, 100 - 10 * b, m, m / 2));
        within.add(new DistanceBin(lo, lo + 0.4, 20, m + 0.1, m / 2 + 0.1));
      }
    }
    double ws = withinSign(r, c, p);
    double bs = betweenSign(r, c, p);
    return new PairingSummary(
        ws,
        bs,
        ws / 2,
        bs / 2,
        xi,
        xiAll,
        all,
        within,
        stem + "-class-sign.npy",
        stem + "-class-cos.npy",
        stem + "-pair-counts.npy",
        0,
        0,
        null,
        null);
  }
}
