/**
 * A Gram measurement's statistics as independent jobs, one tile each, and the one loop that runs
 * them: {@link org.stiffness.jobs.TilePipeline} computes the tiles a {@link
 * org.stiffness.jobs.Shard} holds of some {@link org.stiffness.jobs.PairingTiles}, reduces each to
 * its sums and hands them to a {@link org.stiffness.jobs.SumsSink}. In one process the sink is
 * {@link org.stiffness.jobs.InMemorySums}; a shard's is a {@link org.stiffness.jobs.TileStoreSink},
 * tile files with checksums that any process can write and any later one can verify ({@link
 * org.stiffness.jobs.TileStore}), which {@link org.stiffness.jobs.SumsReplay} adds up again in the
 * one-process order. The configuration hash ({@link org.stiffness.jobs.ConfigurationHash}) keeps
 * tiles of different models, examples or options apart. The tiles themselves are {@link
 * org.stiffness.gram.TilePlan}'s and are computed by the engine ({@link
 * org.stiffness.StiffnessEngine#tiles}).
 */
package org.stiffness.jobs;
