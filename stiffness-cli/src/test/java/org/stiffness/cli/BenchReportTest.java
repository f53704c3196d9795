package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stiffness.gram.GramReport;
import org.stiffness.gram.MemoryBudget;
import org.stiffness.jobs.ProcessMemory;

/**
 * The bench report's two renderings of one record: the JSON that scripts read (its names, order and
 * nesting as the hand-built tree of earlier versions wrote them) and the tables.
 */
class BenchReportTest {

  /** Generic: runs of 2, 1 and 4 s; probe: 0.5, 0.25 and 1 s; 4 examples. */
  private static BenchReport report(boolean compared) {
    Map<String, BenchReport.PathTimes> paths = new LinkedHashMap<>();
    paths.put(
        "generic",
        BenchReport.PathTimes.of(
            4,
            "generic",
            new double[] {2.0, 1.0, 4.0},
            gram(Map.of("a", false)),
            0.0625,
            new GramReport("generic", 2, 3, 4, 1024, 512, Map.of(), 9, 9, 0.375),
            0.1875,
            2048,
            true,
            1,
            2));
    Map<String, Boolean> layers = new LinkedHashMap<>();
    layers.put("a", true);
    layers.put("b", false);
    paths.put(
        "probe",
        BenchReport.PathTimes.of(
            4,
            "probe",
            new double[] {0.5, 0.25, 1.0},
            gram(layers),
            0.0625,
            gram(layers),
            0.0625,
            4096,
            false,
            0,
            0));
    return new BenchReport(
        "fc",
        4,
        10,
        "cpu",
        "fp32",
        "ndarray/1",
        7,
        3,
        "PyTorch 2.7.1",
        paths,
        compared ? 0.001953125 : null,
        compared ? 0L : null);
  }

  private static GramReport gram(Map<String, Boolean> layers) {
    return new GramReport("x", 2, 3, 4, 1024, 512, layers, 0.5, 0.25, 0.125);
  }

  private static final String GENERIC_JSON =
      "{\"extractor\":\"generic\",\"examples_per_second\":4.0,\"examples_per_second_median\":2.0,"
          + "\"seconds\":1.0,\"seconds_median\":2.0,\"run_seconds\":[2.0,1.0,4.0],"
          + "\"extraction_seconds\":0.5,\"product_seconds\":0.25,\"statistics_seconds\":0.125,"
          + "\"distance_seconds\":0.0625,\"first_run_seconds\":2.0,"
          + "\"first_run_statistics_seconds\":0.375,\"first_run_distance_seconds\":0.1875,"
          + "\"block_size\":2,\"tiles\":3,\"block_extractions\":4,\"budget_bytes\":1024,"
          + "\"planned_peak_bytes\":512,\"peak_rss_bytes\":2048,\"peak_rss_scope\":\"path\","
          + "\"factorised_layers\":[],\"materialised_layers\":[\"a\"],\"zero_norm_examples\":1,"
          + "\"uncertain_sign_pairs\":2}";

  private static final String PROBE_JSON =
      "{\"extractor\":\"probe\",\"examples_per_second\":16.0,\"examples_per_second_median\":8.0,"
          + "\"seconds\":0.25,\"seconds_median\":0.5,\"run_seconds\":[0.5,0.25,1.0],"
          + "\"extraction_seconds\":0.5,\"product_seconds\":0.25,\"statistics_seconds\":0.125,"
          + "\"distance_seconds\":0.0625,\"first_run_seconds\":0.5,"
          + "\"first_run_statistics_seconds\":0.125,\"first_run_distance_seconds\":0.0625,"
          + "\"block_size\":2,\"tiles\":3,\"block_extractions\":4,\"budget_bytes\":1024,"
          + "\"planned_peak_bytes\":512,\"peak_rss_bytes\":4096,\"peak_rss_scope\":\"process\","
          + "\"factorised_layers\":[\"a\"],\"materialised_layers\":[\"b\"],"
          + "\"zero_norm_examples\":0,\"uncertain_sign_pairs\":0}";

  private static final String HEAD_JSON =
      "{\"model\":\"fc\",\"n\":4,\"parameters\":10,\"device\":\"cpu\",\"precision\":\"fp32\","
          + "\"reduction\":\"ndarray/1\",\"seed\":7,\"repeats\":3,\"engine\":\"PyTorch 2.7.1\","
          + "\"paths\":{\"generic\":"
          + GENERIC_JSON
          + ",\"probe\":"
          + PROBE_JSON
          + "}";

  @Test
  void jsonHasTheFieldsOfEarlierVersionsInTheirOrder() {
    assertEquals(
        HEAD_JSON + ",\"max_relative_difference\":0.001953125,\"pairs_beyond_error_bound\":0}",
        report(true).json());
  }

  @Test
  void jsonLeavesOutTheComparisonWhenOnePathRan() {
    assertEquals(HEAD_JSON + "}", report(false).json());
  }

  @Test
  void textIsAHeaderATablePerPathAndTheComparison() {
    String budget =
        MemoryBudget.format(512) + " of a " + MemoryBudget.format(1024) + " device budget";
    String expected =
        String.join(
            System.lineSeparator(),
            "model fc (10 parameters), N = 4, device cpu, fp32, PyTorch 2.7.1, best/median of 3"
                + " run(s)",
            "",
            "generic path (generic)",
            "  examples/s      4.0 best, 2.0 median",
            "  seconds         1.000 best, 2.000 median",
            "  of which        0.500 s gradients, 0.250 s products, 0.125 s statistics (0.063 s of"
                + " them input distances) (best run)",
            "  first run       2.000 s, 0.375 s statistics (0.188 s input distances): it makes each"
                + " tile's distance geometry, later runs (checkpoints) read it",
            "  block size      2 (3 tile(s), 4 block extraction(s))",
            "  planned peak    " + budget,
            "  peak RSS        " + ProcessMemory.format(2048) + " (this path)",
            "  factorised      -",
            "  materialised    a",
            "  zero gradients  1 example(s) excluded",
            "",
            "probe path (probe)",
            "  examples/s      16.0 best, 8.0 median",
            "  seconds         0.250 best, 0.500 median",
            "  of which        0.500 s gradients, 0.250 s products, 0.125 s statistics (0.063 s of"
                + " them input distances) (best run)",
            "  first run       0.500 s, 0.125 s statistics (0.063 s input distances): it makes each"
                + " tile's distance geometry, later runs (checkpoints) read it",
            "  block size      2 (3 tile(s), 4 block extraction(s))",
            "  planned peak    " + budget,
            "  peak RSS        " + ProcessMemory.format(4096) + " (whole process)",
            "  factorised      a",
            "  materialised    b",
            "",
            "probe/generic speed ratio 4.00; max relative Gram difference 1.95e-03 (0 pair(s)"
                + " beyond the rounding-error bound)",
            "");
    assertEquals(expected, report(true).text());
  }

  @Test
  void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
    assertEquals(2.0, BenchReport.PathTimes.median(new double[] {3, 1, 2}));
    assertEquals(2.5, BenchReport.PathTimes.median(new double[] {4, 1, 2, 3}));
  }
}
