/**
 * Stiffness statistics as sums over Gram tiles: every statistic of {@code org.stiffness.stats}
 * (class stiffness, the distance profile, the critical length's per-row sums, uncertain signs) is a
 * sum over pairs, so each tile is reduced where it was computed ({@link
 * org.stiffness.stats.tiles.TileReducer}) to a few numbers per class, bin and example, and the sums
 * of all tiles are added in plan order ({@link org.stiffness.stats.tiles.StatisticsSums}, one type
 * and one wire order for both). The N x M Gram, cosine, sign and distance matrices never exist; the
 * classes of {@code org.stiffness.stats} that take them stay as the float64 reference.
 */
package org.stiffness.stats.tiles;
