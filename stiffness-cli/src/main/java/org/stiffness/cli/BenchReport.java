package org.stiffness.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.stiffness.GradientMethod;
import org.stiffness.gram.GramReport;
import org.stiffness.gram.MemoryBudget;
import org.stiffness.jobs.ProcessMemory;

/**
 * What {@code stiffness bench} measured, gathered once and rendered twice: as tables ({@link
 * #text}) and as one JSON object ({@link #json}, the components in order, snake_case names).
 *
 * @param model the model's label ({@code fc}, {@code cnn}...)
 * @param n examples
 * @param parameters the model's trainable scalars
 * @param device the device as typed ({@code cpu}, {@code gpu0})
 * @param precision the Gram precision, lower case
 * @param reduction the tile reducer's name
 * @param seed seed of the model and the data
 * @param repeats timed runs per path
 * @param engine engine name and version
 * @param paths each timed path by its label ({@code generic}, {@code probe}), in the order run
 * @param comparison how the two paths' Gram matrices agree; null unless both ran
 */
record BenchReport(
    String model,
    int n,
    long parameters,
    String device,
    String precision,
    String reduction,
    int seed,
    int repeats,
    String engine,
    Map<String, PathTimes> paths,
    @JsonInclude(JsonInclude.Include.NON_NULL) Double maxRelativeDifference,
    @JsonInclude(JsonInclude.Include.NON_NULL) Long pairsBeyondErrorBound) {

  /**
   * One path's timed runs and what its best run did (see {@link #of}).
   *
   * @param extractor the per-example gradient method the engine used
   * @param runSeconds each run, end to end, in the order run
   * @param firstRunStatisticsSeconds the first run's statistics, which make every tile's distance
   *     geometry (later runs read it from the cache)
   * @param peakRssScope {@code path} where the peak was reset before this path, else {@code
   *     process}
   */
  record PathTimes(
      String extractor,
      double examplesPerSecond,
      double examplesPerSecondMedian,
      double seconds,
      double secondsMedian,
      double[] runSeconds,
      double extractionSeconds,
      double productSeconds,
      double statisticsSeconds,
      double distanceSeconds,
      double firstRunSeconds,
      double firstRunStatisticsSeconds,
      double firstRunDistanceSeconds,
      int blockSize,
      long tiles,
      long blockExtractions,
      long budgetBytes,
      long plannedPeakBytes,
      long peakRssBytes,
      String peakRssScope,
      List<String> factorisedLayers,
      List<String> materialisedLayers,
      long zeroNormExamples,
      long uncertainSignPairs) {

    /**
     * The times of {@code n} examples' runs.
     *
     * @param best the Gram report of the fastest run, whose parts are shown
     * @param bestDistanceSeconds the fastest run's input distances
     * @param first the Gram report of the first run
     * @param firstDistanceSeconds the first run's input distances
     */
    static PathTimes of(
        int n,
        String extractor,
        double[] runSeconds,
        GramReport best,
        double bestDistanceSeconds,
        GramReport first,
        double firstDistanceSeconds,
        long peakRssBytes,
        boolean peakIsPerPath,
        long zeroNormExamples,
        long uncertainSignPairs) {
      double bestSeconds = Arrays.stream(runSeconds).min().orElseThrow();
      double medianSeconds = median(runSeconds);
      return new PathTimes(
          extractor,
          n / bestSeconds,
          n / medianSeconds,
          bestSeconds,
          medianSeconds,
          runSeconds.clone(),
          best.extractionSeconds(),
          best.productSeconds(),
          best.consumerSeconds(),
          bestDistanceSeconds,
          runSeconds[0],
          first.consumerSeconds(),
          firstDistanceSeconds,
          best.blockSize(),
          best.tiles(),
          best.blockExtractions(),
          best.budgetBytes(),
          best.plannedPeakBytes(),
          peakRssBytes,
          peakIsPerPath ? "path" : "process",
          layers(best, true),
          layers(best, false),
          zeroNormExamples,
          uncertainSignPairs);
    }

    /** The median (the mean of the middle two for an even count). */
    static double median(double[] seconds) {
      double[] sorted = seconds.clone();
      Arrays.sort(sorted);
      int m = sorted.length / 2;
      return sorted.length % 2 == 1 ? sorted[m] : 0.5 * (sorted[m - 1] + sorted[m]);
    }

    private static List<String> layers(GramReport report, boolean factorised) {
      List<String> names = new ArrayList<>();
      report
          .factorisedLayers()
          .forEach(
              (name, f) -> {
                if (f == factorised) {
                  names.add(name);
                }
              });
      return List.copyOf(names);
    }
  }

  /** The report as one JSON object on one line. */
  String json() {
    return ReportJson.oneLine(this);
  }

  /** A header line, then a table per path and, when both ran, how they compare. */
  String text() {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "model %s (%,d parameters), N = %,d, device %s, %s, %s, best/median of %d run(s)%n",
            model,
            parameters,
            n,
            device,
            precision,
            engine,
            repeats));
    paths.forEach((label, p) -> path(s, label, p));
    if (maxRelativeDifference != null) {
      double speedup =
          paths.get(PathChoice.label(GradientMethod.GENERIC)).seconds()
              / paths.get(PathChoice.label(GradientMethod.PROBE)).seconds();
      s.append(
          String.format(
              Locale.ROOT,
              "%nprobe/generic speed ratio %.2f; max relative Gram difference %.2e"
                  + " (%d pair(s) beyond the rounding-error bound)%n",
              speedup,
              maxRelativeDifference,
              pairsBeyondErrorBound));
    }
    return s.toString();
  }

  private static void path(StringBuilder s, String label, PathTimes p) {
    s.append(String.format(Locale.ROOT, "%n%s path (%s)%n", label, p.extractor()));
    TextRows.row(
        s,
        "examples/s",
        String.format(
            Locale.ROOT,
            "%,.1f best, %,.1f median",
            p.examplesPerSecond(),
            p.examplesPerSecondMedian()));
    TextRows.row(
        s,
        "seconds",
        String.format(Locale.ROOT, "%.3f best, %.3f median", p.seconds(), p.secondsMedian()));
    TextRows.row(
        s,
        "of which",
        String.format(
            Locale.ROOT,
            "%.3f s gradients, %.3f s products, %.3f s statistics (%.3f s of them input"
                + " distances) (best run)",
            p.extractionSeconds(),
            p.productSeconds(),
            p.statisticsSeconds(),
            p.distanceSeconds()));
    TextRows.row(
        s,
        "first run",
        String.format(
            Locale.ROOT,
            "%.3f s, %.3f s statistics (%.3f s input distances): it makes each tile's distance"
                + " geometry, later runs (checkpoints) read it",
            p.firstRunSeconds(),
            p.firstRunStatisticsSeconds(),
            p.firstRunDistanceSeconds()));
    TextRows.row(
        s,
        "block size",
        String.format(
            Locale.ROOT,
            "%d (%d tile(s), %d block extraction(s))",
            p.blockSize(),
            p.tiles(),
            p.blockExtractions()));
    TextRows.row(
        s,
        "planned peak",
        MemoryBudget.format(p.plannedPeakBytes())
            + " of a "
            + MemoryBudget.format(p.budgetBytes())
            + " device budget");
    TextRows.row(
        s,
        "peak RSS",
        ProcessMemory.format(p.peakRssBytes())
            + ("path".equals(p.peakRssScope()) ? " (this path)" : " (whole process)"));
    TextRows.row(s, "factorised", TextRows.orDash(String.join(", ", p.factorisedLayers())));
    TextRows.row(s, "materialised", TextRows.orDash(String.join(", ", p.materialisedLayers())));
    if (p.zeroNormExamples() > 0) {
      TextRows.row(s, "zero gradients", p.zeroNormExamples() + " example(s) excluded");
    }
  }
}
