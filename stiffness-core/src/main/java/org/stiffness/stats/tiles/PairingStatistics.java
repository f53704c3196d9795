package org.stiffness.stats.tiles;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.stiffness.stats.ClassStiffness;
import org.stiffness.stats.CriticalLength;
import org.stiffness.stats.DistanceProfile;
import org.stiffness.stats.GradientCoherence;
import org.stiffness.stats.RowStatistics;

/**
 * The stiffness statistics of one pairing, from the sums of all its tiles: what {@code
 * PairStiffness}, {@code ClassStiffness}, {@code DistanceProfile} and {@code CriticalLength} give
 * from the whole matrices.
 *
 * @param classes the class stiffness matrix
 * @param groupings the class-style matrix of every other grouping, by name, in order
 * @param distanceProfile stiffness vs input distance (null without distances)
 * @param withinClassRows critical-length sums of within-class pairs per row (null without
 *     distances)
 * @param allPairsRows critical-length sums of all pairs per row (null without distances)
 * @param criticalLength xi from within-class pairs, the paper's definition (null without distances)
 * @param criticalLengthAllPairs xi from all pairs (null without distances)
 * @param uncertainSignPairs valid non-self pairs whose sign is below the rounding-error bound
 * @param consideredPairs valid non-self pairs: those every statistic averages over
 * @param zeroNormRows row examples with a zero gradient, ascending
 * @param zeroNormCols column examples with a zero gradient, ascending
 * @param coherence gradient coherence and confusion of a set with itself; null for a pairing of two
 *     sets
 */
public record PairingStatistics(
    ClassStiffness classes,
    Map<String, ClassStiffness> groupings,
    DistanceProfile distanceProfile,
    RowStatistics withinClassRows,
    RowStatistics allPairsRows,
    CriticalLength.Result criticalLength,
    CriticalLength.Result criticalLengthAllPairs,
    long uncertainSignPairs,
    long consideredPairs,
    int[] zeroNormRows,
    int[] zeroNormCols,
    GradientCoherence coherence) {
  /** Keeps the groupings in their given order, unmodifiable. */
  public PairingStatistics {
    groupings = Collections.unmodifiableMap(new LinkedHashMap<>(groupings));
  }
}
