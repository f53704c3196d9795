package org.stiffness.gram.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.DeviceTile;
import org.stiffness.gram.GramReport;
import org.stiffness.gram.GramTile;
import org.stiffness.gram.PhaseTiming;
import org.stiffness.gram.Precision;
import org.stiffness.gram.TilePlan;
import org.stiffness.gram.TileSource;

/**
 * Computes the tiles of a {@link TilePlan} one at a time, in any order: tile (I, J) is the product
 * of the operands of row block I and column block J. This is the only place tiles are made: {@link
 * TiledGram#forEachTile} (statistics in one process), {@link TiledGram#compute} (the whole matrix)
 * and a shard's chosen tiles all run through it, so a tile has the same bits whichever way it was
 * asked for.
 *
 * <p>Operands are kept for the budget: the first {@code cacheable} blocks for good (of X = X; of
 * the columns, less one, for X x Y), and the last row block and last column block besides, so a run
 * of tiles of one row (the order of {@link TilePlan#tiles()}) extracts its row block once and,
 * within the budget, every block is extracted once per computation however the tiles are spread
 * over shards.
 */
public final class TileComputation implements TileSource {

  /** Makes the operands of one block of a set. */
  @FunctionalInterface
  interface BlockMaker {
    BlockOperands make(Examples set, int block);
  }

  /** What the engine reports of a computation: it knows the budget and the planned peak. */
  @FunctionalInterface
  interface Reporter {
    GramReport report(TileComputation tiles, double consumerSeconds);
  }

  private final TilePlan plan;
  private final BlockMaker maker;
  private final NDManager work;
  private final Examples x;
  private final Examples y;
  private final Precision precision;
  private final int cacheable;
  private final PhaseTiming timing;
  private final LongSupplier extractions;
  private final DoubleSupplier extractionSeconds;
  private final Reporter reporter;
  private final BlockOperands[] rowCache;
  private final BlockOperands[] colCache;
  private BlockOperands rows;
  private int rowBlock = -1;
  private BlockOperands cols;
  private int colBlock = -1;
  private long productNanos;
  private long made;

  TileComputation(
      TilePlan plan,
      BlockMaker maker,
      NDManager work,
      Examples x,
      Examples y,
      Precision precision,
      int cacheable,
      PhaseTiming timing,
      LongSupplier extractions,
      DoubleSupplier extractionSeconds,
      Reporter reporter) {
    this.plan = plan;
    this.maker = maker;
    this.work = work;
    this.x = x;
    this.y = y;
    this.precision = precision;
    this.cacheable = cacheable;
    this.timing = timing;
    this.extractions = extractions;
    this.extractionSeconds = extractionSeconds;
    this.reporter = reporter;
    this.rowCache = new BlockOperands[plan.rowBlocks()];
    this.colCache = plan.symmetric() ? rowCache : new BlockOperands[plan.colBlocks()];
  }

  /**
   * Forward and backward passes run so far to extract operands ({@code passSize} examples each).
   */
  @Override
  public long extractions() {
    return extractions.getAsLong();
  }

  /** Wall time spent extracting operands (forward/backward passes) so far. */
  public double extractionSeconds() {
    return extractionSeconds.getAsDouble();
  }

  /** Tiles made so far ({@link #deviceTile} calls that returned a tile). */
  public long tilesMade() {
    return made;
  }

  /**
   * What this computation did so far, for {@code StiffnessEngine#lastReport()}; ask before {@link
   * #close()}, which forgets the layers' factorisation.
   *
   * @param consumerSeconds wall time whatever took the tiles spent on them
   */
  @Override
  public GramReport report(double consumerSeconds) {
    return reporter.report(this, consumerSeconds);
  }

  /** The plan whose tiles this computes. */
  @Override
  public TilePlan plan() {
    return plan;
  }

  /** The operand precision (which sets the error bound of the assembled matrix). */
  @Override
  public Precision precision() {
    return precision;
  }

  /** Tile number {@code index} of the plan, copied to the host. */
  @Override
  public GramTile hostTile(int index) {
    try (DeviceTile tile = deviceTile(index)) {
      return tile.toHost();
    }
  }

  /**
   * Tile number {@code index} of the plan on the device, for reductions where it lies; the caller
   * closes it (before asking for the next tile, to stay within the planned memory).
   */
  @Override
  public DeviceTile deviceTile(int index) {
    TilePlan.Tile tile = plan.tile(index);
    if (rowBlock != tile.rowBlock()) {
      release(rows, cols);
      rows = null;
      rowBlock = -1;
      rows = operands(x, tile.rowBlock(), rowCache, plan.symmetric() ? cacheable : 0);
      rowBlock = tile.rowBlock();
    }
    BlockOperands right;
    if (plan.symmetric() && tile.colBlock() == tile.rowBlock()) {
      right = rows; // the diagonal tile multiplies a block by itself, as TiledGram does
    } else {
      if (colBlock != tile.colBlock()) {
        release(cols, rows);
        cols = null;
        colBlock = -1;
        int keep = plan.symmetric() ? cacheable : Math.max(0, cacheable - 1);
        cols = operands(y, tile.colBlock(), colCache, keep);
        colBlock = tile.colBlock();
      }
      right = cols;
    }
    long start = System.nanoTime();
    NDManager scope = work.newSubManager();
    try {
      NDArray product = rows.tile(right, scope);
      timing.boundary(product); // the product's kernels, not just their launches
      productNanos += System.nanoTime() - start;
      made++;
      return new DeviceTile(
          tile,
          plan.symmetric() && tile.rowBlock() != tile.colBlock(),
          product,
          scope,
          rows.squaredNorms(),
          rows.errorScale(),
          right.squaredNorms(),
          right.errorScale(),
          rows.innerLength(),
          precision);
    } catch (RuntimeException e) {
      scope.close();
      throw e;
    }
  }

  /** Wall time spent in the Gram products of the tiles so far. */
  public double productSeconds() {
    return productNanos * 1e-9;
  }

  /** Layer path to true when factorised, of the last row block (empty before the first tile). */
  Map<String, Boolean> factorisedLayers() {
    return rows == null ? Map.of() : rows.factorised();
  }

  /**
   * Block {@code block} of {@code set}: from the cache, or made (and cached below {@code keep}).
   */
  private BlockOperands operands(Examples set, int block, BlockOperands[] cache, int keep) {
    if (cache[block] != null) {
      return cache[block];
    }
    // The last row or column block may be the block wanted on the other side (X = X).
    if (set == x && rows != null && rowBlock == block) {
      return rows;
    }
    if (set == y && cols != null && colBlock == block) {
      return cols;
    }
    BlockOperands made = maker.make(set, block);
    if (block < keep) {
      cache[block] = made;
    }
    return made;
  }

  /** Closes operands that no cache holds and the other side does not still use. */
  private void release(BlockOperands operands, BlockOperands otherSide) {
    if (operands == null || operands == otherSide || cached(operands)) {
      return;
    }
    operands.close();
  }

  private boolean cached(BlockOperands operands) {
    for (BlockOperands kept : rowCache) {
      if (kept == operands) {
        return true;
      }
    }
    for (BlockOperands kept : colCache) {
      if (kept == operands) {
        return true;
      }
    }
    return false;
  }

  @Override
  public void close() {
    Set<BlockOperands> all = Collections.newSetFromMap(new IdentityHashMap<>());
    for (BlockOperands b : rowCache) {
      if (b != null) {
        all.add(b);
      }
    }
    for (BlockOperands b : colCache) {
      if (b != null) {
        all.add(b);
      }
    }
    if (rows != null) {
      all.add(rows);
    }
    if (cols != null) {
      all.add(cols);
    }
    all.forEach(BlockOperands::close);
    rows = null;
    cols = null;
    work.close();
  }
}
