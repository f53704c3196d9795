package org.stiffness.cli;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.stiffness.GradientMethod;
import org.stiffness.StiffnessEngine;
import org.stiffness.cli.bench.Comparison;
import org.stiffness.cli.bench.ComparisonTable;
import org.stiffness.cli.bench.PythonTorch;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.GramMatrix;
import org.stiffness.gram.GramOptions;
import org.stiffness.gram.GramProgress;
import org.stiffness.gram.GramReport;
import org.stiffness.gram.MemoryBudget;
import org.stiffness.gram.PhaseTiming;
import org.stiffness.gram.Precision;
import org.stiffness.gram.TilePlan;
import org.stiffness.jobs.ProcessMemory;
import org.stiffness.stats.TileDistances;
import org.stiffness.stats.TimedTileDistances;
import org.stiffness.stats.tiles.DistanceCache;
import org.stiffness.stats.tiles.PairingSide;
import org.stiffness.stats.tiles.PairingStatistics;
import org.stiffness.stats.tiles.StatisticsOptions;
import org.stiffness.stats.tiles.StatisticsSpec;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Times exact stiffness statistics end to end (per-example gradients, the Gram tiles, and each
 * tile's reduction to the class, distance-profile and critical-length sums) on one of the paper's
 * models with random data, for the batch-of-one loop ("generic") and the batched probe path
 * ("probe").
 */
@Command(
    name = "bench",
    header = "Times exact stiffness statistics of N random examples end to end.",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Times exact stiffness statistics of N random examples end to end: per-example"
          + " gradients, Gram tiles, and each tile's reduction to the statistics (pair cosines"
          + " and signs, class sums, input distances, distance bins, critical-length sums).",
      "Throughput is N / seconds of one whole computation (best and median of the repeats).",
      "--against pytorch runs our PyTorch script (bench/torch_stiffness.py) on the same weights,"
          + " inputs, device and threads, alternating with ours, and prints both side by side."
    })
final class BenchCommand implements Callable<Integer> {
  /** Examples of the untimed warm-up run (loads kernels, allocators, JIT). */
  private static final int WARM_UP_EXAMPLES = 64;

  /**
   * Largest N whose N x N float Gram fits one Java array: the limit of comparing the two paths'
   * Gram matrices (--path all), not of the statistics, which never hold the matrix.
   */
  private static final int MAX_COMPARED = 46_340;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  /** Least time between two plain progress lines (tests see every line with 0). */
  long progressLineIntervalNanos = TileProgress.LINE_INTERVAL_NANOS;

  @CommandLine.Mixin EngineOptions engineOptions;

  @Option(
      names = "--model",
      required = true,
      paramLabel = "fc|cnn|resnet20|bert-tiny|bert-mini",
      converter = Converters.Bench.class,
      description =
          "fc: 784-500-300-100-10 ReLU net; cnn: 3x(conv3x3, ReLU, maxpool2) + dense (both on"
              + " 1x28x28); resnet20: ResNet20 v1 without batch norm on 3x32x32; bert-tiny /"
              + " bert-mini: BERT-style encoder (2 layers x 32 / 4 layers x 256 hidden, vocabulary"
              + " 30522) with a 3-way head on random 128-token pairs. The batch-of-one loop is"
              + " slow for BERT: use a small --n.")
  BenchModel model;

  @Option(
      names = "--n",
      defaultValue = "1024",
      paramLabel = "N",
      description = "Examples (default: ${DEFAULT-VALUE}).")
  int n;

  @Option(
      names = "--path",
      defaultValue = "probe",
      paramLabel = "generic|probe|all",
      converter = Converters.Paths.class,
      description =
          "Gradient method(s) to time (default: ${DEFAULT-VALUE}); all adds the batch-of-one"
              + " loop (generic), which takes minutes for a large N and prints its expected time"
              + " first.")
  PathChoice path;

  @Option(
      names = "--against",
      paramLabel = "pytorch",
      description =
          "Also time our PyTorch script on the same weights and inputs, alternating with the"
              + " probe path, and print both side by side with the ratio (fc and cnn; needs a"
              + " Python with torch).")
  String against;

  @Option(
      names = "--python",
      defaultValue = PythonTorch.DEFAULT_PYTHON,
      paramLabel = "PYTHON",
      description =
          "Python with torch for --against (default: ${DEFAULT-VALUE}, then "
              + PythonTorch.SYSTEM_PYTHON
              + ").")
  String python;

  @Option(names = "--json", description = "Print one JSON object on stdout instead of tables.")
  boolean json;

  @Option(
      names = "--block-size",
      defaultValue = "0",
      paramLabel = "B",
      description = "Examples per tile side (default: 0, from the memory budget).")
  int blockSize;

  @Option(
      names = "--pass-size",
      defaultValue = "0",
      paramLabel = "P",
      description = "Examples per forward/backward pass (default: 0, from the pass's memory).")
  int passSize;

  @Option(
      names = "--seed",
      defaultValue = "0",
      paramLabel = "S",
      description = "Seed of the model initialisation and the data (default: ${DEFAULT-VALUE}).")
  int seed;

  @Option(
      names = "--repeats",
      defaultValue = "3",
      paramLabel = "R",
      description = "Timed runs per path (default: ${DEFAULT-VALUE}).")
  int repeats;

  @Override
  public Integer call() {
    validate();
    Engine engine = TorchLogging.engine();
    engineOptions.requireDevice(spec.commandLine());
    GramOptions options =
        engineOptions.gramOptions().withBlockSize(blockSize).withPassSize(passSize);
    if (against != null) {
      return againstPyTorch(options);
    }
    Map<GradientMethod, PathResult> results = new LinkedHashMap<>();
    long parameters = 0;
    try (TileProgress progress =
        new TileProgress(System.err, TileProgress.stderrIsTerminal(), progressLineIntervalNanos)) {
      for (GradientMethod method : path.methods()) {
        PathResult result = run(method, options, progress);
        results.put(method, result);
        parameters = result.parameters;
      }
    }
    Double difference = null;
    long beyondBound = 0;
    if (results.size() == 2) {
      GramMatrix generic = results.get(GradientMethod.GENERIC).gram;
      GramMatrix probe = results.get(GradientMethod.PROBE).gram;
      difference = maxRelativeDifference(generic, probe);
      beyondBound = pairsBeyondErrorBound(generic, probe);
    }
    PrintWriter out = spec.commandLine().getOut();
    String engineName = engine.getEngineName() + " " + engine.getVersion();
    if (json) {
      out.println(json(results, parameters, difference, beyondBound, engineName));
    } else {
      out.print(table(results, parameters, difference, beyondBound, engineName));
    }
    out.flush();
    return 0;
  }

  private void validate() {
    if (n < 2) {
      throw bad("--n must be at least 2 (stiffness needs pairs), got " + n);
    }
    long maxN = Integer.MAX_VALUE / model.inputBytesPerExample();
    if (n > maxN) {
      throw bad(
          String.format(
              Locale.ROOT,
              "--n must be at most %,d for %s (the random inputs, %,d bytes per example, are one"
                  + " buffer of at most 2 GiB), got %d",
              maxN,
              model.label(),
              model.inputBytesPerExample(),
              n));
    }
    if (n > MAX_COMPARED && path.methods().size() > 1) {
      throw bad(
          "--n must be at most "
              + MAX_COMPARED
              + " with --path all (the two paths' N x N Gram matrices are compared in memory),"
              + " got "
              + n);
    }
    if (repeats < 1) {
      throw bad("--repeats must be at least 1, got " + repeats);
    }
    if (blockSize < 0) {
      throw bad("--block-size must be 0 (automatic) or positive, got " + blockSize);
    }
    if (passSize < 0) {
      throw bad("--pass-size must be 0 (automatic) or positive, got " + passSize);
    }
    if (against != null) {
      validateAgainst();
    }
  }

  private void validateAgainst() {
    if (!"pytorch".equalsIgnoreCase(against.trim())) {
      throw bad("--against must be pytorch, got '" + against + "'");
    }
    if (!PyTorchComparison.MODELS.contains(model.label())) {
      throw bad(
          "--against pytorch runs --model "
              + String.join(" or ", PyTorchComparison.MODELS)
              + " (the models of the PyTorch script), got "
              + model.label());
    }
    if (path != PathChoice.PROBE) {
      throw bad(
          "--against pytorch times the probe path against PyTorch; leave out --path "
              + path.name().toLowerCase(Locale.ROOT));
    }
    if (engineOptions.precision != Precision.FP32) {
      throw bad("--against pytorch compares float32 (--precision fp32)");
    }
  }

  /** {@code --against pytorch}: one line and a non-zero exit where no Python has torch. */
  private Integer againstPyTorch(GramOptions options) {
    PythonTorch.Search search = PythonTorch.find(PythonTorch.candidates(python));
    if (search.found() == null) {
      throw new IllegalStateException("bench --against pytorch cannot run: " + search.absentLine());
    }
    Comparison comparison;
    try (TileProgress progress = new TileProgress(System.err, TileProgress.stderrIsTerminal())) {
      comparison =
          new PyTorchComparison(model, engineOptions.device, options, n, seed, repeats)
              .run(search.found(), progress);
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(
        json
            ? ComparisonTable.json(comparison) + System.lineSeparator()
            : ComparisonTable.text(comparison));
    out.flush();
    return 0;
  }

  private CommandLine.ParameterException bad(String message) {
    return new CommandLine.ParameterException(spec.commandLine(), message);
  }

  /** One path's measurements. */
  private record PathResult(
      GradientMethod method,
      String extractor,
      long parameters,
      double[] seconds,
      GramReport report,
      double distanceSeconds,
      GramReport firstReport,
      double firstDistanceSeconds,
      GramMatrix gram,
      long peakRssBytes,
      boolean peakIsPerPath,
      long zeroNormExamples,
      long uncertainSignPairs) {

    double bestSeconds() {
      return Arrays.stream(seconds).min().orElseThrow();
    }

    double medianSeconds() {
      double[] sorted = seconds.clone();
      Arrays.sort(sorted);
      int m = sorted.length / 2;
      return sorted.length % 2 == 1 ? sorted[m] : 0.5 * (sorted[m - 1] + sorted[m]);
    }
  }

  private PathResult run(GradientMethod method, GramOptions options, TileProgress progress) {
    String label = PathChoice.label(method);
    boolean perPath = ProcessMemory.resetPeak();
    try (NDManager manager = NDManager.newBaseManager(engineOptions.device)) {
      // Same seed for every path: both methods see the same weights and data, so their Gram
      // matrices must agree (the max_relative_difference check).
      manager.getEngine().setRandomSeed(seed);
      Block block = model.create(manager);
      Examples examples = model.examples(manager, n, seed);
      GramProgress callback = method == GradientMethod.GENERIC ? progress : GramProgress.NONE;
      try (StiffnessEngine engine =
          StiffnessEngine.builder(block)
              .device(engineOptions.device)
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
        GramMatrix gram = path.methods().size() > 1 ? engine.gram(examples) : null;
        return new PathResult(
            method,
            engine.method(),
            parameterCount(block),
            seconds,
            best,
            bestDistances,
            first,
            firstDistances,
            gram,
            peak,
            perPath,
            statistics.zeroNormRows().length,
            statistics.uncertainSignPairs());
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
    int computations = repeats + (path.methods().size() > 1 ? 1 : 0);
    PrintWriter err = spec.commandLine().getErr();
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
    return selfPairing(examples, model.classes(), distances);
  }

  /** The statistics of {@code examples} with themselves (also PyTorchComparison's). */
  static StatisticsSpec selfPairing(Examples examples, int classes, TileDistances distances) {
    PairingSide side = PairingSide.of(examples);
    return new StatisticsSpec(
        side, side, classes, List.of(), distances, StatisticsOptions.defaults());
  }

  /** Trainable scalars of {@code block} (also PyTorchComparison's). */
  static long parameterCount(Block block) {
    long count = 0;
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (p.getValue().requiresGradient()) {
        count += p.getValue().getArray().size();
      }
    }
    return count;
  }

  /**
   * {@code max_ij |A_ij - B_ij| / sqrt(B_ii B_jj)}: the largest disagreement in units of the pair's
   * gradient norms, i.e. the largest difference in cosine stiffness up to second-order terms. Pairs
   * with a zero-norm example are compared in absolute terms.
   */
  static double maxRelativeDifference(GramMatrix a, GramMatrix b) {
    double worst = 0;
    for (int i = 0; i < b.rows(); i++) {
      for (int j = 0; j < b.cols(); j++) {
        double scale = Math.sqrt(b.rowSquaredNorm(i) * b.colSquaredNorm(j));
        double d = Math.abs((double) a.get(i, j) - b.get(i, j));
        worst = Math.max(worst, scale > 0 ? d / scale : d);
      }
    }
    return worst;
  }

  /**
   * Pairs whose two Gram values differ by more than the sum of their rounding-error bounds ({@link
   * GramMatrix#errorBound}): 0 means every disagreement is explained by floating-point rounding.
   */
  static long pairsBeyondErrorBound(GramMatrix a, GramMatrix b) {
    long count = 0;
    for (int i = 0; i < b.rows(); i++) {
      for (int j = 0; j < b.cols(); j++) {
        double d = Math.abs((double) a.get(i, j) - b.get(i, j));
        if (d > a.errorBound(i, j) + b.errorBound(i, j)) {
          count++;
        }
      }
    }
    return count;
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
    return names;
  }

  private String json(
      Map<GradientMethod, PathResult> results,
      long parameters,
      Double difference,
      long beyondBound,
      String engineName) {
    ObjectMapper mapper = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.put("model", model.label());
    root.put("n", n);
    root.put("parameters", parameters);
    root.put("device", engineOptions.deviceLabel());
    root.put("precision", engineOptions.precision.name().toLowerCase(Locale.ROOT));
    root.put("reduction", org.stiffness.stats.tiles.TileReducer.NAME);
    root.put("seed", seed);
    root.put("repeats", repeats);
    root.put("engine", engineName);
    ObjectNode paths = root.putObject("paths");
    for (PathResult r : results.values()) {
      ObjectNode p = paths.putObject(PathChoice.label(r.method));
      p.put("extractor", r.extractor);
      p.put("examples_per_second", n / r.bestSeconds());
      p.put("examples_per_second_median", n / r.medianSeconds());
      p.put("seconds", r.bestSeconds());
      p.put("seconds_median", r.medianSeconds());
      ArrayNode runs = p.putArray("run_seconds");
      Arrays.stream(r.seconds).forEach(runs::add);
      GramReport report = r.report;
      p.put("extraction_seconds", report.extractionSeconds());
      p.put("product_seconds", report.productSeconds());
      p.put("statistics_seconds", report.consumerSeconds());
      p.put("distance_seconds", r.distanceSeconds);
      // The first run makes every tile's distance geometry; later runs read it from the cache.
      p.put("first_run_seconds", r.seconds[0]);
      p.put("first_run_statistics_seconds", r.firstReport.consumerSeconds());
      p.put("first_run_distance_seconds", r.firstDistanceSeconds);
      p.put("block_size", report.blockSize());
      p.put("tiles", report.tiles());
      p.put("block_extractions", report.blockExtractions());
      p.put("budget_bytes", report.budgetBytes());
      p.put("planned_peak_bytes", report.plannedPeakBytes());
      p.put("peak_rss_bytes", r.peakRssBytes);
      p.put("peak_rss_scope", r.peakIsPerPath ? "path" : "process");
      ArrayNode factorised = p.putArray("factorised_layers");
      layers(report, true).forEach(factorised::add);
      ArrayNode materialised = p.putArray("materialised_layers");
      layers(report, false).forEach(materialised::add);
      p.put("zero_norm_examples", r.zeroNormExamples);
      p.put("uncertain_sign_pairs", r.uncertainSignPairs);
    }
    if (difference != null) {
      root.put("max_relative_difference", difference);
      root.put("pairs_beyond_error_bound", beyondBound);
    }
    try {
      return mapper.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("could not write the JSON result", e);
    }
  }

  private String table(
      Map<GradientMethod, PathResult> results,
      long parameters,
      Double difference,
      long beyondBound,
      String engineName) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "model %s (%,d parameters), N = %,d, device %s, %s, %s, best/median of %d run(s)%n",
            model.label(),
            parameters,
            n,
            engineOptions.deviceLabel(),
            engineOptions.precision.name().toLowerCase(Locale.ROOT),
            engineName,
            repeats));
    for (PathResult r : results.values()) {
      GramReport report = r.report;
      s.append(
          String.format(Locale.ROOT, "%n%s path (%s)%n", PathChoice.label(r.method), r.extractor));
      row(
          s,
          "examples/s",
          String.format(
              Locale.ROOT, "%,.1f best, %,.1f median", n / r.bestSeconds(), n / r.medianSeconds()));
      row(
          s,
          "seconds",
          String.format(Locale.ROOT, "%.3f best, %.3f median", r.bestSeconds(), r.medianSeconds()));
      row(
          s,
          "of which",
          String.format(
              Locale.ROOT,
              "%.3f s gradients, %.3f s products, %.3f s statistics (%.3f s of them input"
                  + " distances) (best run)",
              report.extractionSeconds(),
              report.productSeconds(),
              report.consumerSeconds(),
              r.distanceSeconds));
      row(
          s,
          "first run",
          String.format(
              Locale.ROOT,
              "%.3f s, %.3f s statistics (%.3f s input distances): it makes each tile's distance"
                  + " geometry, later runs (checkpoints) read it",
              r.seconds[0],
              r.firstReport.consumerSeconds(),
              r.firstDistanceSeconds));
      row(
          s,
          "block size",
          String.format(
              Locale.ROOT,
              "%d (%d tile(s), %d block extraction(s))",
              report.blockSize(),
              report.tiles(),
              report.blockExtractions()));
      row(
          s,
          "planned peak",
          MemoryBudget.format(report.plannedPeakBytes())
              + " of a "
              + MemoryBudget.format(report.budgetBytes())
              + " device budget");
      row(
          s,
          "peak RSS",
          ProcessMemory.format(r.peakRssBytes)
              + (r.peakIsPerPath ? " (this path)" : " (whole process)"));
      row(s, "factorised", String.join(", ", layers(report, true)));
      row(s, "materialised", String.join(", ", layers(report, false)));
      if (r.zeroNormExamples > 0) {
        row(s, "zero gradients", r.zeroNormExamples + " example(s) excluded");
      }
    }
    if (difference != null) {
      double speedup =
          results.get(GradientMethod.GENERIC).bestSeconds()
              / results.get(GradientMethod.PROBE).bestSeconds();
      s.append(
          String.format(
              Locale.ROOT,
              "%nprobe/generic speed ratio %.2f; max relative Gram difference %.2e"
                  + " (%d pair(s) beyond the rounding-error bound)%n",
              speedup,
              difference,
              beyondBound));
    }
    return s.toString();
  }

  /** "cpu" or "gpuN", as typed on the command line. */
  private static void row(StringBuilder s, String name, String value) {
    s.append(String.format(Locale.ROOT, "  %-15s %s%n", name, value.isEmpty() ? "-" : value));
  }
}
