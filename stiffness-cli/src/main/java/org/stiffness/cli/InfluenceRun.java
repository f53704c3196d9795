package org.stiffness.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.stiffness.datasets.LabelledImages;
import org.stiffness.datasets.TrainTestSplit;
import org.stiffness.datasets.preprocess.Preprocessing;
import org.stiffness.datasets.subset.BalancedSubset;
import org.stiffness.experiments.Training;
import org.stiffness.experiments.influence.FlipDetection;
import org.stiffness.experiments.influence.InfluenceCheckpoints;
import org.stiffness.experiments.influence.InfluenceFiles;
import org.stiffness.experiments.influence.InfluenceTraining;
import org.stiffness.experiments.influence.LabelFlip;
import org.stiffness.influence.InfluenceResult;
import org.stiffness.influence.InfluenceShard;
import org.stiffness.io.JsonSummary;
import org.stiffness.jobs.Shard;
import org.stiffness.report.HtmlReport;
import org.stiffness.report.InfluenceReport;
import org.stiffness.report.InfluenceResults;
import org.stiffness.vision.ImagePictures;
import org.stiffness.vision.InfluenceExperiment;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/**
 * Runs one {@link InfluenceRequest}: checks it, finds the data, flips the labels, trains, computes
 * the influence, writes the files, pictures and report through the output directory's staging area,
 * so that an interrupted run leaves nothing that looks complete.
 */
final class InfluenceRun {
  /** The run's figures and settings. */
  static final String SUMMARY = "influence.json";

  /** The files a shard directory may hold: shards, and their files being written (AtomicFiles). */
  private static final Pattern SHARD_FILE =
      Pattern.compile("\\.?influence-\\d+-of-\\d+\\.(json|npy)(\\.[0-9a-f-]+\\.tmp)?");

  private final CommandLine cli;
  private final PrintWriter out;
  private final PrintWriter err;
  private final DatasetLocator locator = DatasetLocator.ofThisMachine();

  /**
   * @param cli the command bad settings are reported against (exit code 2)
   * @param out where the "wrote" line goes
   */
  InfluenceRun(CommandLine cli, PrintWriter out) {
    this.cli = cli;
    this.out = out;
    this.err = cli.getErr();
  }

  /**
   * Runs the request into {@code request.out()}.
   *
   * @throws ParameterException for settings or data that cannot run, before anything is written
   */
  void run(InfluenceRequest request, CommandIdentity identity) throws IOException {
    DatasetLocator.Source source;
    try {
      request.validate();
      source = locator.locate(request.dataset(), request.dataDir());
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
    DeviceCheck.require(cli, request.device(), "");
    if (request.shard() != null) {
      runShard(request, source);
      return;
    }
    // Read and checked before the training, so that a missing or damaged shard is told at once.
    List<InfluenceShard> shards = request.merge() == null ? null : shards(request.merge());
    OutputDirectory opened;
    try {
      opened = OutputDirectory.create(request.out(), identity, false);
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
    try (OutputDirectory directory = opened) {
      run(request, source, directory, shards);
    }
  }

  /** The data as trained on, with its flipped labels. */
  private record Prepared(
      LabelledImages train, LabelledImages test, LabelFlip flip, InfluenceExperiment experiment) {}

  /**
   * Loads the data, flips the labels and sets the experiment up: the same in every process of a
   * sharded run.
   */
  private Prepared prepare(InfluenceRequest request, DatasetLocator.Source source)
      throws IOException {
    TrainTestSplit raw = locator.load(request.dataset(), source);
    LabelledImages train = subset(raw.train(), request.trainSize(), request.seed(), "--train-size");
    LabelledImages test = subset(raw.test(), request.testSize(), request.seed(), "--test-size");
    int classes = train.classCount();
    LabelFlip flip;
    try {
      flip = LabelFlip.of(train.labels(), classes, request.flipLabels(), request.seed());
    } catch (IllegalArgumentException e) {
      throw bad("--flip-labels: " + e.getMessage());
    }
    TrainTestSplit split = prepared(request, train, test, flip);
    // Loading and preprocessing leave dataset-sized garbage arrays in the Java heap, which G1 has
    // grown to hold them; a full collection before the long computation gives their pages back
    // (every Fashion-MNIST example: peak resident memory 2.28 GiB without it, see
    // docs/measurements.md 2026-12-07).
    System.gc();
    InfluenceExperiment experiment;
    try {
      experiment =
          new InfluenceExperiment(
              split,
              () -> request.model().build(classes),
              new InfluenceExperiment.Config(
                  request.model().label(),
                  request.optimizerKind(),
                  request.learningRate(),
                  request.batchSize(),
                  request.epochs(),
                  request.checkpoints(),
                  request.topK(),
                  request.layers(),
                  request.seed(),
                  request.device(),
                  request.gram()));
      experiment.checkpoints(); // refuses more checkpoints than steps, before any training
      experiment.checkLayers();
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage());
    }
    return new Prepared(train, test, flip, experiment);
  }

  /**
   * Every shard file in {@code dir}, read and checked against each other (all n present, one
   * computation).
   */
  private List<InfluenceShard> shards(Path dir) {
    try {
      List<InfluenceShard> shards = InfluenceShard.readAll(dir);
      InfluenceShard.merge(shards);
      return shards;
    } catch (IOException | IllegalArgumentException e) {
      throw bad("--merge " + dir + ": " + e.getMessage());
    }
  }

  /**
   * Trains and computes one shard of the tiles into the shard directory {@code request.out()},
   * which holds nothing but shard files.
   */
  private void runShard(InfluenceRequest request, DatasetLocator.Source source) throws IOException {
    Path dir = request.out();
    if (Files.exists(dir)) {
      if (!Files.isDirectory(dir)) {
        throw bad("--out " + dir + " is not a directory");
      }
      try (Stream<Path> files = Files.list(dir)) {
        List<String> others =
            files
                .map(p -> p.getFileName().toString())
                .filter(n -> !SHARD_FILE.matcher(n).matches())
                .sorted()
                .toList();
        if (!others.isEmpty()) {
          throw bad(
              "--out "
                  + dir
                  + " with --shard is the shard directory, which holds influence-<i>-of-<n>"
                  + " files only; it holds "
                  + others);
        }
      }
    }
    Prepared prepared = prepare(request, source);
    InfluenceExperiment experiment = prepared.experiment();
    Shard shard = request.shard();
    InfluenceExperiment.ShardOutcome outcome;
    try (ExperimentProgress steps = new ExperimentProgress(err, TileProgress.stderrIsTerminal());
        TileProgress tiles = new TileProgress(System.err, TileProgress.stderrIsTerminal())) {
      steps.runStarted(0, 1, request.learningRate(), experiment.totalSteps());
      tiles.task("influence shard " + shard);
      outcome =
          experiment.shard(
              (step, loss) -> steps.stepped(request.learningRate(), step, 0, loss), tiles, shard);
      steps.runFinished(request.learningRate());
    }
    Path written = outcome.shard().write(dir);
    out.printf(
        Locale.ROOT,
        "shard %s: computed %d of %d tiles (training %.1f s, influence %.1f s); wrote %s%n",
        shard,
        outcome.shard().tiles().size(),
        outcome.shard().plan().tileCount(),
        outcome.trainingSeconds(),
        outcome.influenceSeconds(),
        written);
    out.flush();
  }

  private void run(
      InfluenceRequest request,
      DatasetLocator.Source source,
      OutputDirectory directory,
      List<InfluenceShard> shards)
      throws IOException {
    Prepared prepared = prepare(request, source);
    LabelledImages train = prepared.train();
    LabelledImages test = prepared.test();
    LabelFlip flip = prepared.flip();
    InfluenceExperiment experiment = prepared.experiment();
    List<InfluenceCheckpoints.Checkpoint> checkpoints = experiment.checkpoints();
    Path dir = directory.path();
    InfluenceExperiment.Outcome outcome;
    try (ExperimentProgress steps = new ExperimentProgress(err, TileProgress.stderrIsTerminal());
        TileProgress tiles = new TileProgress(System.err, TileProgress.stderrIsTerminal())) {
      steps.runStarted(0, 1, request.learningRate(), experiment.totalSteps());
      Training.StepListener listener =
          (step, loss) -> steps.stepped(request.learningRate(), step, 0, loss);
      Path export = request.export() ? dir : null;
      if (shards == null) {
        tiles.task("influence");
        outcome = experiment.run(listener, tiles, export);
      } else {
        try {
          outcome = experiment.merge(listener, export, shards);
        } catch (IllegalArgumentException e) {
          throw bad("--merge " + request.merge() + ": " + e.getMessage());
        }
      }
      steps.runFinished(request.learningRate());
    }
    InfluenceResult influence = outcome.influence();
    boolean[] flipped = flip.mask(train.size());
    double[] self = influence.selfInfluence();
    double[] loss = new double[outcome.finalLoss().length];
    for (int i = 0; i < loss.length; i++) {
      loss[i] = outcome.finalLoss()[i];
    }
    double aucSelf = FlipDetection.auc(self, flipped);
    double aucLoss = FlipDetection.auc(loss, flipped);
    InfluenceFiles.write(dir, influence, outcome.finalLoss(), flip.flipped());
    ObjectNode summary =
        summary(
            request,
            train,
            test,
            flip,
            checkpoints,
            outcome,
            experiment,
            aucSelf,
            aucLoss,
            shards == null ? 0 : shards.size());
    InfluenceReport.write(
        new InfluenceResults(
            self,
            flipped,
            FlipDetection.foundByInspected(self, flipped),
            FlipDetection.foundByInspected(loss, flipped),
            aucSelf,
            aucLoss,
            rows(influence, true),
            scores(influence, true),
            rows(influence, false),
            scores(influence, false),
            flip.labels(),
            train.labels(),
            test.labels(),
            train.classNames(),
            ImagePictures.of(train),
            ImagePictures.of(test)),
        summary,
        dir);
    JsonSummary.write(dir.resolve(SUMMARY), summary);
    err.printf(
        Locale.ROOT,
        "stiffness: self-influence AUC %s, final-loss AUC %s for %d flipped labels; training %.1f"
            + " s, influence %.1f s%n",
        auc(aucSelf),
        auc(aucLoss),
        flip.flipped().length,
        outcome.trainingSeconds(),
        outcome.influenceSeconds());
    err.flush();
    Path report = directory.commit().resolve(HtmlReport.FILE_NAME);
    out.println("wrote " + report);
    out.flush();
  }

  /** The sets as trained on: the training labels flipped, then preprocessed. */
  private static TrainTestSplit prepared(
      InfluenceRequest request, LabelledImages train, LabelledImages test, LabelFlip flip) {
    LabelledImages trained =
        train.withLabels(
            flip.labels(), train.name() + (flip.flipped().length > 0 ? " (labels flipped)" : ""));
    TrainTestSplit split = new TrainTestSplit(trained, test);
    return request.preprocessing().equals("paper") ? Preprocessing.PAPER.apply(split) : split;
  }

  private LabelledImages subset(LabelledImages all, int size, long seed, String option) {
    if (size == 0) {
      return all;
    }
    if (size > all.size()) {
      throw bad(
          option + " " + size + " is more than the " + all.size() + " examples of " + all.name());
    }
    return BalancedSubset.select(all, size, seed);
  }

  private static ObjectNode summary(
      InfluenceRequest request,
      LabelledImages train,
      LabelledImages test,
      LabelFlip flip,
      List<InfluenceCheckpoints.Checkpoint> checkpoints,
      InfluenceExperiment.Outcome outcome,
      InfluenceExperiment experiment,
      double aucSelf,
      double aucLoss,
      int shardCount) {
    ObjectNode s = JsonSummary.mapper().createObjectNode();
    s.put("command", "influence");
    ObjectNode c = s.putObject("settings");
    c.put("dataset", request.dataset().label());
    c.put(
        "data_dir",
        request.dataDir() == null ? null : request.dataDir().toAbsolutePath().toString());
    c.put("model", request.model().label());
    c.put("preprocessing", request.preprocessing());
    c.put("train_size", train.size());
    c.put("test_size", test.size());
    c.put("classes", train.classCount());
    train.classNames().forEach(c.putArray("class_names")::add);
    c.put("optimizer", request.optimizer());
    c.put("learning_rate", request.learningRate());
    c.put("epochs", request.epochs());
    c.put("batch_size", request.batchSize());
    c.put("steps_per_epoch", outcome.stepsPerEpoch());
    c.put("total_steps", experiment.totalSteps());
    c.put("checkpoints", checkpoints.size());
    c.put("top_k", outcome.influence().k());
    ArrayNode layers = c.putArray("layers");
    outcome.influence().layers().forEach(layers::add);
    c.put("flip_labels", request.flipLabels());
    c.put("seed", request.seed());
    c.put("device", request.device().toString());
    c.put("precision", request.gram().precision().name().toLowerCase(Locale.ROOT));
    if (request.gram().memoryBudgetBytes() > 0) {
      c.put("memory_budget_bytes", request.gram().memoryBudgetBytes());
    } else {
      c.putNull("memory_budget_bytes");
    }
    s.put(
        "weight_convention",
        "checkpoint k is the model after step s_k = round(k T / K) of T steps and stands for the"
            + " steps (s_{k-1}, s_k], s_0 = 0: its weight w_k = learning_rate * (s_k - s_{k-1}),"
            + " and the weights sum to learning_rate * T"
            + (request.optimizer().equals("adam")
                ? "; with adam the weights are nominal (TracIn's derivation assumes SGD steps)"
                : ""));
    ArrayNode cps = s.putArray("checkpoints");
    for (int k = 0; k < checkpoints.size(); k++) {
      InfluenceCheckpoints.Checkpoint cp = checkpoints.get(k);
      InfluenceTraining.Evaluated e = outcome.trained().evaluations().get(k);
      cps.addObject()
          .put("name", experiment.name(cp.step()))
          .put("step", cp.step())
          .put("epoch", cp.step() / (double) outcome.stepsPerEpoch())
          .put("steps", cp.steps())
          .put("learning_rate", cp.learningRate())
          .put("weight", cp.weight())
          .put("train_loss", e.train().loss())
          .put("train_accuracy", e.train().accuracy())
          .put("test_loss", e.test().loss())
          .put("test_accuracy", e.test().accuracy());
    }
    s.put("flipped", flip.flipped().length);
    number(s, "auc_self_influence", aucSelf);
    number(s, "auc_loss", aucLoss);
    if (request.merge() != null) {
      ObjectNode merged = s.putObject("merged");
      merged.put("shard_dir", request.merge().toAbsolutePath().toString());
      merged.put("shards", shardCount);
    }
    ObjectNode t = s.putObject("timings_seconds");
    t.put("training", outcome.trainingSeconds());
    t.put("influence", outcome.influenceSeconds());
    return s;
  }

  /** A figure, or null where it has no value (no label flipped). */
  private static void number(ObjectNode node, String field, double value) {
    if (Double.isFinite(value)) {
      node.put(field, value);
    } else {
      node.putNull(field);
    }
  }

  private static String auc(double value) {
    return Double.isFinite(value) ? String.format(Locale.ROOT, "%.3f", value) : "n/a";
  }

  private static int[][] rows(InfluenceResult r, boolean proponents) {
    int[][] out = new int[r.testSize()][];
    for (int j = 0; j < out.length; j++) {
      out[j] = proponents ? r.proponents(j) : r.opponents(j);
    }
    return out;
  }

  private static double[][] scores(InfluenceResult r, boolean proponents) {
    double[][] out = new double[r.testSize()][];
    for (int j = 0; j < out.length; j++) {
      float[] s = proponents ? r.proponentScores(j) : r.opponentScores(j);
      out[j] = new double[s.length];
      for (int k = 0; k < s.length; k++) {
        out[j][k] = s[k];
      }
    }
    return out;
  }

  private ParameterException bad(String message) {
    return new ParameterException(cli, message);
  }
}
