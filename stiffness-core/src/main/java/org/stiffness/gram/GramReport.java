package org.stiffness.gram;

import java.util.Map;

/**
 * What a Gram computation did, for logs and benchmarks.
 *
 * @param extractor name of the per-example gradient method
 * @param blockSize examples per tile side
 * @param tiles tiles computed
 * @param blockExtractions forward/backward passes (more than the number of blocks when a block is
 *     computed in several passes, or when the budget forced recomputation)
 * @param budgetBytes the device-memory budget
 * @param plannedPeakBytes the engine's largest planned device footprint (operands held, tile
 *     workspace and an estimate of one forward/backward pass)
 * @param factorisedLayers layer path to true when factorised, false when materialised
 * @param extractionSeconds wall time in forward/backward passes and operand preparation
 * @param productSeconds wall time in the Gram products
 * @param consumerSeconds wall time spent by whatever took the tiles: reducing them to statistics
 *     (input distances included), or placing them into a host matrix
 */
public record GramReport(
    String extractor,
    int blockSize,
    long tiles,
    long blockExtractions,
    long budgetBytes,
    long plannedPeakBytes,
    Map<String, Boolean> factorisedLayers,
    double extractionSeconds,
    double productSeconds,
    double consumerSeconds) {}
