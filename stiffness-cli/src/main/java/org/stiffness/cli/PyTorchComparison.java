package org.stiffness.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.stiffness.GradientMethod;
import org.stiffness.StiffnessEngine;
import org.stiffness.cli.bench.Comparison;
import org.stiffness.cli.bench.HeadlineStatistics;
import org.stiffness.cli.bench.PythonTorch;
import org.stiffness.cli.bench.TorchInputs;
import org.stiffness.cli.bench.TorchRun;
import org.stiffness.cli.bench.TorchScript;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.GramOptions;
import org.stiffness.gram.GramReport;
import org.stiffness.stats.TileDistances;
import org.stiffness.stats.TimedTileDistances;
import org.stiffness.stats.tiles.PairingStatistics;
import org.stiffness.stats.tiles.StatisticsSpec;

/**
 * {@code bench --against pytorch}: our probe path and our PyTorch script on the same weights,
 * inputs, device and threads, one run of each in turn, so that both meet the same load.
 *
 * <p>Both sides do the whole computation every run: per-example gradients, the Gram matrix, the
 * input distances and the statistics. Our side therefore runs without the distance cache that plain
 * {@code bench} keeps across its repeats (each script run is a fresh process, which could keep
 * nothing).
 */
final class PyTorchComparison {
  /** Models the script builds. */
  static final List<String> MODELS = List.of("fc", "cnn");

  /** Examples of each side's untimed warm-up (the script uses the same count). */
  private static final int WARM_UP_EXAMPLES = 256;

  private final BenchModel model;
  private final Device device;
  private final GramOptions options;
  private final int n;
  private final int seed;
  private final int repeats;

  PyTorchComparison(
      BenchModel model, Device device, GramOptions options, int n, int seed, int repeats) {
    this.model = model;
    this.device = device;
    this.options = options;
    this.n = n;
    this.seed = seed;
    this.repeats = repeats;
  }

  /** Runs both sides {@code repeats} times, alternating, ours first. */
  Comparison run(PythonTorch python, TileProgress progress) throws IOException {
    Path work = Files.createTempDirectory("stiffness-pytorch-");
    try (NDManager manager = NDManager.newBaseManager(device)) {
      TorchScript script = TorchScript.extract(python, work);
      manager.getEngine().setRandomSeed(seed);
      Block block = model.create(manager);
      Examples examples = model.examples(manager, n, seed);
      Path data = work.resolve("data");
      TorchInputs.write(data, model.label(), block, examples);
      int threads = threads();
      String torchDevice = torchDevice(device);
      try (StiffnessEngine engine =
          StiffnessEngine.builder(block)
              .device(device)
              .method(GradientMethod.PROBE)
              .options(options)
              .build()) {
        Examples warmUp = examples.slice(0, Math.min(n, WARM_UP_EXAMPLES));
        progress.task("ours warm-up");
        for (int w = 0; w < 3; w++) {
          engine.statistics(warmUp, warmUp, spec(warmUp, model.distances(warmUp, manager)));
        }
        TimedTileDistances distances = new TimedTileDistances(model.distances(examples, manager));
        StatisticsSpec spec = spec(examples, distances);
        double[][] ours = new double[4][repeats];
        double[][] theirs = new double[4][repeats];
        PairingStatistics statistics = null;
        TorchRun last = null;
        for (int r = 0; r < repeats; r++) {
          progress.task("ours run " + (r + 1) + "/" + repeats);
          double distancesBefore = distances.seconds();
          long start = System.nanoTime();
          statistics = engine.statistics(examples, examples, spec);
          ours[0][r] = (System.nanoTime() - start) * 1e-9;
          GramReport report = engine.lastReport();
          ours[1][r] = report.extractionSeconds() + report.productSeconds();
          ours[2][r] = report.consumerSeconds();
          ours[3][r] = distances.seconds() - distancesBefore;
          progress.task("PyTorch run " + (r + 1) + "/" + repeats);
          last = script.run(data, torchDevice, threads, null);
          theirs[0][r] = last.seconds();
          theirs[1][r] = last.gradientSeconds();
          theirs[2][r] = last.statisticsSeconds();
          theirs[3][r] = last.distanceSeconds();
        }
        Engine djl = manager.getEngine();
        return new Comparison(
            model.label(),
            n,
            BenchCommand.parameterCount(block),
            DeviceCheck.label(device),
            threads,
            repeats,
            new Comparison.Side(
                "DJL "
                    + Engine.getDjlVersion()
                    + ", "
                    + djl.getEngineName()
                    + " "
                    + djl.getVersion(),
                probeMethod(engine.lastReport()),
                ours[0],
                ours[1],
                ours[2],
                ours[3],
                HeadlineStatistics.of(statistics)),
            new Comparison.Side(
                "torch " + last.torch() + " (" + python.python() + ")",
                last.method(),
                theirs[0],
                theirs[1],
                theirs[2],
                theirs[3],
                last.statistics()));
      }
    } finally {
      deleteTree(work);
    }
  }

  /** "probe path, 4/4 layers factorised": how our side made its Gram matrix. */
  private static String probeMethod(GramReport report) {
    long factorised = report.factorisedLayers().values().stream().filter(f -> f).count();
    return "probe path, "
        + factorised
        + "/"
        + report.factorisedLayers().size()
        + " layers factorised";
  }

  /** torch's name of a device: {@code cpu} or {@code cuda:K}. */
  static String torchDevice(Device device) {
    return device.isGpu() ? "cuda:" + device.getDeviceId() : "cpu";
  }

  /**
   * The intra-op threads of the libtorch DJL loaded (what {@code OMP_NUM_THREADS} or DJL's {@code
   * ai.djl.pytorch.num_threads} set), handed to the script so that both sides use as many. Read
   * through the engine's own class, which this module only has at run time; where that fails, the
   * processors the JVM sees, libtorch's default.
   */
  static int threads() {
    try {
      Object count =
          Class.forName("ai.djl.pytorch.jni.JniUtils").getMethod("getNumThreads").invoke(null);
      if (count instanceof Integer t && t > 0) {
        return t;
      }
    } catch (ReflectiveOperationException | LinkageError e) {
      // Another engine, or a DJL without the method: libtorch's default below.
    }
    return Runtime.getRuntime().availableProcessors();
  }

  /** The statistics of the examples with themselves, computed afresh each time (no cache). */
  private StatisticsSpec spec(Examples examples, TileDistances distances) {
    return BenchCommand.selfPairing(examples, model.classes(), distances);
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete the scratch directory " + root, e);
    }
  }
}
