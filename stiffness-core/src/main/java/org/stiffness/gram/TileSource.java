package org.stiffness.gram;

/**
 * Computes chosen tiles of one {@link TilePlan}, one at a time and in any order, each bitwise equal
 * to the same tile of the whole matrix; what {@code StiffnessEngine#tiles} returns. A tile (I, J)
 * is the product of the operands of row block I and column block J; operands stay cached within the
 * engine's memory budget, so asking for the tiles of one row in plan order extracts the row block
 * once. Close it when done: it owns the cached operands.
 *
 * <p>This is the one public face of the engine's tile loop (in {@code gram.internal}); the pipeline
 * that reduces tiles to statistics ({@code jobs.TilePipeline}), shards and tests drive tiles
 * through it.
 */
public interface TileSource extends AutoCloseable {

  /** The plan whose tiles this computes. */
  TilePlan plan();

  /** The operand precision (which sets the error bound of the assembled matrix). */
  Precision precision();

  /**
   * Tile number {@code index} of the plan ({@link TilePlan.Tile#index()}) on the engine's device,
   * for reductions where it lies; the caller closes it (before asking for the next tile, to stay
   * within the planned memory).
   */
  DeviceTile deviceTile(int index);

  /** Tile number {@code index} of the plan, copied to the host (float64 values). */
  GramTile hostTile(int index);

  /**
   * Forward/backward passes run so far (an operand block extracted again after leaving the cache
   * counts again).
   */
  long extractions();

  /**
   * What this computation did so far, for {@code StiffnessEngine#lastReport()}; ask before {@link
   * #close()}, which forgets the layers' factorisation.
   *
   * @param consumerSeconds wall time whatever took the tiles spent on them
   */
  GramReport report(double consumerSeconds);

  /** Frees the cached operands; tiles handed out stay the caller's to close. */
  @Override
  void close();
}
