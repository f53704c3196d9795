package org.stiffness.experiments;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.TilePlan;
import org.stiffness.jobs.PairingTiles;
import org.stiffness.stats.TimedTileDistances;
import org.stiffness.stats.tiles.DistanceCache;
import org.stiffness.stats.tiles.Grouping;
import org.stiffness.stats.tiles.StatisticsOptions;
import org.stiffness.stats.tiles.StatisticsSpec;
import org.stiffness.summary.PairingSpec;

/**
 * What a measurement measures, fixed for all its checkpoints: the named example sets, the pairings
 * of them, the extra groupings, the input distance, and for each pairing the {@link StatisticsSpec}
 * its tiles are reduced with. Built once per measurement: the sets and distances do not change over
 * training, and a spec given again at every checkpoint lets the reduction keep what it derived from
 * the distances of each tile.
 *
 * <p>A one-process measurement ({@link StiffnessMeasurement}) and the shards and merge of a saved
 * checkpoint ({@link TiledMeasurement}) measure the same design.
 */
public final class MeasurementDesign implements AutoCloseable {
  private final NDManager manager;
  private final int classes;
  private final Map<String, MeasuredSet> sets = new LinkedHashMap<>();
  private final List<PairingSpec> pairings;
  private final List<Grouping> groupings;
  private final InputDistance distance;
  private final Map<String, TimedTileDistances> distances = new LinkedHashMap<>();
  private final Map<String, StatisticsSpec> specs = new LinkedHashMap<>();
  private final DistanceCache cache;

  /**
   * Sets must carry disjoint ids unless they share examples on purpose (a shared id is a
   * self-pair).
   *
   * @param sets builds the sets on the design's own manager (which owns them until {@link
   *     #close()})
   * @param pairings what to measure, in summary order; every name must be a set's
   * @param groupings extra groupings present in every set
   * @param distance input distance of each pairing, made once here
   * @param classes number of classes n_c
   * @param device where the design's manager lives
   * @param options distance bins and the critical-length fit
   * @param acrossCheckpoints whether the design is measured at several checkpoints: then each
   *     tile's distance geometry is kept in a {@link DistanceCache} (as far as the engines' memory
   *     budgets leave room) and read at every checkpoint after the first; a shard of one checkpoint
   *     visits each tile once and keeps nothing
   * @throws IllegalArgumentException when two sets have one name, a set lacks a grouping, or a
   *     pairing names no set
   */
  public MeasurementDesign(
      Function<NDManager, List<MeasuredSet>> sets,
      List<PairingSpec> pairings,
      List<Grouping> groupings,
      InputDistance distance,
      int classes,
      Device device,
      StatisticsOptions options,
      boolean acrossCheckpoints) {
    this.cache = acrossCheckpoints ? DistanceCache.unbounded() : null;
    this.classes = classes;
    this.pairings = List.copyOf(pairings);
    this.groupings = List.copyOf(groupings);
    this.distance = Objects.requireNonNull(distance, "distance");
    this.manager = NDManager.newBaseManager(Objects.requireNonNull(device, "device"));
    try {
      for (MeasuredSet s : sets.apply(manager)) {
        if (this.sets.put(s.name(), s) != null) {
          throw new IllegalArgumentException("two measured sets are called " + s.name());
        }
        for (Grouping g : this.groupings) {
          if (!s.groups().containsKey(g.name())) {
            throw new IllegalArgumentException(s.name() + ": no grouping " + g.name());
          }
        }
      }
      for (PairingSpec p : this.pairings) {
        MeasuredSet rows = set(p.rows());
        MeasuredSet cols = set(p.cols());
        TimedTileDistances d = new TimedTileDistances(distance.between(rows, cols, manager));
        distances.put(p.key(), d);
        // X = X shares one side object (the set's): that is what makes the statistics mirror its
        // tiles.
        specs.put(
            p.key(),
            new StatisticsSpec(
                rows.side(), cols.side(), classes, this.groupings, d, options, cache));
      }
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /**
   * The set called {@code name}.
   *
   * @throws IllegalArgumentException when there is none
   */
  public MeasuredSet set(String name) {
    MeasuredSet s = sets.get(name);
    if (s == null) {
      throw new IllegalArgumentException(
          "pairing names set " + name + ", but the sets are " + sets.keySet());
    }
    return s;
  }

  /** The measured sets, in order. */
  public List<MeasuredSet> sets() {
    return List.copyOf(sets.values());
  }

  /** The pairings, in summary order. */
  public List<PairingSpec> pairings() {
    return pairings;
  }

  /** The extra groupings every set carries. */
  public List<Grouping> groupings() {
    return groupings;
  }

  /** The input distance. */
  public InputDistance distance() {
    return distance;
  }

  /** Number of classes n_c. */
  public int classes() {
    return classes;
  }

  /** The row examples X of a pairing. */
  public Examples rows(PairingSpec pairing) {
    return set(pairing.rows()).examples();
  }

  /** The column examples Y of a pairing: the same object as {@link #rows} for X = X. */
  public Examples cols(PairingSpec pairing) {
    return set(pairing.cols()).examples();
  }

  /**
   * What the statistics of {@code pairing} are taken from besides its tiles: the same object at
   * every call.
   *
   * @throws IllegalArgumentException for a pairing not in this design
   */
  public StatisticsSpec spec(PairingSpec pairing) {
    StatisticsSpec spec = specs.get(pairing.key());
    if (spec == null) {
      throw new IllegalArgumentException(
          "no pairing " + pairing.key() + " in this measurement (" + specs.keySet() + ")");
    }
    return spec;
  }

  /** A pairing as the tile pipeline runs it, cut into the tiles of {@code plan}. */
  public PairingTiles tiles(PairingSpec pairing, TilePlan plan) {
    return new PairingTiles(pairing.key(), plan, rows(pairing), cols(pairing), spec(pairing));
  }

  /** Seconds spent making input distances so far, over every pairing. */
  public double distanceSeconds() {
    return distances.values().stream().mapToDouble(TimedTileDistances::seconds).sum();
  }

  /** Frees the sets and distances made on the design's manager, and the distance cache. */
  @Override
  public void close() {
    if (cache != null) {
      cache.close();
    }
    manager.close();
  }
}
