package org.stiffness.cli;

import ai.djl.engine.Engine;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.stiffness.GradientMethod;
import org.stiffness.cli.bench.Comparison;
import org.stiffness.cli.bench.ComparisonTable;
import org.stiffness.cli.bench.PythonTorch;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.GramMatrix;
import org.stiffness.gram.GramOptions;
import org.stiffness.gram.Precision;
import org.stiffness.stats.TileDistances;
import org.stiffness.stats.tiles.PairingSide;
import org.stiffness.stats.tiles.StatisticsOptions;
import org.stiffness.stats.tiles.StatisticsSpec;
import org.stiffness.stats.tiles.TileReducer;
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
    PathTimer timer =
        new PathTimer(
            model,
            n,
            seed,
            repeats,
            engineOptions.device,
            options,
            path.methods().size() > 1,
            spec.commandLine().getErr());
    Map<String, BenchReport.PathTimes> paths = new LinkedHashMap<>();
    Map<GradientMethod, GramMatrix> grams = new EnumMap<>(GradientMethod.class);
    long parameters = 0;
    try (TileProgress progress =
        new TileProgress(System.err, TileProgress.stderrIsTerminal(), progressLineIntervalNanos)) {
      for (GradientMethod method : path.methods()) {
        PathTimer.Timed timed = timer.run(method, progress);
        paths.put(PathChoice.label(method), timed.times());
        grams.put(method, timed.gram());
        parameters = timed.parameters();
      }
    }
    Double difference = null;
    Long beyondBound = null;
    if (paths.size() == 2) {
      GramMatrix generic = grams.get(GradientMethod.GENERIC);
      GramMatrix probe = grams.get(GradientMethod.PROBE);
      difference = maxRelativeDifference(generic, probe);
      beyondBound = pairsBeyondErrorBound(generic, probe);
    }
    BenchReport report =
        new BenchReport(
            model.label(),
            n,
            parameters,
            engineOptions.deviceLabel(),
            engineOptions.precision.name().toLowerCase(Locale.ROOT),
            TileReducer.NAME,
            seed,
            repeats,
            engine.getEngineName() + " " + engine.getVersion(),
            paths,
            difference,
            beyondBound);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(report.json());
    } else {
      out.print(report.text());
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
}
