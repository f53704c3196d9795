package org.stiffness.gram;

import java.util.Objects;

/**
 * How a Gram matrix is computed: the device-memory budget that sets the tile size, the operand
 * precision and the per-layer strategy.
 *
 * @param memoryBudgetBytes device bytes the engine may hold at once (operands, tile workspace, an
 *     estimate of the forward/backward pass); 0 means {@link MemoryBudget#defaultFor}
 * @param precision operand precision of the products
 * @param strategy per-layer factorised/materialised choice
 * @param blockSize examples per tile side, or 0 to derive it from the budget
 * @param passSize examples per forward/backward pass (a block is computed in passes of this size),
 *     or 0 to derive it from the pass's memory (about 64 MiB)
 */
public record GramOptions(
    long memoryBudgetBytes,
    Precision precision,
    LayerStrategy strategy,
    int blockSize,
    int passSize) {

  /**
   * @throws IllegalArgumentException for a negative budget, block or pass size
   */
  public GramOptions {
    if (memoryBudgetBytes < 0) {
      throw new IllegalArgumentException(
          "memory budget must be positive, got " + memoryBudgetBytes);
    }
    if (blockSize < 0) {
      throw new IllegalArgumentException("block size must be positive, got " + blockSize);
    }
    if (passSize < 0) {
      throw new IllegalArgumentException("pass size must be positive, got " + passSize);
    }
    Objects.requireNonNull(precision, "precision");
    Objects.requireNonNull(strategy, "strategy");
  }

  /** Default budget, FP32, automatic strategy and block size. */
  public static GramOptions defaults() {
    return new GramOptions(0, Precision.FP32, LayerStrategy.AUTO, 0, 0);
  }

  /** These options with a device memory budget in bytes (0: the default share of free memory). */
  public GramOptions withMemoryBudget(long bytes) {
    return new GramOptions(bytes, precision, strategy, blockSize, passSize);
  }

  /** These options with another operand precision. */
  public GramOptions withPrecision(Precision value) {
    return new GramOptions(memoryBudgetBytes, value, strategy, blockSize, passSize);
  }

  /** These options with another choice between factorised and materialised layers. */
  public GramOptions withStrategy(LayerStrategy value) {
    return new GramOptions(memoryBudgetBytes, precision, value, blockSize, passSize);
  }

  /** These options with a fixed tile side in examples (0: from the budget). */
  public GramOptions withBlockSize(int value) {
    return new GramOptions(memoryBudgetBytes, precision, strategy, value, passSize);
  }

  /** These options with a fixed number of examples per forward/backward pass (0: automatic). */
  public GramOptions withPassSize(int value) {
    return new GramOptions(memoryBudgetBytes, precision, strategy, blockSize, value);
  }
}
