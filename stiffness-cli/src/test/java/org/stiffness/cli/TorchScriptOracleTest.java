package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stiffness.GradientMethod;
import org.stiffness.StiffnessEngine;
import org.stiffness.cli.bench.PythonTorch;
import org.stiffness.cli.bench.TorchInputs;
import org.stiffness.cli.bench.TorchRun;
import org.stiffness.cli.bench.TorchScript;
import org.stiffness.gradients.Examples;
import org.stiffness.stats.BinnedStiffness;
import org.stiffness.stats.ClassStiffness;
import org.stiffness.stats.CriticalLength;
import org.stiffness.stats.RowStatistics;
import org.stiffness.stats.tiles.PairingSide;
import org.stiffness.stats.tiles.PairingStatistics;
import org.stiffness.stats.tiles.StatisticsOptions;
import org.stiffness.stats.tiles.StatisticsSpec;

/**
 * Our PyTorch script against our engine on the same weights and inputs: two implementations of
 * every sum the bench takes (torch autograd / functorch and float64 torch arithmetic against DJL's
 * probe path and the tile reducer), each the other's oracle. Counts must agree exactly; cosine sums
 * to float32 rounding of the two Gram matrices; sign sums up to the pairs whose sign lies within
 * the rounding-error bound. Runs where Debian's python3 imports torch, skipped elsewhere.
 */
class TorchScriptOracleTest {
  private static PythonTorch python;

  @BeforeAll
  static void findTorch() {
    python = PythonTorch.find(List.of(PythonTorch.SYSTEM_PYTHON)).found();
  }

  @ParameterizedTest
  @CsvSource({"fc, 48", "cnn, 24"}) // rows in chunks of 7: the last one short
  void theScriptsSumsAreOurs(String name, int n, @TempDir Path dir) throws Exception {
    assumeTrue(python != null, PythonTorch.SYSTEM_PYTHON + " does not import torch");
    BenchModel model = BenchModel.parse(name);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      manager.getEngine().setRandomSeed(3);
      Block block = model.create(manager);
      Examples examples = model.examples(manager, n, 3);
      TorchInputs.write(dir.resolve("data"), name, block, examples);
      Path sumsFile = dir.resolve("sums.json");
      TorchRun run =
          TorchScript.extract(python, dir).run(dir.resolve("data"), "cpu", 1, sumsFile, 7);
      JsonNode theirs = TorchScript.readStatistics(sumsFile);

      PairingStatistics ours;
      try (StiffnessEngine engine =
          StiffnessEngine.builder(block).method(GradientMethod.PROBE).build()) {
        PairingSide side = PairingSide.of(examples);
        ours =
            engine.statistics(
                examples,
                examples,
                new StatisticsSpec(
                    side,
                    side,
                    model.classes(),
                    List.of(),
                    model.distances(examples, manager),
                    StatisticsOptions.defaults()));
      }
      assertEquals(0, ours.zeroNormRows().length, "every example has a gradient");
      assertEquals((long) n * (n - 1), ours.consideredPairs());
      assertEquals(ours.consideredPairs(), run.statistics().pairs(), "the JSON line's pairs");
      assertClasses(ours.classes(), theirs, ours.uncertainSignPairs());
      assertBins(ours.distanceProfile().withinClass(), theirs.get("bins"), true);
      assertBins(ours.distanceProfile().allPairs(), theirs.get("bins"), false);
      assertRows(ours.withinClassRows(), theirs.at("/rows/within"));
      assertRows(ours.allPairsRows(), theirs.at("/rows/all"));
      assertCriticalLength(ours.criticalLength(), theirs.at("/xi/within"));
      assertCriticalLength(ours.criticalLengthAllPairs(), theirs.at("/xi/all"));
    }
  }

  private static void assertClasses(ClassStiffness ours, JsonNode theirs, long uncertainSigns) {
    int c = ours.numClasses();
    long[] counts = ours.pairCounts();
    double[] cosines = ours.cosineSums();
    long[] signs = ours.signSums();
    double signDifference = 0;
    for (int a = 0; a < c; a++) {
      for (int b = 0; b < c; b++) {
        int cell = a * c + b;
        assertEquals(counts[cell], theirs.at("/class_pairs/" + a + "/" + b).asLong(), "pairs");
        // Each cosine is a float32 rounding of a ratio of two float32 Gram entries that differ in
        // their last bits: 1e-5 per pair is 100 float32 units.
        assertEquals(
            cosines[cell],
            theirs.at("/class_cosine_sums/" + a + "/" + b).asDouble(),
            1e-5 * counts[cell] + 1e-12,
            "cosine sum of cell " + a + ", " + b);
        signDifference +=
            Math.abs(signs[cell] - theirs.at("/class_sign_sums/" + a + "/" + b).asDouble());
      }
    }
    // A sign can differ only where it is uncertain; each such pair moves a sum by at most 2.
    assertTrue(
        signDifference <= 2 * uncertainSigns,
        "sign sums differ by " + signDifference + " with " + uncertainSigns + " uncertain pairs");
  }

  /** The script's bins: rows count, cosine, sign; columns 20 between-class bins, 20 within. */
  private static void assertBins(BinnedStiffness ours, JsonNode bins, boolean withinOnly) {
    int nb = ours.binCount();
    long total = 0;
    for (int k = 0; k < nb; k++) {
      double pairs = bins.at("/0/" + (nb + k)).asDouble();
      double cosine = bins.at("/1/" + (nb + k)).asDouble();
      double sign = bins.at("/2/" + (nb + k)).asDouble();
      if (!withinOnly) {
        pairs += bins.at("/0/" + k).asDouble();
        cosine += bins.at("/1/" + k).asDouble();
        sign += bins.at("/2/" + k).asDouble();
      }
      assertEquals(ours.pairs(k), (long) pairs, "pairs of bin " + k);
      total += ours.pairs(k);
      if (pairs > 0) {
        assertEquals(ours.meanCosine(k), cosine / pairs, 1e-5, "mean cosine of bin " + k);
        assertEquals(ours.meanSign(k), sign / pairs, 2.0 / pairs + 1e-12, "mean sign of bin " + k);
      }
    }
    assertTrue(total > 0, "no pair was binned");
  }

  private static void assertRows(RowStatistics ours, JsonNode theirs) {
    assertEquals(ours.rows(), theirs.size());
    for (int i = 0; i < ours.rows(); i++) {
      long pairs = ours.pairs(i);
      assertEquals(pairs, theirs.at("/" + i + "/0").asLong(), "pairs of row " + i);
      // Distances: both the float32 rounding of a float64 cosine distance; y: cosines as above.
      for (int col = 1; col < RowStatistics.WIDTH; col++) {
        assertEquals(
            ours.get(i, col),
            theirs.at("/" + i + "/" + col).asDouble(),
            1e-5 * pairs + 1e-12,
            "column " + col + " of row " + i);
      }
    }
  }

  private static void assertCriticalLength(CriticalLength.Result ours, JsonNode theirs) {
    if (ours instanceof CriticalLength.Estimate e) {
      assertTrue(theirs.has("xi") && !theirs.has("reason"), "theirs: " + theirs);
      assertEquals(e.xi(), theirs.get("xi").asDouble(), 1e-3 * Math.abs(e.xi()), "xi");
    } else {
      CriticalLength.NoCrossing none = (CriticalLength.NoCrossing) ours;
      assertEquals(none.reason().name().toLowerCase(Locale.ROOT), theirs.get("reason").asText());
      assertEquals(none.pairs(), theirs.get("pairs").asLong());
      // Random inputs give crossings beyond the distances measured: the reason carries the fit's
      // xi, to four significant digits.
      Matcher at = Pattern.compile("crossing at d = (\\S+) lies").matcher(none.detail());
      if (at.find()) {
        double xi = Double.parseDouble(at.group(1));
        assertEquals(xi, theirs.get("xi").asDouble(), 1e-3 * Math.abs(xi), none.detail());
      }
    }
  }
}
