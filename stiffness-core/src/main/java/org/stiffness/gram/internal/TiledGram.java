package org.stiffness.gram.internal;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.stiffness.gradients.DenseGradient;
import org.stiffness.gradients.Examples;
import org.stiffness.gradients.GradientExtractor;
import org.stiffness.gradients.IndexedRowGradient;
import org.stiffness.gradients.LayerGradient;
import org.stiffness.gradients.OuterProductGradient;
import org.stiffness.gram.DeviceTile;
import org.stiffness.gram.ExampleNorms;
import org.stiffness.gram.GramMatrix;
import org.stiffness.gram.GramOptions;
import org.stiffness.gram.GramProgress;
import org.stiffness.gram.GramReport;
import org.stiffness.gram.GramSide;
import org.stiffness.gram.MemoryBudget;
import org.stiffness.gram.PhaseTiming;
import org.stiffness.gram.TileConsumer;
import org.stiffness.gram.TilePlan;
import org.stiffness.stats.CosineTileDistances;
import org.stiffness.stats.tiles.TileReducer;

/**
 * The Gram matrix of per-example gradients between two example sets, computed tile by tile so that
 * the device never holds more than the memory budget: blocks of B examples are turned into
 * per-layer operands, and each tile is the sum over layers of operand products.
 *
 * <p>Tiling wraps the per-block computation (as neural-tangents' {@code batch} wraps a kernel
 * function): the same operands and products serve one tile or thousands. For X = Y only tiles with
 * I <= J are computed (and mirrored when a matrix is assembled). Operands of all blocks are kept
 * while they fit in the budget; otherwise column blocks beyond what fits are recomputed for each
 * row block. One loop ({@link TileComputation}) makes every tile: plan, then tiles, then whatever
 * consumes them (an assembled matrix, statistics reduced on the device, tile files).
 */
public final class TiledGram {
  private static final int CALIBRATION_EXAMPLES = 4;

  /** Forward/backward memory per example, as a multiple of its raw layer gradients (estimate). */
  private static final long PASS_OVERHEAD = 4;

  /** Device bytes one forward/backward pass may take (estimated), which sets the pass size. */
  private static final long PASS_BYTES = 64L << 20;

  /** Fewest examples per automatic pass, when the budget allows. */
  private static final int MIN_PASS = 32;

  /**
   * Device bytes per pair of a tile that reducing it to statistics holds besides the tile and the
   * reducer's row chunk: the tile's input distances while they are made ({@link
   * CosineTileDistances#PEAK_BYTES_PER_PAIR}, result included), then the geometry the reduction
   * reads beside them (the float32 distances, 4 bytes, and the geometry's 8, or 12 with a window
   * that leaves pairs out). The row chunk's temporaries ({@code TileReducer.BYTES_PER_PAIR} per
   * pair of at most {@code TileReducer.chunkBytes}) are counted apart.
   */
  private static final long STATISTICS_BYTES_PER_PAIR =
      Math.max(CosineTileDistances.PEAK_BYTES_PER_PAIR, 4 + 12);

  /** Blocks an X = X set is split into at least, to exploit symmetry. */
  private static final int SYMMETRIC_BLOCKS = 4;

  /** Smallest block made for symmetry alone (smaller products lose more to overheads). */
  private static final int MIN_SYMMETRIC_BLOCK = 128;

  private final Map<String, Footprint> footprints = new HashMap<>();
  private final Map<TilePlan, Long> plannedPeaks = new HashMap<>();
  private final List<WeightedExtractor> terms;
  private final float[] weights;
  private final GramOptions options;
  private final Device device;
  private final MemoryBudget.Defaults defaults;
  private final PhaseTiming timing;
  private GramReport lastReport;

  /**
   * @param extractor per-example gradients (its device is where the work happens)
   * @param options budget, precision, strategy, block size
   * @param device the device the extractor works on
   */
  public TiledGram(GradientExtractor extractor, GramOptions options, Device device) {
    this(extractor, options, device, MemoryBudget.processDefaults(), PhaseTiming.off());
  }

  /**
   * @param defaults where the default budget comes from when the options set none
   * @param timing whether each block's extraction and each tile's product end with a boundary
   */
  public TiledGram(
      GradientExtractor extractor,
      GramOptions options,
      Device device,
      MemoryBudget.Defaults defaults,
      PhaseTiming timing) {
    this(List.of(new WeightedExtractor(extractor, 1f)), options, device, defaults, timing);
  }

  /**
   * The Gram matrix of a weighted sum over parameter sets (checkpoints), {@code K = sum_k w_k G_k
   * G_k^T}: each block's operands are extracted once per term and every (term, layer) is one more
   * term of the same tile, so a tile is computed once for all of them.
   *
   * @param terms one extractor per parameter set, each with its weight, in order
   */
  public TiledGram(
      List<WeightedExtractor> terms,
      GramOptions options,
      Device device,
      MemoryBudget.Defaults defaults,
      PhaseTiming timing) {
    if (terms.isEmpty()) {
      throw new IllegalArgumentException("a Gram needs at least one gradient extractor");
    }
    this.terms = List.copyOf(terms);
    this.weights = new float[terms.size()];
    for (int k = 0; k < weights.length; k++) {
      weights[k] = terms.get(k).weight();
    }
    this.options = options;
    this.device = device;
    this.defaults = Objects.requireNonNull(defaults, "defaults");
    this.timing = Objects.requireNonNull(timing, "timing");
  }

  /** {@code K = G_X G_X^T}, exploiting symmetry. */
  public GramMatrix compute(Examples x, NDManager manager, GramProgress progress) {
    return compute(x, x, manager, progress);
  }

  /**
   * {@code K = G_X G_Y^T}, carrying the ids and labels of X and Y ({@link GramSide#of}). When
   * {@code y == x} only the upper triangle of tiles is computed.
   *
   * @param manager parent manager for the engine's temporary arrays
   * @throws IllegalArgumentException when a set gives one id to two examples
   */
  public GramMatrix compute(Examples x, Examples y, NDManager manager, GramProgress progress) {
    // Before the tiles: duplicate ids are refused before the expensive part.
    GramSide rows = GramSide.of(x);
    GramSide cols = y == x ? rows : GramSide.of(y);
    TilePlan plan = tilePlan(x, y, manager);
    GramAssembly assembly = new GramAssembly(plan, normTolerance(x, y, manager));
    forEachTile(plan, x, y, manager, progress, assembly::add);
    return assembly.build(options.precision(), rows, cols);
  }

  /**
   * Computes every tile of {@code K = G_X G_Y^T} ({@code y == x}: the upper triangle) in plan order
   * and hands each to {@code consumer} on the device, then frees it: {@link #compute} is this loop
   * placing the tiles into a matrix. The statistics ({@code org.stiffness.jobs.TilePipeline}, one
   * process or a shard) run their own loop over the same {@link #tiles}, so all compute the same
   * bits.
   *
   * @param plan from {@link #tilePlan} for these sets
   * @param manager parent manager for the engine's temporary arrays
   */
  public void forEachTile(
      TilePlan plan,
      Examples x,
      Examples y,
      NDManager manager,
      GramProgress progress,
      TileConsumer consumer) {
    long total = plan.tileCount();
    try (TileComputation tiles = tiles(plan, x, y, manager)) {
      long done = 0;
      long consumerNanos = 0;
      for (TilePlan.Tile t : plan.tiles()) {
        try (DeviceTile tile = tiles.deviceTile(t.index())) {
          long start = System.nanoTime();
          consumer.accept(tile);
          consumerNanos += System.nanoTime() - start;
        }
        progress.tilesDone(++done, total);
      }
      lastReport = tiles.report(consumerNanos * 1e-9);
    }
  }

  /**
   * The tiles {@link #compute} would cut {@code K = G_X G_Y^T} into ({@code y == x}: the upper
   * triangle of X = X), with the same block and pass sizes: a deterministic function of the model,
   * the example shapes and the options when the options fix the memory budget (the default budget
   * follows the device's free memory, which differs between processes).
   */
  public TilePlan tilePlan(Examples x, Examples y, NDManager manager) {
    boolean symmetric = x == y;
    long budget = budget();
    Plan plan = plan(x, symmetric ? 0 : y.size(), budget, manager);
    TilePlan tiles = new TilePlan(x.size(), y.size(), symmetric, plan.blockSize, plan.passSize);
    plannedPeaks.put(tiles, plan.peakBytes);
    return tiles;
  }

  /**
   * How far two computations of one example's squared gradient norm may differ here ({@link
   * ExampleNorms#tolerance} for this device, the options' precision and the longest inner sum of
   * examples shaped as those of {@code x} and {@code y}).
   */
  public double normTolerance(Examples x, Examples y, NDManager manager) {
    long n = footprints.computeIfAbsent(shapeKey(x), k -> measure(x, manager)).innerLength;
    if (y != x) {
      n =
          Math.max(
              n, footprints.computeIfAbsent(shapeKey(y), k -> measure(y, manager)).innerLength);
    }
    return ExampleNorms.tolerance(device, options.precision(), n);
  }

  /** Device bytes of the statistics' row chunks on this engine's device and budget. */
  public long statisticsChunkBytes() {
    return TileReducer.chunkBytes(device, budget());
  }

  /**
   * Device bytes the budget leaves beside a plan's planned peak (for what the statistics keep
   * across checkpoints); half the budget for a plan this engine did not make.
   */
  public long roomBeside(TilePlan plan) {
    long budget = budget();
    Long peak = plannedPeaks.get(plan);
    return peak == null ? budget / 2 : Math.max(0, budget - peak);
  }

  /**
   * Computes chosen tiles of a plan one at a time, with the operand code of {@link #compute}; the
   * caller closes it.
   *
   * @param plan from {@link #tilePlan} (possibly in another process)
   * @param x the row examples
   * @param y the column examples ({@code x} itself for a symmetric plan)
   * @param manager parent manager for the temporary arrays
   */
  public TileComputation tiles(TilePlan plan, Examples x, Examples y, NDManager manager) {
    if (plan.rows() != x.size() || plan.cols() != y.size() || plan.symmetric() != (x == y)) {
      throw new IllegalArgumentException(
          "the tile plan is for "
              + plan.extent()
              + " examples, not for '"
              + x.name()
              + "' x '"
              + y.name()
              + "' ("
              + x.size()
              + " x "
              + y.size()
              + ")");
    }
    long budget = budget();
    Footprint footprint = footprints.computeIfAbsent(shapeKey(x), k -> measure(x, manager));
    long all = (long) plan.rowBlocks() + (plan.symmetric() ? 0 : plan.colBlocks());
    // The blocks compute() would keep for the whole matrix are kept here too: a shard's tiles
    // visit the column blocks again and again, and re-extracting them (a BERT forward and backward
    // each) would cost far more than the products.
    int cacheable = cacheableBlocks(footprint, plan.blockSize(), plan.passSize(), all, budget);
    NDManager work = manager.newSubManager(device);
    Counters counters = new Counters();
    return new TileComputation(
        plan,
        (set, block) -> operands(set, block, plan.blockSize(), plan.passSize(), work, counters),
        work,
        x,
        y,
        options.precision(),
        cacheable,
        timing,
        () -> counters.extractions,
        () -> counters.extractionNanos * 1e-9,
        (computation, consumerSeconds) ->
            new GramReport(
                terms.get(0).extractor().name(),
                plan.blockSize(),
                computation.tilesMade(),
                computation.extractions(),
                budget,
                plan(x, plan.symmetric() ? 0 : y.size(), budget, manager).peakBytes,
                computation.factorisedLayers(),
                computation.extractionSeconds(),
                computation.productSeconds(),
                consumerSeconds));
  }

  /** What the last {@link #compute} did. */
  public GramReport lastReport() {
    return lastReport;
  }

  private static final class Counters {
    long extractions;
    long extractionNanos;
  }

  /** The options' budget, else the default share of the device's free memory (read once). */
  private long budget() {
    return options.memoryBudgetBytes() > 0
        ? options.memoryBudgetBytes()
        : defaults.budgetFor(device);
  }

  private record Plan(int blockSize, int passSize, int cacheableBlocks, long peakBytes) {}

  /**
   * Sizes blocks from the footprint of a few examples: B examples hold {@code B * operandBytes} per
   * block (two blocks alive), a pass over them about {@code PASS_OVERHEAD} times their raw
   * gradients, and a tile {@code B^2} times the largest per-pair workspace plus the fp32 tile.
   */
  private Plan plan(Examples x, int otherSize, long budget, NDManager manager) {
    Footprint footprint = footprints.computeIfAbsent(shapeKey(x), k -> measure(x, manager));
    int largest = Math.max(x.size(), otherSize);
    int blockSize = options.blockSize() > 0 ? Math.min(options.blockSize(), largest) : 0;
    if (blockSize == 0) {
      blockSize = Math.min(preferredBlock(), largestBlock(largest, footprint, budget));
      if (otherSize == 0 && !footprint.allFactorised()) {
        // k blocks let X = X skip the mirrored tiles: (k + 1) / 2k of the products of one tile.
        // Worth it where some layer's products are materialised gradients (resnet20 at N = 256:
        // the same time, 0.2 GiB less memory). Where every layer is factorised the products are
        // cheap and each tile's fixed cost in the reduction is not: one block up to the preferred
        // size is faster end to end (fc at N = 512, 1024, 2048: 1.5x, 1.4x, 1.1x; the Gram alone
        // 1.7x at N = 1024; docs/measurements.md, 2026-12-07).
        int quarter = (largest + SYMMETRIC_BLOCKS - 1) / SYMMETRIC_BLOCKS;
        blockSize = Math.min(blockSize, Math.max(MIN_SYMMETRIC_BLOCK, quarter));
      }
    }
    // Forward/backward passes of at most PASS_BYTES: large pass arrays (im2col patches) are each
    // a fresh allocation with its page faults, and pass memory grows with the pass, not the tile.
    int passSize =
        options.passSize() > 0
            ? Math.min(options.passSize(), blockSize)
            : automaticPassSize(blockSize, footprint.passBytes, budget);
    long perBlock = blockSize * footprint.operandBytes;
    long working = footprint.working(blockSize, passSize);
    long all =
        (long) blocks(x.size(), blockSize) + (otherSize == 0 ? 0 : blocks(otherSize, blockSize));
    int cacheable = cacheableBlocks(footprint, blockSize, passSize, all, budget);
    long peak = working + Math.max(2, Math.min(all, cacheable + 1)) * perBlock;
    return new Plan(blockSize, passSize, cacheable, peak);
  }

  /** Blocks of operands that fit in the budget next to a pass, a tile and one more block. */
  private static int cacheableBlocks(
      Footprint footprint, int blockSize, int passSize, long allBlocks, long budget) {
    long perBlock = blockSize * footprint.operandBytes;
    long working = footprint.working(blockSize, passSize);
    long room = budget - working - perBlock;
    return (int) Math.max(0, Math.min(allBlocks, room / Math.max(1, perBlock)));
  }

  /**
   * Tiles beyond this size no longer speed up the products but cost more: each of their temporaries
   * is a fresh allocation (on a CPU, glibc maps anything over 32 MiB anew, page faults included;
   * measured: N = 8192 in 4096-wide tiles spent 11 s of system time), and the symmetric case skips
   * a smaller share of the work. A GPU wants larger products.
   */
  private int preferredBlock() {
    return Device.Type.GPU.equals(device.getDeviceType()) ? 4096 : 1024;
  }

  /** Per-example device bytes of one model and example shape, measured on a few examples. */
  private record Footprint(
      long operandBytes,
      long passBytes,
      long pairBytes,
      long conversionBytes,
      long chunkBytes,
      long innerLength,
      boolean allFactorised) {

    /**
     * Device bytes besides the blocks of operands: the larger of a pass and the join of a block's
     * passes (parts and joined block alive together, one block more), then a tile's products, with
     * the fp32 copies of one layer's fp16 operands on both sides.
     */
    long working(int blockSize, int passSize) {
      long pass = passSize * passBytes;
      long join = passSize < blockSize ? blockSize * operandBytes : 0;
      long pairs = (long) blockSize * blockSize;
      long chunk = Math.min(pairs * TileReducer.BYTES_PER_PAIR, chunkBytes);
      return Math.max(pass, join) + pairs * pairBytes + chunk + 2L * blockSize * conversionBytes;
    }
  }

  private Footprint measure(Examples x, NDManager manager) {
    int n = Math.min(CALIBRATION_EXAMPLES, x.size());
    try (NDManager scope = manager.newSubManager(device)) {
      long raw = 0;
      List<BlockOperands> perTerm = new ArrayList<>(terms.size());
      for (WeightedExtractor term : terms) {
        // Passes run one term at a time: a pass holds one term's raw gradients.
        List<LayerGradient> gradients = extract(term, x, 0, n, scope);
        long termRaw = 0;
        for (LayerGradient gradient : gradients) {
          termRaw += rawBytes(gradient);
        }
        raw = Math.max(raw, termRaw);
        perTerm.add(
            BlockOperands.of(
                gradients, options.strategy(), options.precision(), scope.newSubManager()));
      }
      try (BlockOperands operands =
          BlockOperands.weighted(perTerm, weights, scope.newSubManager())) {
        return new Footprint(
            ceilDiv(operands.bytes(), n),
            PASS_OVERHEAD * ceilDiv(raw, n),
            // + the fp32 tile and its host copy, and what reducing it to statistics takes
            operands.workspaceBytesPerPair() + 8 + STATISTICS_BYTES_PER_PAIR,
            operands.conversionBytesPerExample(),
            statisticsChunkBytes(),
            operands.innerLength(),
            !operands.factorised().containsValue(false));
      }
    }
  }

  /** Shapes of one example of every input: what a footprint depends on besides the model. */
  private static String shapeKey(Examples x) {
    StringBuilder key = new StringBuilder();
    for (NDArray input : x.inputs()) {
      key.append(input.getShape().slice(1)).append(input.getDataType()).append(';');
    }
    return key.toString();
  }

  /**
   * About PASS_BYTES of pass memory, but at least MIN_PASS examples (below that the per-op cost of
   * a pass dominates: ResNet20 on 32x32 ran 3x faster in passes of 32 than of 3), never more than
   * the block nor than half the budget.
   */
  private static int automaticPassSize(int blockSize, long passBytes, long budget) {
    long perExample = Math.max(1, passBytes);
    long size = Math.max(MIN_PASS, PASS_BYTES / perExample);
    size = Math.min(size, budget / 2 / perExample);
    return (int) Math.max(1, Math.min(blockSize, size));
  }

  private static int largestBlock(int n, Footprint footprint, long budget) {
    int low = 0;
    int high = n;
    while (low < high) {
      int mid = (int) (((long) low + high + 1) / 2);
      int pass = automaticPassSize(mid, footprint.passBytes, budget);
      long need = mid * 2 * footprint.operandBytes + footprint.working(mid, pass);
      if (need <= budget) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    if (low == 0) {
      throw new IllegalArgumentException(
          "memory budget "
              + MemoryBudget.format(budget)
              + " is too small: one example needs about "
              + MemoryBudget.format(2 * footprint.operandBytes + footprint.working(1, 1)));
    }
    return low;
  }

  private static long rawBytes(LayerGradient gradient) {
    if (gradient instanceof OuterProductGradient g) {
      return LayerOperand.bytesOf(g.activations()) + LayerOperand.bytesOf(g.outputGradients());
    }
    if (gradient instanceof IndexedRowGradient g) {
      return LayerOperand.bytesOf(g.indices()) + LayerOperand.bytesOf(g.outputGradients());
    }
    return LayerOperand.bytesOf(((DenseGradient) gradient).gradients());
  }

  private BlockOperands operands(
      Examples set, int block, int blockSize, int passSize, NDManager work, Counters counters) {
    long start = System.nanoTime();
    int from = block * blockSize;
    int to = Math.min(set.size(), from + blockSize);
    List<BlockOperands> parts = new ArrayList<>();
    for (int first = from; first < to; first += passSize) {
      List<BlockOperands> perTerm = new ArrayList<>(terms.size());
      for (WeightedExtractor term : terms) {
        try (NDManager scope = work.newSubManager()) {
          List<LayerGradient> gradients =
              extract(term, set, first, Math.min(to, first + passSize), scope);
          perTerm.add(
              BlockOperands.of(
                  gradients, options.strategy(), options.precision(), work.newSubManager()));
        }
        counters.extractions++;
      }
      parts.add(BlockOperands.weighted(perTerm, weights, work.newSubManager()));
    }
    BlockOperands operands = BlockOperands.concat(parts, work.newSubManager());
    // Joining the passes launches copies on a GPU: they belong to the gradients, not the products.
    timing.boundary(operands.lastArray());
    counters.extractionNanos += System.nanoTime() - start;
    return operands;
  }

  /** Gradients of examples [from, to) of a set, with errors saying which examples failed. */
  private List<LayerGradient> extract(
      WeightedExtractor term, Examples set, int from, int to, NDManager scope) {
    try {
      return term.extractor().extract(set.slice(from, to, scope, device), scope);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "gradients of examples "
              + from
              + ".."
              + (to - 1)
              + " of '"
              + set.name()
              + "' could not be computed: "
              + e.getMessage(),
          e);
    }
  }

  private static int blocks(int n, int blockSize) {
    return (n + blockSize - 1) / blockSize;
  }

  private static long ceilDiv(long a, long b) {
    return (a + b - 1) / b;
  }
}
