package org.stiffness.influence;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.stiffness.GradientMethod;
import org.stiffness.StiffnessEngine;
import org.stiffness.gradients.Checkpoint;
import org.stiffness.gradients.Examples;
import org.stiffness.gradients.PerExampleLoss;
import org.stiffness.gradients.SoftmaxCrossEntropy;
import org.stiffness.gradients.rules.GradientRules;
import org.stiffness.gram.DeviceTile;
import org.stiffness.gram.GramOptions;
import org.stiffness.gram.GramProgress;
import org.stiffness.gram.GramReport;
import org.stiffness.gram.TilePlan;
import org.stiffness.gram.TileSource;
import org.stiffness.jobs.ConfigurationHash;
import org.stiffness.jobs.Shard;

/**
 * Exact TracInCP (Pruthi et al. 2020) of a training set on a test set, from your own checkpoints:
 * {@code TracIn(z, z') = sum_k w_k g_k(z) . g_k(z')}, with {@code g_k} the per-example loss
 * gradient at checkpoint k over all parameters (or the chosen {@link Builder#layers}) and {@code
 * w_k} its weight.
 *
 * <p>The sum over checkpoints is itself one Gram matrix, {@code K = sum_k w_k G_k G_k^T}, which the
 * engine computes tile by tile under its memory budget, each tile once for all checkpoints ({@link
 * StiffnessEngine.Builder#checkpoints}). Rows are training examples, columns test examples; each
 * tile is reduced where it lies to the test examples' top-k proponents and opponents and the
 * training examples' row sums, then freed: the N x M matrix never exists, and memory beyond the
 * tiles is {@code O((N + M) k)}. The test examples' operands (all checkpoints) stay cached while
 * the budget allows and training blocks stream past them. See {@link InfluenceResult} for what is
 * computed and how ties are broken.
 *
 * <pre>{@code
 * List<Checkpoint> checkpoints = List.of(
 *     Checkpoint.snapshot("step=100", 0.1 * 100, model),  // taken while training
 *     Checkpoint.of("step=200", 0.1 * 100, m -> m.loadParameters(manager, in))); // a .params file
 * try (TracIn tracIn = TracIn.builder(model).checkpoints(checkpoints).topK(10).build()) {
 *   InfluenceResult r = tracIn.influence(train, test);
 *   int[] helpers = r.proponents(0);      // training indices, largest score first
 *   double[] self = r.selfInfluence();    // rank these to find mislabelled examples
 * }
 * }</pre>
 *
 * <p>Shards: {@link #shard} computes shard i of n of the tile plan ({@link Shard}: tiles i, i + n,
 * ...), {@link InfluenceShard#write} saves it, and {@link #merge} (or {@link InfluenceShard#merge}
 * without the check that the shards are of this computation) joins the n shards into the result one
 * process gives, bit for bit.
 */
public final class TracIn implements AutoCloseable {
  /**
   * Test hooks that damage the computation on purpose, so that tests can show the oracle
   * comparisons notice: a tile left out, a checkpoint's weight taken as 1.
   */
  static final class Faults {
    static volatile int dropTile = -1;
    static volatile int ignoreWeightOf = -1;

    private Faults() {}
  }

  private final StiffnessEngine engine;
  private final List<Checkpoint> checkpoints;
  private final List<String> layers;
  private final int k;
  private final GramProgress progress;
  private final String description;
  private GramReport lastReport;

  private TracIn(Builder b) {
    if (b.checkpoints.isEmpty()) {
      throw new IllegalArgumentException(
          "TracIn needs at least one checkpoint (Builder.checkpoints)");
    }
    this.checkpoints = b.checkpoints;
    this.layers = b.layers;
    this.k = b.k;
    this.progress = b.progress;
    List<Checkpoint> terms = new ArrayList<>(checkpoints);
    int ignored = Faults.ignoreWeightOf;
    if (ignored >= 0 && ignored < terms.size()) {
      Checkpoint c = terms.get(ignored);
      terms.set(ignored, Checkpoint.of(c.name(), 1, c::loadInto));
    }
    this.engine = b.engine.checkpoints(terms).layers(layers).build();
    this.description =
        engine.method() + ";" + b.options + ";" + b.loss.getClass().getName() + ";" + b.device;
  }

  /** A builder for an initialised model of the checkpoints' architecture. */
  public static Builder builder(Block model) {
    return new Builder(model);
  }

  /**
   * TracIn of every training example on every test example, in this process (shard 0 of 1, merged:
   * the same code and bits as a sharded run).
   *
   * @param train the training examples, the rows
   * @param test the test examples, the columns ({@code train} itself for train x train)
   * @throws IllegalArgumentException when an input is not finite, the sets' shapes differ or a set
   *     gives one id to two examples
   */
  public InfluenceResult influence(Examples train, Examples test) {
    return InfluenceShard.merge(List.of(shard(train, test, Shard.ALL)));
  }

  /**
   * The tiles of shard {@code shard} of the computation, reduced: write it with {@link
   * InfluenceShard#write} and merge the n shards with {@link InfluenceShard#merge}. Every shard
   * must be computed with the same settings and memory budget (give the options a fixed budget: the
   * default follows the free memory, which differs between processes).
   */
  public InfluenceShard shard(Examples train, Examples test, Shard shard) {
    TilePlan plan = tilePlan(train, test);
    int listLength = Math.min(k, train.size());
    double[] weights = checkpoints.stream().mapToDouble(Checkpoint::weight).toArray();
    List<String> names = checkpoints.stream().map(Checkpoint::name).toList();
    InfluenceShard.Setting setting =
        new InfluenceShard.Setting(
            plan, listLength, names, weights, layers, configHash(plan, listLength, train, test));
    InfluenceShard out = new InfluenceShard(setting, shard);
    int ofShard = 0;
    for (TilePlan.Tile t : plan.tiles()) {
      ofShard += shard.holds(t.index()) ? 1 : 0;
    }
    long done = 0;
    long consumerNanos = 0;
    try (TileSource tiles = engine.tiles(plan, train, test)) {
      for (TilePlan.Tile t : plan.tiles()) {
        if (!shard.holds(t.index())) {
          continue;
        }
        try (DeviceTile tile = tiles.deviceTile(t.index())) {
          if (t.index() == Faults.dropTile) {
            tile.values().muli(0); // its contribution lost
          }
          long start = System.nanoTime();
          out.add(tile);
          consumerNanos += System.nanoTime() - start;
        }
        progress.tilesDone(++done, ofShard);
      }
      lastReport = tiles.report(consumerNanos * 1e-9);
    }
    return out;
  }

  /**
   * The tiles the computation is cut into (rows: training examples, columns: test examples); the
   * same in every process when the options fix the memory budget.
   */
  public TilePlan tilePlan(Examples train, Examples test) {
    return train == test ? engine.tilePlan(train) : engine.tilePlan(train, test);
  }

  private String configHash(TilePlan plan, int listLength, Examples train, Examples test) {
    ConfigurationHash hash =
        new ConfigurationHash()
            .text("format", InfluenceShard.FORMAT)
            .text("plan", plan.toString())
            .ints("k", new int[] {listLength})
            .text("engine", description)
            .text("layers", String.join("\n", layers))
            .longs("train ids", train.ids())
            .array("train labels", train.labels())
            .longs("test ids", test.ids())
            .array("test labels", test.labels());
    for (NDArray input : train.inputs()) {
      hash.array("train inputs", input);
    }
    for (NDArray input : test.inputs()) {
      hash.array("test inputs", input);
    }
    List<String> parameters = engine.checkpointHashes();
    for (int c = 0; c < checkpoints.size(); c++) {
      Checkpoint checkpoint = checkpoints.get(c);
      hash.text("checkpoint", checkpoint.name())
          .longs("weight", new long[] {Double.doubleToLongBits(checkpoint.weight())})
          .text("parameters", parameters.get(c));
    }
    return hash.hex();
  }

  /**
   * Joins the n shards of this very computation, computed by other processes ({@link #shard} and
   * {@link InfluenceShard#write}, read back with {@link InfluenceShard#readAll}), into the result
   * {@link #influence} gives here, bit for bit. A shard counts as this computation's only when its
   * configuration hash is this one's: the same tile plan (so the same memory budget), k, layers,
   * engine options, training and test inputs, ids and labels, and checkpoints by name, weight and
   * parameter values (a process that trained to other weights is found out, not merged).
   *
   * @throws IllegalArgumentException naming the first shard of another computation, or (from {@link
   *     InfluenceShard#merge}) missing or repeated shards
   */
  public InfluenceResult merge(Examples train, Examples test, List<InfluenceShard> shards) {
    TilePlan plan = tilePlan(train, test);
    String expected = configHash(plan, Math.min(k, train.size()), train, test);
    for (InfluenceShard s : shards) {
      if (!s.configHash().equals(expected)) {
        throw new IllegalArgumentException(
            "influence shard "
                + s.shard()
                + " was computed with another configuration (hash "
                + s.configHash()
                + ", this run's is "
                + expected
                + "; its plan "
                + s.plan()
                + ", this run's "
                + plan
                + "): other data, checkpoint parameters, weights, layers, top-k, options or memory"
                + " budget");
      }
    }
    return InfluenceShard.merge(shards);
  }

  /** The checkpoints summed over, in order. */
  public List<Checkpoint> checkpoints() {
    return checkpoints;
  }

  /** The gradient method the engine chose ("probe" or "generic"). */
  public String method() {
    return engine.method();
  }

  /**
   * What the last {@link #influence} or {@link #shard} computed (block size, tiles, extractions,
   * seconds in gradients, products and the reduction); null before any.
   */
  public GramReport lastReport() {
    return lastReport;
  }

  /** Frees the checkpoints' parameter copies and makes frozen layers trainable again. */
  @Override
  public void close() {
    engine.close();
  }

  /** Configures a {@link TracIn}. */
  public static final class Builder {
    private final StiffnessEngine.Builder engine;
    private List<Checkpoint> checkpoints = List.of();
    private List<String> layers = List.of();
    private int k = 10;
    private GramProgress progress = GramProgress.NONE;
    private GramOptions options = GramOptions.defaults();
    private PerExampleLoss loss;
    private Device device = Device.cpu();

    private Builder(Block model) {
      this.engine = StiffnessEngine.builder(model);
      this.loss = new SoftmaxCrossEntropy();
    }

    /**
     * The checkpoints to sum over, each with its weight {@code w_k} (required, at least one). The
     * model's own parameter values are not used, and are as before once {@link #build()} returns.
     */
    public Builder checkpoints(List<Checkpoint> value) {
      this.checkpoints = List.copyOf(value);
      return this;
    }

    /**
     * Restricts the gradients to these layers (Captum's {@code layers}); see {@link
     * StiffnessEngine.Builder#layers}. A name that is not a layer of the model makes {@link
     * #build()} throw an {@code IllegalArgumentException} naming it and the model's layers.
     */
    public Builder layers(List<String> value) {
      this.layers = List.copyOf(value);
      return this;
    }

    /** Proponents and opponents kept per test example (default 10; at most N are kept). */
    public Builder topK(int value) {
      if (value < 1) {
        throw new IllegalArgumentException("top-k must be at least 1, got " + value);
      }
      this.k = value;
      return this;
    }

    /** Where gradients and products are computed (default: CPU). */
    public Builder device(Device value) {
      this.device = Objects.requireNonNull(value, "device");
      engine.device(value);
      return this;
    }

    /** Memory budget, precision, strategy and block size (default {@link GramOptions#defaults}). */
    public Builder options(GramOptions value) {
      this.options = Objects.requireNonNull(value, "options");
      engine.options(value);
      return this;
    }

    /** The per-example loss (default: softmax cross-entropy). */
    public Builder loss(PerExampleLoss value) {
      this.loss = Objects.requireNonNull(value, "loss");
      engine.loss(value);
      return this;
    }

    /** Per-layer gradient rules (default: {@link GradientRules#defaults()}). */
    public Builder rules(GradientRules value) {
      engine.rules(value);
      return this;
    }

    /** Gradient method (default: AUTO). */
    public Builder method(GradientMethod value) {
      engine.method(value);
      return this;
    }

    /**
     * Told {@code (tiles done, tiles of the shard)} after every tile, from the computing thread
     * (the CLI turns it into a progress bar).
     */
    public Builder progress(GramProgress value) {
      this.progress = Objects.requireNonNull(value, "progress");
      return this;
    }

    /**
     * The engine: loads every checkpoint into the model once and keeps a frozen copy of its
     * parameters on the device.
     *
     * @throws IllegalArgumentException without checkpoints, for a checkpoint that cannot be loaded
     *     or has non-finite parameters, or a layer the model does not have (each named)
     */
    public TracIn build() {
      return new TracIn(this);
    }
  }
}
