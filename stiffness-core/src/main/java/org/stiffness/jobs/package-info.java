/**
 * A Gram measurement as independent jobs: which process computes which tiles ({@link
 * org.stiffness.jobs.Shard}), tile files with checksums that any process can write and any later
 * one can verify ({@link org.stiffness.jobs.TileStore}), and the configuration hash that keeps
 * tiles of different models, examples or options apart ({@link
 * org.stiffness.jobs.ConfigurationHash}). The tiles themselves are {@link
 * org.stiffness.gram.TilePlan}'s and are computed by {@link
 * org.stiffness.gram.internal.TileComputation}.
 */
package org.stiffness.jobs;
