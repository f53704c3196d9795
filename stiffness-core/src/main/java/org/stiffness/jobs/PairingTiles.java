package org.stiffness.jobs;

import java.util.Objects;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.TilePlan;
import org.stiffness.stats.tiles.StatisticsSpec;

/**
 * One pairing {@code K = G_X G_Y^T} of a measurement as the {@link TilePipeline} runs it: its
 * tiles, the examples they are computed from and what their statistics are reduced with.
 *
 * @param key the pairing's name ({@code train-val}), which names its tile files
 * @param plan its tiles, in the order their sums are added
 * @param rows the row examples X
 * @param cols the column examples Y, {@code rows} itself for X = X (a symmetric plan)
 * @param spec ids, labels, groupings and input distances of both sides; built once per measurement
 *     and given again at every checkpoint, since the reduction may keep per-tile data in it
 */
public record PairingTiles(
    String key, TilePlan plan, Examples rows, Examples cols, StatisticsSpec spec) {
  /**
   * @throws IllegalArgumentException when the plan's symmetry is not that of the sides
   */
  public PairingTiles {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(rows, "rows");
    Objects.requireNonNull(cols, "cols");
    Objects.requireNonNull(spec, "spec");
    if (plan.symmetric() != (rows == cols)) {
      throw new IllegalArgumentException(
          key
              + ": a "
              + (plan.symmetric() ? "symmetric" : "rectangular")
              + " tile plan needs "
              + (plan.symmetric() ? "the same examples on both sides" : "two example sets"));
    }
  }
}
