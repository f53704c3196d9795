package org.stiffness.experiments;

import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.util.List;
import org.stiffness.gram.TilePlan;

/**
 * The layout of a tiled measurement's {@code measurement.json} (see {@link TiledMeasurement}),
 * written and read by Jackson: made by the first shard, checked by every later shard and by the
 * merge.
 *
 * @param format {@link TiledMeasurement#FORMAT}
 * @param configHash what every tile's bits depend on ({@link TiledMeasurement#hash})
 * @param checkpoint the absolute path of the measured checkpoint
 * @param deviceType {@code cpu} or {@code gpu}: their kernels round differently
 * @param device the device's identity ({@link org.stiffness.jobs.DeviceIdentity}): card, libtorch
 *     and CUDA versions
 * @param method the gradient method of the engine ({@code probe}, {@code generic})
 * @param reduction the tile reducer's name
 * @param gramTiles whether the Gram tiles are written besides their sums
 * @param precision the Gram precision, in lower case
 * @param strategy the layer strategy, in lower case
 * @param memoryBudget the budget the tiles were planned under, in bytes
 * @param normTolerance how far two tiles' squared norms of one example may differ, relative (0 on a
 *     CPU: bitwise; {@link org.stiffness.gram.ExampleNorms#tolerance})
 * @param shards k of the shards {@code i/k}
 * @param pairings every pairing's tile plan, in pairing order
 * @param jobs tiles of all pairings
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
record MeasurementDescription(
    String format,
    String configHash,
    String checkpoint,
    String deviceType,
    String device,
    String method,
    String reduction,
    boolean gramTiles,
    String precision,
    String strategy,
    long memoryBudget,
    double normTolerance,
    int shards,
    List<PlannedPairing> pairings,
    int jobs) {

  /**
   * One pairing's {@link TilePlan}, and where its jobs start in the numbering of all pairings.
   *
   * @param key the pairing's key ({@link org.stiffness.summary.PairingSpec#key()}), its tiles'
   *     directory
   * @param rows the row set
   * @param cols the column set
   * @param rowCount rows of the Gram matrix
   * @param colCount columns
   * @param symmetric whether only the tiles on and above the diagonal are computed
   * @param blockSize rows and columns of a tile
   * @param passSize examples per forward/backward pass
   * @param tiles tiles of the plan
   * @param firstJob the job number of its first tile
   */
  @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
  record PlannedPairing(
      String key,
      String rows,
      String cols,
      int rowCount,
      int colCount,
      boolean symmetric,
      int blockSize,
      int passSize,
      int tiles,
      int firstJob) {

    /** The plan these fields describe. */
    TilePlan plan() {
      return new TilePlan(rowCount, colCount, symmetric, blockSize, passSize);
    }
  }
}
