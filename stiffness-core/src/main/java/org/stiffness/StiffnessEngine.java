package org.stiffness;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stiffness.gradients.Checkpoint;
import org.stiffness.gradients.Examples;
import org.stiffness.gradients.GradientExtractor;
import org.stiffness.gradients.PerExampleLoss;
import org.stiffness.gradients.SoftmaxCrossEntropy;
import org.stiffness.gradients.internal.BatchOfOneExtractor;
import org.stiffness.gradients.internal.LayerSelection;
import org.stiffness.gradients.internal.ProbeExtractor;
import org.stiffness.gradients.rules.GradientRules;
import org.stiffness.gram.GramMatrix;
import org.stiffness.gram.GramOptions;
import org.stiffness.gram.GramProgress;
import org.stiffness.gram.GramReport;
import org.stiffness.gram.MemoryBudget;
import org.stiffness.gram.PhaseTiming;
import org.stiffness.gram.Tf32Override;
import org.stiffness.gram.TileConsumer;
import org.stiffness.gram.TilePlan;
import org.stiffness.gram.TileSource;
import org.stiffness.gram.internal.TiledGram;
import org.stiffness.gram.internal.WeightedExtractor;
import org.stiffness.jobs.ConfigurationHash;
import org.stiffness.jobs.InMemorySums;
import org.stiffness.jobs.PairingTiles;
import org.stiffness.jobs.Shard;
import org.stiffness.jobs.TilePipeline;
import org.stiffness.stats.tiles.PairingStatistics;
import org.stiffness.stats.tiles.StatisticsSpec;
import org.stiffness.stats.tiles.TileReducer;

/**
 * Exact Gram matrices of per-example loss gradients of a frozen DJL model, the input of every
 * stiffness statistic.
 *
 * <p>The engine computes with its own copy of the model's parameters on its device, made when it is
 * built; every computation first compares that copy with the model's current values and takes over
 * those that changed (one pass over the parameters), so an engine kept across further training
 * measures the model as it is now. A parameter whose shape or type changed is refused: build a new
 * engine for a new model. Not thread-safe, and one engine computes at a time in a process: DJL's
 * PyTorch engine allows one open gradient collector per process, whatever the thread (a second is
 * refused with an {@code IllegalStateException}), so parallel work takes one process per device
 * (docs/scale-out.md).
 *
 * <pre>{@code
 * try (StiffnessEngine engine = StiffnessEngine.builder(model).device(Device.cpu()).build()) {
 *   GramMatrix k = engine.gram(train);        // train-train, symmetric
 *   GramMatrix kv = engine.gram(train, val);  // train-val
 * }
 * }</pre>
 */
public final class StiffnessEngine implements AutoCloseable, TilePipeline.Engine {
  private static final Logger LOG = LoggerFactory.getLogger(StiffnessEngine.class);

  private final Device device;
  private final Block model;
  private final String fallbackReason;
  private final List<GradientExtractor> extractors;

  /** Checkpoints given: the engine computes at their parameters, never the model's current ones. */
  private final boolean atCheckpoints;

  /** SHA-256 of each checkpoint's parameter values as loaded, in order (empty without any). */
  private final List<String> checkpointHashes = new ArrayList<>();

  private final LayerSelection layers;
  private final TiledGram tiled;
  private final GramProgress progress;
  private final NDManager manager;
  private GramReport lastReport;

  private StiffnessEngine(Builder builder) {
    this.device = builder.device;
    this.progress = builder.progress;
    Block model = builder.model;
    this.model = model;
    if (!model.isInitialized()) {
      throw new IllegalStateException(
          "the model is not initialised: call block.initialize(manager, DataType.FLOAT32,"
              + " inputShape) or load its parameters first");
    }
    Validation.requireFiniteParameters(model);
    Tf32Override.check(device, builder.options.precision(), builder.environment);
    // The rules as they are now: a later register on the caller's registry must not change what
    // this engine computes (nor the path it chose).
    GradientRules rules = builder.rules.copy();
    // Frozen from here to close(): the extractors and rules read trainability at every pass.
    this.layers = LayerSelection.of(model, builder.layers);
    try {
      String reason = ProbeExtractor.unsupportedReason(model, rules);
      this.fallbackReason = builder.method == GradientMethod.AUTO ? reason : null;
      if (reason != null && builder.method == GradientMethod.AUTO) {
        LOG.warn("falling back to the batch-of-one gradient loop: {}", reason);
      }
      this.atCheckpoints = !builder.checkpoints.isEmpty();
      List<WeightedExtractor> terms =
          atCheckpoints
              ? checkpointTerms(builder, rules, reason, checkpointHashes)
              : List.of(new WeightedExtractor(extractor(builder, rules, reason, false), 1f));
      this.extractors = terms.stream().map(WeightedExtractor::extractor).toList();
      this.tiled = new TiledGram(terms, builder.options, device, builder.budgets, builder.timing);
    } catch (RuntimeException e) {
      layers.close();
      throw e;
    }
    this.manager = NDManager.newBaseManager(device);
  }

  /**
   * One extractor per checkpoint, each on a frozen copy of the checkpoint's parameters, weighted by
   * its {@code w_k}; the model's own values are put back afterwards.
   *
   * @param hashes receives the SHA-256 of each checkpoint's parameter values, in order
   */
  private static List<WeightedExtractor> checkpointTerms(
      Builder b, GradientRules rules, String reason, List<String> hashes) {
    Checkpoint current = Checkpoint.snapshot("the model's own values", 1, b.model);
    List<WeightedExtractor> terms = new ArrayList<>();
    try {
      for (Checkpoint c : b.checkpoints) {
        try {
          c.loadInto(b.model);
        } catch (IOException | MalformedModelException | RuntimeException e) {
          throw new IllegalArgumentException(
              "checkpoint '" + c.name() + "' could not be loaded into the model: " + e.getMessage(),
              e);
        }
        try {
          Validation.requireFiniteParameters(b.model);
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("checkpoint '" + c.name() + "': " + e.getMessage(), e);
        }
        hashes.add(parameterHash(b.model));
        terms.add(new WeightedExtractor(extractor(b, rules, reason, true), (float) c.weight()));
      }
      return terms;
    } catch (RuntimeException e) {
      terms.forEach(t -> t.extractor().close());
      throw e;
    } finally {
      try {
        current.loadInto(b.model);
      } catch (IOException | MalformedModelException e) {
        throw new IllegalStateException(e); // a snapshot reads no file and fits its own model
      }
    }
  }

  /** SHA-256 of a model's parameters: each one's name, dtype, shape and values, in model order. */
  private static String parameterHash(Block model) {
    ConfigurationHash hash = new ConfigurationHash();
    for (Pair<String, Parameter> p : model.getParameters()) {
      hash.array(p.getKey(), p.getValue().getArray());
    }
    return hash.hex();
  }

  /**
   * @param ownStorage parameter copies that share no storage with the model's arrays (a
   *     checkpoint's, before the next is loaded into them)
   */
  private static GradientExtractor extractor(
      Builder b, GradientRules rules, String reason, boolean ownStorage) {
    switch (b.method) {
      case GENERIC:
        return new BatchOfOneExtractor(b.model, b.loss, b.device, ownStorage);
      case PROBE:
        return new ProbeExtractor(b.model, b.loss, rules, b.device, ownStorage);
      default:
        if (reason == null) {
          return new ProbeExtractor(b.model, b.loss, rules, b.device, ownStorage);
        }
        return new BatchOfOneExtractor(b.model, b.loss, b.device, ownStorage);
    }
  }

  /** A builder for the given initialised model. */
  public static Builder builder(Block model) {
    return new Builder(model);
  }

  /**
   * {@code K = G_X G_X^T} (train-train or val-val), computed on the upper triangle of tiles. Rows
   * and columns are the same examples ({@link GramMatrix#rowExamples()}), so the diagonal pairs are
   * self-pairs.
   *
   * @throws IllegalArgumentException when an input is not finite or an id is given to two examples
   */
  public GramMatrix gram(Examples x) {
    Validation.requireFiniteInputs(x);
    currentParameters();
    GramMatrix k = tiled.compute(x, manager, progress);
    lastReport = tiled.lastReport();
    return k;
  }

  /**
   * {@code K = G_X G_Y^T} (for example train-val), knowing the ids and labels of both sets. A pair
   * is a self-pair exactly when its two examples have the same id: none for two sets made by {@link
   * Examples#of(NDArray, NDArray)}, every shared example for sets given shared ids.
   *
   * @throws IllegalArgumentException when an input is not finite, the sets' example shapes differ
   *     or a set gives one id to two examples
   */
  public GramMatrix gram(Examples x, Examples y) {
    if (x == y) {
      return gram(x);
    }
    Validation.requireFiniteInputs(x);
    Validation.requireFiniteInputs(y);
    requireSameExampleShapes(x, y);
    currentParameters();
    GramMatrix k = tiled.compute(x, y, manager, progress);
    lastReport = tiled.lastReport();
    return k;
  }

  /**
   * The stiffness statistics of {@code K = G_X G_Y^T} ({@code y == x}: X = X, the upper triangle of
   * tiles) without the matrix: each tile is reduced to sums where it is computed (on its device)
   * and freed, so memory follows the tiles, not N x M. The same statistics as {@code
   * PairStiffness}, {@code ClassStiffness}, {@code DistanceProfile} and {@code CriticalLength} on
   * the full matrices, up to the order of float64 additions.
   *
   * <p>This is the {@link TilePipeline} of a sharded measurement run as shard 0 of 1 into {@link
   * InMemorySums}: the sums are added in the order a merge of shards adds them, so both give the
   * same bits. Give the same {@code spec} again for the same pairing at a later checkpoint: the
   * reduction may keep per-tile data in it.
   *
   * @param spec ids, labels and groupings of both sets (in their order), input distances and
   *     options
   */
  public PairingStatistics statistics(Examples x, Examples y, StatisticsSpec spec) {
    return statistics(x, y, spec, tile -> {});
  }

  /**
   * {@link #statistics(Examples, Examples, StatisticsSpec)}, handing each tile to {@code alsoEach}
   * after its reduction (e.g. to write the pair matrices tile by tile, or to save the tiles).
   */
  public PairingStatistics statistics(
      Examples x, Examples y, StatisticsSpec spec, TileConsumer alsoEach) {
    Validation.requireFiniteInputs(x);
    if (x != y) {
      Validation.requireFiniteInputs(y);
      requireSameExampleShapes(x, y);
    }
    if (spec.rows().size() != x.size() || spec.cols().size() != y.size()) {
      throw new IllegalArgumentException(
          "the statistics are for "
              + spec.rows().size()
              + " x "
              + spec.cols().size()
              + " examples, the sets '"
              + x.name()
              + "' x '"
              + y.name()
              + "' have "
              + x.size()
              + " x "
              + y.size());
    }
    TilePlan plan = tiled.tilePlan(x, y, manager);
    PairingTiles pairing = new PairingTiles(x.name() + "-" + y.name(), plan, x, y, spec);
    InMemorySums sums = new InMemorySums(List.of(pairing), tiled.normTolerance(x, y, manager));
    TilePipeline.Report report;
    try {
      report =
          new TilePipeline(this).run(List.of(pairing), Shard.ALL, sums.andThen(alsoEach), progress);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // memory does not fail to take sums; no file is written
    }
    lastReport = report.computations().get(pairing.key());
    return sums.finish(pairing);
  }

  /**
   * How far two tiles' values of one example's squared gradient norm may differ, relative to its
   * squared error scale: 0 on a CPU, whose kernels give the same bits every time; within the fp32
   * bound of the products on a GPU ({@link org.stiffness.gram.ExampleNorms#tolerance}), whose
   * libraries may pick other algorithms for a block computed again.
   *
   * @param y the column examples, {@code x} itself for X = X
   */
  public double normTolerance(Examples x, Examples y) {
    return tiled.normTolerance(x, y, manager);
  }

  /**
   * The reducer {@link #statistics} (and every shard of a sharded measurement) uses for the tiles
   * of {@code plan} on this engine's device: row chunks of {@link TileReducer#chunkBytes} for the
   * device and budget (counted in the plan), and a spec's {@link
   * org.stiffness.stats.tiles.DistanceCache} may hold what the memory budget leaves beside the
   * plan.
   */
  @Override
  public TileReducer reducer(TilePlan plan) {
    return new TileReducer(tiled.statisticsChunkBytes(), tiled.roomBeside(plan));
  }

  /**
   * The tiles {@link #gram(Examples)} cuts {@code K = G_X G_X^T} into: same block and pass sizes.
   * Deterministic when the options fix the memory budget.
   */
  public TilePlan tilePlan(Examples x) {
    return tiled.tilePlan(x, x, manager);
  }

  /** The tiles {@link #gram(Examples, Examples)} cuts {@code K = G_X G_Y^T} into. */
  public TilePlan tilePlan(Examples x, Examples y) {
    if (x != y) {
      requireSameExampleShapes(x, y);
    }
    return tiled.tilePlan(x, y, manager);
  }

  /**
   * Computes chosen tiles of a plan (possibly made in another process), bitwise equal to the same
   * tiles of {@link #gram}; close it when done. The computation is the engine's own tile loop, seen
   * through its public face {@link TileSource}: the statistics pipeline ({@link TilePipeline}) and
   * sharded measurements drive it, anything else wants {@link #gram} or {@link #statistics}.
   *
   * @param y the column examples, {@code x} itself for a symmetric plan
   */
  @Override
  public TileSource tiles(TilePlan plan, Examples x, Examples y) {
    Validation.requireFiniteInputs(x);
    if (x != y) {
      Validation.requireFiniteInputs(y);
      requireSameExampleShapes(x, y);
    }
    currentParameters();
    return tiled.tiles(plan, x, y, manager);
  }

  /**
   * Takes over the model's parameter values that changed since the last computation (a model
   * trained further while the engine was kept), checked finite first as at build, so a refused
   * model leaves the copies as they were.
   */
  private void currentParameters() {
    if (atCheckpoints) {
      return; // the checkpoints' parameters were copied at build; the model's own do not count
    }
    Validation.requireFiniteParameters(model);
    int changed = extractors.get(0).refreshParameters();
    if (changed > 0) {
      LOG.info(
          "the model's parameters changed since the engine last used them ({} arrays);"
              + " measuring their current values",
          changed);
    }
  }

  private static void requireSameExampleShapes(Examples x, Examples y) {
    if (x.inputs().size() != y.inputs().size()) {
      throw new IllegalArgumentException(
          "'"
              + x.name()
              + "' has "
              + x.inputs().size()
              + " model inputs, '"
              + y.name()
              + "' has "
              + y.inputs().size());
    }
    for (int k = 0; k < x.inputs().size(); k++) {
      Shape a = x.inputs().get(k).getShape().slice(1);
      Shape b = y.inputs().get(k).getShape().slice(1);
      NDArray first = x.inputs().get(k);
      boolean sequence = first.getShape().dimension() == 2 && !first.getDataType().isFloating();
      if (!a.equals(b) && !sequence) {
        throw new IllegalArgumentException(
            "examples of '"
                + x.name()
                + "' have shape "
                + a
                + " but those of '"
                + y.name()
                + "' have shape "
                + b
                + " (input "
                + k
                + ")");
      }
    }
  }

  /**
   * The SHA-256 of each {@linkplain Builder#checkpoints checkpoint}'s parameter values as they were
   * loaded (names, dtypes, shapes and values in the model's order), in the checkpoints' order;
   * empty when the engine computes at the model's own parameters. What the checkpoints are, not
   * what they are called: results of separate processes combine only when these agree.
   */
  public List<String> checkpointHashes() {
    return List.copyOf(checkpointHashes);
  }

  /** Name of the gradient method in use ("probe" or "generic"). */
  public String method() {
    return extractors.get(0).name();
  }

  /**
   * Why {@link GradientMethod#AUTO} fell back to the batch-of-one loop, naming the first layer at
   * fault (the line the engine logs); null when the engine is on the probe path or the method was
   * chosen explicitly.
   */
  public String fallbackReason() {
    return fallbackReason;
  }

  /** The device the engine computes on. */
  public Device device() {
    return device;
  }

  /** What the last {@link #gram} or {@link #statistics} call computed, or null before any. */
  public GramReport lastReport() {
    return lastReport;
  }

  @Override
  public void close() {
    extractors.forEach(GradientExtractor::close);
    manager.close();
    layers.close();
  }

  /** Configures a {@link StiffnessEngine}. */
  public static final class Builder {
    private final Block model;
    private Device device = Device.cpu();
    private PerExampleLoss loss = new SoftmaxCrossEntropy();
    private GradientRules rules = GradientRules.defaults();
    private GradientMethod method = GradientMethod.AUTO;
    private GramOptions options = GramOptions.defaults();
    private GramProgress progress = GramProgress.NONE;
    private MemoryBudget.Defaults budgets = MemoryBudget.processDefaults();
    private Map<String, String> environment = System.getenv();
    private PhaseTiming timing = PhaseTiming.off();
    private List<Checkpoint> checkpoints = List.of();
    private List<String> layers = List.of();

    private Builder(Block model) {
      this.model = Objects.requireNonNull(model, "model");
    }

    /** Where gradients and products are computed (default: CPU). */
    public Builder device(Device value) {
      this.device = Objects.requireNonNull(value, "device");
      return this;
    }

    /** The per-example loss (default: softmax cross-entropy). */
    public Builder loss(PerExampleLoss value) {
      this.loss = Objects.requireNonNull(value, "loss");
      return this;
    }

    /**
     * Per-layer gradient rules (default: {@link GradientRules#defaults()}); {@link #build()} takes
     * a copy, so registering on {@code value} later changes no engine already built.
     */
    public Builder rules(GradientRules value) {
      this.rules = Objects.requireNonNull(value, "rules");
      return this;
    }

    /** Gradient method (default: AUTO). */
    public Builder method(GradientMethod value) {
      this.method = Objects.requireNonNull(value, "method");
      return this;
    }

    /** Budget, precision, strategy and block size (default: {@link GramOptions#defaults()}). */
    public Builder options(GramOptions value) {
      this.options = Objects.requireNonNull(value, "options");
      return this;
    }

    /**
     * Where the default memory budget comes from when the options set none (default: the process's,
     * read once per device; tests give a fake source).
     */
    public Builder defaultBudgets(MemoryBudget.Defaults value) {
      this.budgets = Objects.requireNonNull(value, "defaults");
      return this;
    }

    /**
     * The environment the process was started with (default: {@code System.getenv()}): on a GPU,
     * fp32 is refused unless it says that TF32 is off ({@code NVIDIA_TF32_OVERRIDE=0}, no {@code
     * TORCH_ALLOW_TF32_CUBLAS_OVERRIDE}); NVIDIA's libraries read those variables themselves when
     * they start, so give what they saw (tests give a fake one).
     */
    public Builder environment(Map<String, String> value) {
      this.environment = Map.copyOf(Objects.requireNonNull(value, "environment"));
      return this;
    }

    /**
     * Whether the gradients / products split of {@link #lastReport()} is true on a GPU (default:
     * {@link PhaseTiming#off()}, the fastest run): {@link PhaseTiming#synced()} ends each block's
     * extraction and each tile's product with a one-element read-back (see {@link PhaseTiming}).
     */
    public Builder timing(PhaseTiming value) {
      this.timing = Objects.requireNonNull(value, "timing");
      return this;
    }

    /**
     * Computes at saved checkpoints instead of the model's current parameters: {@code K = sum_k w_k
     * G_k G_k^T}, with {@code G_k} the per-example gradients at checkpoint k and {@code w_k} its
     * {@link Checkpoint#weight()} (TracInCP's kernel; {@code org.stiffness.influence.TracIn}
     * reduces it). Each tile is computed once for all checkpoints: every (checkpoint, layer) is one
     * more term of it, and the squared norms are {@code sum_k w_k |g_k|^2}. {@link #build()} loads
     * each checkpoint into the model once and keeps a frozen copy of its parameters on the device
     * (K copies of the model's parameters, beside the memory budget), then puts the model's own
     * values back. Empty (the default): the model's current parameters, as without this option.
     */
    public Builder checkpoints(List<Checkpoint> value) {
      this.checkpoints = List.copyOf(value);
      return this;
    }

    /**
     * Restricts the per-example gradients to the parameters of these layers, as Captum's {@code
     * layers}: a block path as DJL names children ({@code 03Linear}, {@code
     * 02SequentialBlock_01Linear}, or with {@code /} as the engine's messages write paths) or one
     * parameter's DJL name ({@code 03Linear_weight}). The other parameters of the model are frozen
     * while the engine is open (frozen layers need no gradient rule) and made trainable again by
     * {@link StiffnessEngine#close()}. Empty (the default): every trainable parameter.
     *
     * <p>{@link #build()} throws an {@code IllegalArgumentException} naming a layer that is not a
     * block or parameter of the model, with the model's layers.
     */
    public Builder layers(List<String> value) {
      this.layers = List.copyOf(value);
      return this;
    }

    /** Tile progress callback. */
    public Builder progress(GramProgress value) {
      this.progress = Objects.requireNonNull(value, "progress");
      return this;
    }

    /** The engine; the rule registry is copied, later changes to it do not reach this engine. */
    public StiffnessEngine build() {
      return new StiffnessEngine(this);
    }
  }
}
