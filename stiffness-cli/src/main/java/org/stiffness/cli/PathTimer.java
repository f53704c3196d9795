package org.stiffness.cli;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.PrintWriter;
import java.util.Arrays;
import java.util.Locale;
import org.stiffness.GradientMethod;
import org.stiffness.StiffnessEngine;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.GramMatrix;
import org.stiffness.gram.GramOptions;
import org.stiffness.gram.GramProgress;
import org.stiffness.gram.GramReport;
import org.stiffness.gram.PhaseTiming;
import org.stiffness.gram.TilePlan;
import org.stiffness.jobs.ProcessMemory;
import org.stiffness.stats.TileDistances;
import org.stiffness.stats.TimedTileDistances;
import org.stiffness.stats.tiles.DistanceCache;
import org.stiffness.stats.tiles.PairingStatistics;
import org.stiffness.stats.tiles.StatisticsSpec;

/**
 * Times one gradient path of {@code stiffness bench}: an untimed warm-up, then {@code repeats}
 * timed computations of the exact statistics of {@code n} random examples with themselves, and,
 * when both paths are compared, the untimed whole Gram matrix.
 *
 * @param model the benchmarked model
 * @param n examples
 * @param seed seed of the model initialisation and the data
 * @param repeats timed runs
 * @param device where the engine computes
 * @param options the Gram options (block and pass sizes, budget, precision)
 * @param comparesPaths whether both paths run, so their Gram matrices are compared
 * @param err where the batch-of-one loop's expected time is said
 */
record PathTimer(
    BenchModel model,
    int n,
    int seed,
    int repeats,
    Device device,
    GramOptions options,
    boolean comparesPaths,
    PrintWriter err) {

  /** Examples of the untimed warm-up run (loads kernels, allocators, JIT). */
  private static final int WARM_UP_EXAMPLES = 64;

  /**
   * One path's measurements.
   *
   * @param times what the report shows of the path
   * @param parameters the model's trainable scalars
   * @param gram the whole Gram matrix, or null unless the paths are compared
   */
  record Timed(BenchReport.PathTimes times, long parameters, GramMatrix gram) {}

  /** Runs {@code method}'s warm-up and timed runs, reporting each to {@code progress}. */
  Timed run(GradientMethod method, TileProgress progress) {
    String label = PathChoice.label(method);
    boolean perPath = ProcessMemory.resetPeak();
    try (NDManager manager = NDManager.newBaseManager(device)) {
      // Same seed for every path: both methods see the same weights and data, so their Gram
      // matrices must agree (the max_relative_difference check).
      manager.getEngine().setRandomSeed(seed);
      Block block = model.create(manager);
      Examples examples = model.examples(manager, n, seed);
      GramProgress callback = method == GradientMethod.GENERIC ? progress : GramProgress.NONE;
      try (StiffnessEngine engine =
          StiffnessEngine.builder(block)
              .device(device)
              .method(method)
              .options(options)
              .timing(PhaseTiming.synced()) // the split bench reports is true on a GPU
              .progress(callback)
              .build()) {
        // Untimed: native start-up, the engine's footprint measurement, and JIT compilation of the
        // reductions (the fast path runs a few larger warm-ups; the loop path is slow anyway).
        boolean loop = method == GradientMethod.GENERIC;
        Examples warmUp =
            examples.slice(0, Math.min(n, loop ? WARM_UP_EXAMPLES : 4 * WARM_UP_EXAMPLES));
        progress.task(label + " warm-up");
        for (int w = 0; w < (loop ? 1 : 3); w++) {
          engine.statistics(warmUp, warmUp, spec(warmUp, model.distances(warmUp, manager)));
        }
        if (loop) {
          announce(engine, examples, manager, progress);
        }

        TimedTileDistances distances = new TimedTileDistances(model.distances(examples, manager));
        double[] seconds = new double[repeats];
        GramReport best = null;
        double bestDistances = 0;
        GramReport first = null;
        double firstDistances = 0;
        PairingStatistics statistics = null;
        // The repeats are like the checkpoints of a run: the first makes each tile's distance
        // geometry, the others read it from the cache (both are reported).
        try (DistanceCache cache = DistanceCache.unbounded()) {
          StatisticsSpec spec = spec(examples, distances).withCache(cache);
          for (int r = 0; r < repeats; r++) {
            progress.task(label + " run " + (r + 1) + "/" + repeats);
            statistics = null;
            double distancesBefore = distances.seconds();
            long start = System.nanoTime();
            statistics = engine.statistics(examples, examples, spec);
            seconds[r] = (System.nanoTime() - start) * 1e-9;
            double used = distances.seconds() - distancesBefore;
            if (r == 0) {
              first = engine.lastReport();
              firstDistances = used;
            }
            if (best == null || seconds[r] <= Arrays.stream(seconds, 0, r).min().orElse(2e300)) {
              best = engine.lastReport();
              bestDistances = used;
            }
          }
        }
        long peak = ProcessMemory.peakRssBytes();
        // Untimed, and only to compare the two paths: their whole Gram matrices. Its own name, so
        // that its tiles are not counted as one more timed run.
        progress.task(label + " Gram for comparing the paths (untimed)");
        GramMatrix gram = comparesPaths ? engine.gram(examples) : null;
        BenchReport.PathTimes times =
            BenchReport.PathTimes.of(
                n,
                engine.method(),
                seconds,
                best,
                bestDistances,
                first,
                firstDistances,
                peak,
                perPath,
                statistics.zeroNormRows().length,
                statistics.uncertainSignPairs());
        return new Timed(times, BenchCommand.parameterCount(block), gram);
      }
    }
  }

  /**
   * Says how long the batch-of-one loop will take, from its time on the first block of examples:
   * one diagonal tile of the run's tile plan, which extracts one block's gradients and multiplies
   * them with themselves. An off-diagonal tile extracts two blocks for a product of the same size,
   * and the two parts take about as long on fc, so it counts 1.5 tiles. Measured on fc (a loaded
   * 2-core machine): 109 s said for 105 s at N = 2048, 9 s for 5.5 s at N = 256, where a
   * per-example rate said 29 s for 54 s at N = 2048 (it misses the Gram products, which grow as
   * N^2). Once per timed run, and once more for the Gram that compares the paths.
   */
  private void announce(
      StiffnessEngine engine, Examples examples, NDManager manager, TileProgress progress) {
    TilePlan plan = engine.tilePlan(examples);
    Examples first = examples.slice(0, Math.min(n, plan.blockSize()));
    progress.task("generic estimate");
    long start = System.nanoTime();
    engine.statistics(first, first, spec(first, model.distances(first, manager)));
    double tileSeconds = (System.nanoTime() - start) * 1e-9;
    double perRun = tileSeconds * (1.5 * plan.tileCount() - 0.5 * plan.rowBlocks());
    int computations = repeats + (comparesPaths ? 1 : 0);
    err.printf(
        Locale.ROOT,
        "stiffness: the batch-of-one loop (generic path) will take about %s: %d computation(s) of"
            + " %,d examples in %d tile(s), its first tile (%d examples) took %.2f s%n",
        duration(perRun * computations),
        computations,
        n,
        plan.tileCount(),
        first.size(),
        tileSeconds);
    err.flush();
  }

  /** "45 s" or "3 min 20 s". */
  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s < 120 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
  }

  /** The statistics of the examples with themselves: their labels, the model's input distance. */
  private StatisticsSpec spec(Examples examples, TileDistances distances) {
    return BenchCommand.selfPairing(examples, model.classes(), distances);
  }
}
