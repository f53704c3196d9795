/**
 * Not API: how the engine computes the Gram matrix tile by tile under its memory budget, behind
 * {@link org.stiffness.StiffnessEngine}. Code outside this project should not use it; it may change
 * in any release.
 *
 * <p>{@link org.stiffness.gram.internal.TiledGram} plans the tiles and runs them; {@link
 * org.stiffness.gram.internal.TileComputation} is the one loop that makes every tile, from the
 * per-layer operands of each block of examples ({@code BlockOperands}: factorised, indexed or
 * materialised {@code LayerOperand}s, rounded and multiplied by {@code Products} at the {@link
 * org.stiffness.gram.Precision}); {@link org.stiffness.gram.internal.GramAssembly} places tiles
 * into a matrix, checking with {@link org.stiffness.gram.ExampleNorms} that the tiles of one
 * example agree.
 *
 * <p>Private to the {@code org.stiffness} tree of stiffness-core (ArchitectureTest): {@link
 * org.stiffness.StiffnessEngine} builds a {@code TiledGram}, and its {@link
 * org.stiffness.StiffnessEngine#tiles} hands the {@code TileComputation} out as a {@link
 * org.stiffness.gram.TileSource}, which {@link org.stiffness.jobs.TilePipeline} (the statistics
 * loop of one process and of every shard of {@code stiffness measure}) drives. The public way in is
 * {@link org.stiffness.StiffnessEngine} with the types of {@code org.stiffness.gram} ({@link
 * org.stiffness.gram.GramMatrix}, {@link org.stiffness.gram.GramOptions}, {@link
 * org.stiffness.gram.TilePlan}, {@link org.stiffness.gram.TileSource}, {@link
 * org.stiffness.gram.DeviceTile}).
 */
package org.stiffness.gram.internal;
