package org.stiffness.nlp.experiment;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stiffness.experiments.ExperimentListener;
import org.stiffness.experiments.LearningRateSweep;
import org.stiffness.experiments.MeasuredSet;
import org.stiffness.experiments.MeasurementSchedule;
import org.stiffness.experiments.MeasurementSettings;
import org.stiffness.experiments.MeasurementTimes;
import org.stiffness.experiments.StiffnessMeasurement;
import org.stiffness.experiments.SweepJournal;
import org.stiffness.experiments.Training;
import org.stiffness.gradients.Examples;
import org.stiffness.io.JsonSummary;
import org.stiffness.nlp.mnli.Genre;
import org.stiffness.nlp.mnli.MnliDirectory;
import org.stiffness.nlp.mnli.MnliSplit;
import org.stiffness.nlp.mnli.NliLabel;
import org.stiffness.nlp.mnli.NliPair;
import org.stiffness.nlp.mnli.NliPairs;
import org.stiffness.nlp.model.BertCheckpoint;
import org.stiffness.nlp.model.BertClassifier;
import org.stiffness.nlp.model.BertConfig;
import org.stiffness.nlp.text.BagOfTokens;
import org.stiffness.nlp.text.BagOfTokensDistance;
import org.stiffness.nlp.text.PairTokenizer;
import org.stiffness.nlp.text.TokenizedPairs;
import org.stiffness.stats.tiles.Grouping;
import org.stiffness.summary.ExperimentSummary;
import org.stiffness.summary.PairingSpec;

/**
 * The paper's last experiment: a BERT-style classifier fine-tuned (or trained from scratch) on MNLI
 * at one or more constant learning rates, with stiffness measured over training exactly as for the
 * vision models, classes = the three labels, and separately the ten genres as a grouping.
 *
 * <p>Sets and pairings. Three fixed label-balanced subsets: {@code train} (from train), {@code val}
 * (from dev_matched) and {@code val_mismatched} (from dev_mismatched); pairings train-train,
 * train-val, val-val (the vision layout, so plots and reports read it unchanged), then
 * train-val_mismatched and val_mismatched-val_mismatched. Input distance: cosine distance of
 * bag-of-token count vectors ({@link BagOfTokens}, special tokens left out), see docs/nlp.md.
 *
 * <p>Data. Train and validation pairs are seeded label-balanced samples of the files ({@code
 * MnliFile.readBalanced}, one streaming pass); the measured subsets are the first pairs of each
 * label of those samples, which are themselves uniform samples. Validation loss and accuracy are on
 * the dev_matched sample.
 */
public final class NliExperiment {
  private static final Logger LOG = LoggerFactory.getLogger(NliExperiment.class);
  private static final int LABELS = NliLabel.values().length;

  /** Where the model comes from: a size trained from scratch, or a HuggingFace checkpoint. */
  public record ModelChoice(BertConfig size, String sizeName, Path checkpoint) {
    /**
     * @throws IllegalArgumentException unless exactly one of a size and a checkpoint is given
     */
    public ModelChoice {
      if ((size == null) == (checkpoint == null)) {
        throw new IllegalArgumentException("give a model size or a checkpoint, not both");
      }
    }

    /** A fresh encoder of these sizes (vocabulary from the tokenizer), trained from scratch. */
    public static ModelChoice fromScratch(String name, BertConfig size) {
      return new ModelChoice(size, name, null);
    }

    /** Fine-tuning from {@code config.json} + {@code model.safetensors} in {@code dir}. */
    public static ModelChoice pretrained(Path dir) {
      return new ModelChoice(null, null, dir);
    }
  }

  /**
   * @param learningRates one run per learning rate
   * @param optimizer Adam (the paper) or SGD
   * @param batchSize pairs per step
   * @param epochs passes over the training sample
   * @param trainSize label-balanced training pairs read from train (0: all)
   * @param valSize label-balanced pairs read from each dev split (0: all)
   * @param subsetSize pairs of each measured subset
   * @param maxLength tokens per pair, special tokens included (longer pairs are truncated)
   * @param seed seeds samples, initial weights and batches
   * @param schedule measurement steps
   * @param device where training and Gram matrices run
   * @param measurement statistics settings
   */
  public record Config(
      List<Double> learningRates,
      Training.OptimizerKind optimizer,
      int batchSize,
      double epochs,
      int trainSize,
      int valSize,
      int subsetSize,
      int maxLength,
      long seed,
      MeasurementSchedule schedule,
      Device device,
      MeasurementSettings measurement) {
    /**
     * @throws IllegalArgumentException for no learning rate or a size out of range
     */
    public Config {
      learningRates = List.copyOf(learningRates);
      if (learningRates.isEmpty()) {
        throw new IllegalArgumentException("no learning rate given");
      }
      for (double lr : learningRates) {
        new Training.Config(optimizer, lr, Math.max(batchSize, 1), seed); // validates lr
      }
      if (batchSize < 1 || trainSize < 0 || valSize < 0 || subsetSize < 2 || maxLength < 4) {
        throw new IllegalArgumentException(
            "need batch >= 1, sizes >= 0, subset >= 2 and max length >= 4");
      }
      if (!(epochs >= 0) || !Double.isFinite(epochs)) {
        throw new IllegalArgumentException("epochs must be >= 0 and finite, got " + epochs);
      }
      Objects.requireNonNull(schedule, "schedule");
      Objects.requireNonNull(device, "device");
      Objects.requireNonNull(measurement, "measurement");
    }
  }

  private final Path mnliDir;
  private final Path tokenizerJson;
  private final ModelChoice model;
  private final Config config;
  private MeasurementTimes times = new MeasurementTimes();

  /** Where the measurements' time went (gradients, products, statistics), after {@code run}. */
  public MeasurementTimes times() {
    return times;
  }

  /**
   * @param mnliDir directory with the GLUE TSV or the MultiNLI 1.0 JSONL files
   * @param tokenizerJson a local {@code tokenizer.json}
   * @param model size from scratch, or a checkpoint
   * @param config training and measurement settings
   */
  public NliExperiment(Path mnliDir, Path tokenizerJson, ModelChoice model, Config config) {
    this.mnliDir = Objects.requireNonNull(mnliDir, "mnliDir");
    this.tokenizerJson = Objects.requireNonNull(tokenizerJson, "tokenizerJson");
    this.model = Objects.requireNonNull(model, "model");
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Reads the data, trains at every learning rate and writes {@code outDir/summary.json} and the
   * matrices.
   *
   * @param outDir the experiment directory (created if missing)
   * @param describe extra configuration to record (command, paths), merged into {@code config}
   * @param listener progress
   */
  public ExperimentSummary run(Path outDir, ObjectNode describe, ExperimentListener listener)
      throws IOException {
    return run(outDir, null, describe, listener);
  }

  /**
   * As {@link #run(Path, ObjectNode, ExperimentListener)}, resumable: the sweep's state is saved to
   * {@code journal} at every measured checkpoint, and a journal that holds an interrupted run of
   * this experiment is continued from, giving bitwise the results of an uninterrupted run.
   *
   * @param journal where the state is kept, or null for a run that cannot be resumed
   */
  public ExperimentSummary run(
      Path outDir, SweepJournal journal, ObjectNode describe, ExperimentListener listener)
      throws IOException {
    Objects.requireNonNull(listener, "listener");
    Files.createDirectories(outDir);
    MnliDirectory files = MnliDirectory.find(mnliDir);
    LOG.info("reading MNLI ({}) from {}", files.format(), files.folder());
    NliPairs train = read(files, MnliSplit.TRAIN, config.trainSize(), config.seed());
    NliPairs matched = read(files, MnliSplit.DEV_MATCHED, config.valSize(), config.seed());
    NliPairs mismatched = read(files, MnliSplit.DEV_MISMATCHED, config.valSize(), config.seed());

    try (PairTokenizer tokenizer =
            PairTokenizer.load(tokenizerJson, config.maxLength(), PairTokenizer.Padding.LONGEST);
        NDManager manager = NDManager.newBaseManager(config.device())) {
      LearningRateSweep.ModelFactory factory = factory(tokenizer);
      Map<String, NliPairs> subsets = new LinkedHashMap<>();
      subsets.put("train", measuredSubset("train", train, listener));
      subsets.put("val", measuredSubset("val", matched, listener));
      subsets.put("val_mismatched", measuredSubset("val_mismatched", mismatched, listener));
      Map<String, Integer> truncated = new LinkedHashMap<>();

      NliTrainingData trainData = new NliTrainingData(train, tokenizer);
      LearningRateSweep.Plan plan =
          LearningRateSweep.Plan.of(
              config.learningRates(),
              config.optimizer(),
              config.batchSize(),
              config.seed(),
              config.epochs(),
              train.size(),
              config.schedule());
      long perEpoch = plan.stepsPerEpoch();
      long totalSteps = plan.totalSteps();
      long[] steps = plan.steps();
      List<ExperimentSummary.Run> runs;
      try (StiffnessMeasurement measurement =
          new StiffnessMeasurement(
              m -> measuredSets(m, subsets, tokenizer, truncated),
              pairings(),
              List.of(new Grouping("genre", genreNames())),
              // From the model inputs, so that a saved checkpoint recomputes it from its arrays.
              new BagOfTokensDistance(tokenizer.specialTokenIds()),
              LABELS,
              config.device(),
              outDir,
              config.measurement())) {
        runs =
            LearningRateSweep.run(
                plan,
                factory,
                manager,
                trainData,
                new NliTrainingData(matched, tokenizer),
                measurement::measure,
                listener,
                journal);
        times = measurement.times();
      }
      ObjectNode c =
          configTree(
              describe,
              files,
              train,
              matched,
              mismatched,
              subsets,
              truncated,
              tokenizer,
              perEpoch,
              totalSteps,
              steps);
      ExperimentSummary summary = new ExperimentSummary(c, runs);
      JsonSummary.write(outDir.resolve("summary.json"), summary);
      return summary;
    }
  }

  private static NliPairs read(MnliDirectory files, MnliSplit split, int size, long seed)
      throws IOException {
    NliPairs pairs =
        size == 0 ? files.split(split).readAll() : files.split(split).readBalanced(size, seed);
    LOG.info(
        "{}: {} pairs ({} lines without a gold label skipped)",
        pairs.source(),
        pairs.size(),
        pairs.skippedWithoutGold());
    if (pairs.size() < LABELS) {
      throw new IllegalArgumentException(
          pairs.source() + ": only " + pairs.size() + " labelled pairs, need at least " + LABELS);
    }
    return pairs;
  }

  /** The measured subset {@code name} of {@code sample}, saying why when it is short. */
  private NliPairs measuredSubset(String name, NliPairs sample, ExperimentListener listener) {
    NliPairs subset = balancedHead(sample, config.subsetSize());
    shortfall(name, sample, subset, config.subsetSize()).ifPresent(listener::notice);
    return subset;
  }

  /**
   * Why the measured subset {@code name} has fewer than the {@code asked} pairs: the labels of
   * which {@code sample} holds fewer than their share, with their counts; empty when nothing is
   * missing.
   */
  static Optional<String> shortfall(String name, NliPairs sample, NliPairs subset, int asked) {
    if (subset.size() >= asked) {
      return Optional.empty();
    }
    int[] share = quotas(asked);
    int[] held = new int[LABELS];
    for (var p : sample.pairs()) {
      held[p.label().index()]++;
    }
    List<String> scarce = new ArrayList<>();
    int scarcePairs = 0;
    for (NliLabel label : NliLabel.values()) {
      if (held[label.index()] < share[label.index()]) {
        scarce.add(held[label.index()] + " " + label.fileName());
        scarcePairs += held[label.index()];
      }
    }
    String last = scarce.remove(scarce.size() - 1);
    String labels = scarce.isEmpty() ? last : String.join(", ", scarce) + " and " + last;
    return Optional.of(
        "the "
            + name
            + " subset has "
            + subset.size()
            + " pairs, not the "
            + asked
            + " asked for: the "
            + sample.size()
            + " pairs read from "
            + sample.source().getFileName()
            + " hold only "
            + labels
            + (scarcePairs == 1 ? " pair" : " pairs"));
  }

  /** Each label's share of {@code m} pairs: {@code m / 3}, the remainder to the first labels. */
  private static int[] quotas(int m) {
    int[] quota = new int[LABELS];
    for (int k = 0; k < LABELS; k++) {
      quota[k] = m / LABELS + (k < m % LABELS ? 1 : 0);
    }
    return quota;
  }

  /**
   * The first pairs of each label, in file order, up to {@code m / 3} per label (the remainder to
   * the first labels); fewer when a label has fewer.
   */
  static NliPairs balancedHead(NliPairs pairs, int m) {
    int[] quota = quotas(m);
    List<NliPair> out = new ArrayList<>();
    for (var p : pairs.pairs()) {
      int k = p.label().index();
      if (quota[k] > 0) {
        quota[k]--;
        out.add(p);
      }
    }
    return new NliPairs(pairs.source(), out, pairs.skippedWithoutGold());
  }

  private List<MeasuredSet> measuredSets(
      NDManager manager,
      Map<String, NliPairs> subsets,
      PairTokenizer tokenizer,
      Map<String, Integer> truncated) {
    List<MeasuredSet> sets = new ArrayList<>();
    long offset = 0;
    for (var e : subsets.entrySet()) {
      NliPairs pairs = e.getValue();
      TokenizedPairs tokens = tokenizer.encode(pairs.premises(), pairs.hypotheses());
      long[] ids = new long[pairs.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = offset + i; // disjoint across sets: no pair of two sets is a self-pair
      }
      offset += ids.length;
      int[] labels = pairs.labels();
      Examples examples =
          Examples.of(e.getKey(), tokens.toNDList(manager), manager.create(labels), ids);
      sets.add(new MeasuredSet(examples, labels, Map.of("genre", pairs.genres())));
      truncated.put(e.getKey(), tokens.truncatedCount());
    }
    return sets;
  }

  private static List<PairingSpec> pairings() {
    List<PairingSpec> out = new ArrayList<>(StiffnessMeasurement.standardPairings());
    out.add(new PairingSpec("train", "val_mismatched"));
    out.add(new PairingSpec("val_mismatched", "val_mismatched"));
    return out;
  }

  private static List<String> genreNames() {
    List<String> names = new ArrayList<>();
    for (Genre g : Genre.values()) {
      names.add(g.fileName());
    }
    return names;
  }

  private LearningRateSweep.ModelFactory factory(PairTokenizer tokenizer) {
    if (model.checkpoint() != null) {
      return manager -> {
        BertCheckpoint.Loaded loaded = BertCheckpoint.load(model.checkpoint(), manager, LABELS);
        requireVocabulary(loaded.config(), tokenizer, model.checkpoint().resolve("config.json"));
        LOG.info(
            "{}: {} tensors loaded, freshly initialised: {}, ignored: {}",
            loaded.report().file(),
            loaded.report().loaded().size(),
            loaded.report().freshlyInitialised(),
            loaded.report().ignored().size());
        return loaded.model();
      };
    }
    BertConfig size =
        model
            .size()
            .withVocabSize(tokenizer.vocabularySize())
            .withLabels(LABELS)
            .withMaxPositions(Math.max(model.size().maxPositions(), config.maxLength()));
    return manager -> {
      BertClassifier b = new BertClassifier(size);
      b.initialize(manager);
      return b;
    };
  }

  private static void requireVocabulary(BertConfig c, PairTokenizer tokenizer, Path file) {
    if (c.vocabSize() < tokenizer.vocabularySize()) {
      throw new IllegalArgumentException(
          file
              + ": vocab_size "
              + c.vocabSize()
              + " is smaller than the tokenizer's vocabulary ("
              + tokenizer.vocabularySize()
              + "): the tokenizer does not belong to this checkpoint");
    }
  }

  private ObjectNode configTree(
      ObjectNode describe,
      MnliDirectory files,
      NliPairs train,
      NliPairs matched,
      NliPairs mismatched,
      Map<String, NliPairs> subsets,
      Map<String, Integer> truncated,
      PairTokenizer tokenizer,
      long perEpoch,
      long totalSteps,
      long[] steps) {
    ObjectNode c = JsonSummary.mapper().createObjectNode();
    if (describe != null) {
      c.setAll(describe.deepCopy());
    }
    c.put("dataset", "mnli");
    c.put("mnli_format", files.format().name().toLowerCase(Locale.ROOT));
    c.put("mnli_dir", files.folder().toAbsolutePath().toString());
    c.put("tokenizer", tokenizerJson.toAbsolutePath().toString());
    c.put("vocabulary_size", tokenizer.vocabularySize());
    c.put("max_length", config.maxLength());
    if (model.checkpoint() != null) {
      c.put("bert_checkpoint", model.checkpoint().toAbsolutePath().toString());
    } else {
      c.put("model_size", model.sizeName());
      c.put("initializer_range", model.size().initializerRange());
    }
    c.put("train_size", train.size());
    c.put("val_size", matched.size());
    c.put("val_mismatched_size", mismatched.size());
    ObjectNode skipped = c.putObject("skipped_without_gold_label");
    skipped.put("train", train.skippedWithoutGold());
    skipped.put("dev_matched", matched.skippedWithoutGold());
    skipped.put("dev_mismatched", mismatched.skippedWithoutGold());
    c.put("classes", LABELS);
    ArrayNode names = c.putArray("class_names");
    for (NliLabel l : NliLabel.values()) {
      names.add(l.fileName());
    }
    ObjectNode groupings = c.putObject("groupings");
    ArrayNode genres = groupings.putArray("genre");
    genreNames().forEach(genres::add);
    ObjectNode sizes = c.putObject("subset_sizes");
    subsets.forEach((k, v) -> sizes.put(k, v.size()));
    c.put("train_subset_size", subsets.get("train").size());
    c.put("val_subset_size", subsets.get("val").size());
    ObjectNode cut = c.putObject("truncated_pairs_in_subsets");
    truncated.forEach(cut::put);
    c.put("input_distance", "cosine distance of bag-of-token counts, special tokens excluded");
    LearningRateSweep.describe(
        c,
        config.learningRates(),
        config.optimizer(),
        config.batchSize(),
        config.epochs(),
        config.seed(),
        perEpoch,
        totalSteps,
        config.schedule(),
        steps,
        config.device(),
        config.measurement());
    return c;
  }
}
