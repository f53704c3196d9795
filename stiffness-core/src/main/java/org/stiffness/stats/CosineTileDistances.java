package org.stiffness.stats;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.stiffness.gram.Tf32Override;
import org.stiffness.gram.TilePlan;

/**
 * Cosine distances of flattened inputs, {@code d = 1 - x1.x2 / (|x1| |x2|)}, per tile on the tile's
 * device: each tile's cosines are one float32 matrix product of its row and column inputs,
 * normalised beforehand in Java, so {@code d32 = fl32(1 - cos)}, one float32 operation per pair
 * (float32 products run about twice as fast as the float64 ones this class used before, and hold
 * half the memory).
 *
 * <p>The reference of a pair is its value in {@link InputDistances#cosine(float[], int, float[],
 * int, int)}, the plain Java loop (float64 dot product summed in input order, {@code 1 - (dot *
 * |x1|^-1) * |x2|^-1}, clamped to [0, 2], rounded to float). Every value here lies within a
 * rigorous bound of it ({@link #bound(Device)}: about {@code 4.7e-5} for D = 784 and fp32 products,
 * the worst case; typically {@code 1e-7}; the derivation is in {@link CosineRoundingBound}). {@link
 * #tile(TilePlan.Tile, NDManager, double[])} then recomputes, with that same Java loop, every pair
 * whose {@code d32} lies within the bound of a critical value or outside [0, 2], and writes the
 * loop's value over it. Those pairs are bitwise the reference: the same operations in the same
 * order, so even a pair exactly at a critical value (a tie) compares as the reference does. Every
 * other pair lies strictly on the same side of every critical value as its reference, so bins and
 * window come out as from the reference. (The reference is the Java loop, not {@link
 * InputDistances#cosine(float[], int, float[], int, int, NDManager)}, whose float64 BLAS sums in
 * another order and may differ from the loop in the last bit, so may put a pair that lies exactly
 * at an edge on the other side.) {@link #tile(TilePlan.Tile, NDManager)} returns {@code d32}
 * clamped to [0, 2], not rechecked.
 *
 * <p>The recheck reads the flagged positions to the host once per tile (their count is data
 * dependent) and runs on the host's cores; on a GPU that is one synchronisation per tile. It costs
 * D multiply-adds per flagged pair: 0.15 to 0.2% of the pairs for D = 784 and the default bins
 * (Gaussian inputs and Fashion-MNIST images measured), more where the distances crowd at a bin
 * edge. On a GPU told to run fp32 products as TF32 ({@link Tf32Override}) the bound is about {@code
 * 2.1e-3}, 45 times larger, and so is the share of pairs rechecked on the host (about 7% of
 * Gaussian pairs): slow, but exact.
 *
 * <p>Memory, per device: the normalised inputs, {@code (N + M) D} floats ({@code N D} when X = X),
 * and for each distinct set of critical values a table of {@code 8 / bound} bytes at most (256 KiB
 * for D = 784), freed with {@link #close()}. Per tile: the result, 4 bytes per pair; while a
 * rechecked tile is made, at most 12 more bytes per pair of temporaries (cell positions, then cell
 * indices; 16 bytes per pair at the peak, result included), then 1 byte per pair of flags, and 12
 * bytes per flagged pair on the device and 20 on the host.
 */
public final class CosineTileDistances implements TileDistances, AutoCloseable {
  /**
   * Device bytes per pair a tile's distances hold at their peak, the result included: the float32
   * result (4), then, while a rechecked tile's pairs are looked up in the cells, their float32
   * positions and int64 cell indices (12) or the indices and the boolean flags (9). The memory plan
   * counts this per pair of a tile (CosineTileDistancesTest weighs it); the flagged pairs' 12 bytes
   * each come on top (0.15 to 0.2 % of the pairs in fp32, about 7 % under TF32).
   */
  public static final long PEAK_BYTES_PER_PAIR = 16;

  /**
   * A test hook: called with {@code "tile"} once a tile's inputs are on its device and {@code
   * "peak"} where the tile's temporaries are largest; does nothing otherwise.
   */
  static volatile Consumer<String> moment = where -> {};

  private final float[] rowInputs;
  private final float[] colInputs;
  private final int rows;
  private final int cols;
  private final int dim;
  private final double[] rowInv;
  private final double[] colInv;
  private final NDManager owner;
  private final Map<Device, OnDevice> onDevice = new HashMap<>();

  /**
   * @param rowInputs row-major {@code (rows, dim)} flattened inputs of X (read, not copied: do not
   *     modify while this is open)
   * @param colInputs row-major {@code (cols, dim)} flattened inputs of Y (the same array for X = X)
   * @param owner parent of the managers holding the inputs on each device
   * @throws IllegalArgumentException if an input vector is zero or not finite (names the example)
   */
  public CosineTileDistances(
      float[] rowInputs, int rows, float[] colInputs, int cols, int dim, NDManager owner) {
    InputDistances.requireShapes(rowInputs, rows, colInputs, cols, dim);
    this.rowInputs = rowInputs;
    this.colInputs = colInputs;
    this.rows = rows;
    this.cols = cols;
    this.dim = dim;
    this.rowInv = InputDistances.inverseNorms("row", rowInputs, rows, dim);
    this.colInv =
        rowInputs == colInputs
            ? rowInv
            : InputDistances.inverseNorms("column", colInputs, cols, dim);
    this.owner = Objects.requireNonNull(owner, "owner").newSubManager();
  }

  /**
   * {@code d32}, clamped to [0, 2]: within {@link #bound(Device)} of the reference, not rechecked.
   *
   * @return float32 {@code (height, width)} distances in {@code [0, 2]}
   */
  @Override
  public NDArray tile(TilePlan.Tile tile, NDManager manager) {
    OnDevice inputs = on(manager.getDevice());
    moment.accept("tile");
    try (NDManager scope = manager.newSubManager()) {
      NDArray d = unclamped(tile, inputs, scope).clip(0, 2);
      moment.accept("peak");
      d.attach(manager);
      return d;
    }
  }

  /**
   * {@code d32} with every pair within {@link #bound(Device)} of a critical value, or outside [0,
   * 2], replaced by its reference (bitwise the Java loop's): the contract of {@link
   * TileDistances#tile(TilePlan.Tile, NDManager, double[])}, with {@code ref} the Java loop's
   * value.
   */
  @Override
  public NDArray tile(TilePlan.Tile tile, NDManager manager, double[] criticalValues) {
    Objects.requireNonNull(criticalValues, "criticalValues");
    OnDevice inputs = on(manager.getDevice());
    moment.accept("tile");
    try (NDManager scope = manager.newSubManager()) {
      NDArray d = unclamped(tile, inputs, scope);
      NDArray flat = d.reshape(-1); // a view: writing into it writes into d
      NDArray near = inputs.near(criticalValues, flat);
      moment.accept("peak");
      NDArray flagged = near.nonzero().reshape(-1);
      moment.accept("peak");
      long[] at = flagged.toLongArray(); // the one synchronisation of the tile
      if (at.length > 0) {
        flat.set(new NDIndex("{}", flagged), scope.create(references(tile, at)));
        moment.accept("peak");
      }
      d.attach(manager);
      return d;
    }
  }

  /**
   * How far a distance of {@link #tile(TilePlan.Tile, NDManager)} can lie from its reference on
   * this device: {@link CosineRoundingBound#tf32} on a GPU told to multiply fp32 as TF32, else
   * {@link CosineRoundingBound#fp32}.
   */
  double bound(Device device) {
    return bound(device, dim, System.getenv());
  }

  /** {@link #bound(Device)} on a CPU (and on a GPU without TF32). */
  double bound() {
    return CosineRoundingBound.fp32(dim);
  }

  static double bound(Device device, int dim, Map<String, String> environment) {
    return device.isGpu() && Tf32Override.productsInTf32(environment)
        ? CosineRoundingBound.tf32(dim)
        : CosineRoundingBound.fp32(dim);
  }

  /** {@code fl32(1 - cos)} of the tile's pairs, in {@code scope}. */
  private NDArray unclamped(TilePlan.Tile tile, OnDevice inputs, NDManager scope) {
    if (tile.rowEnd() > rows || tile.colEnd() > cols) {
      throw new IllegalArgumentException(
          tile + " reaches beyond the " + rows + " x " + cols + " examples of the distances");
    }
    NDArray x = inputs.rows.get(scope, new NDIndex(tile.rowStart() + ":" + tile.rowEnd()));
    NDArray y = inputs.cols.get(scope, new NDIndex(tile.colStart() + ":" + tile.colEnd()));
    NDArray d = x.matMul(y.transpose()).negi().addi(1);
    moment.accept("peak");
    return d;
  }

  /** The Java loop's distances of the tile's pairs at flat positions {@code at} (row-major). */
  private float[] references(TilePlan.Tile tile, long[] at) {
    int n = at.length;
    int w = tile.width();
    int[] rowOf = new int[n];
    int[] colOf = new int[n];
    for (int p = 0; p < n; p++) {
      rowOf[p] = tile.rowStart() + (int) (at[p] / w);
      colOf[p] = tile.colStart() + (int) (at[p] % w);
    }
    float[] out = new float[n];
    // Chunks of 256 pairs (200k multiply-adds for D = 784): enough work per task for the pool.
    int chunk = 256;
    IntStream.range(0, (n + chunk - 1) / chunk)
        .parallel()
        .forEach(
            c ->
                InputDistances.distancesOf(
                    rowInputs,
                    colInputs,
                    dim,
                    rowInv,
                    colInv,
                    rowOf,
                    colOf,
                    out,
                    c * chunk,
                    Math.min(n, (c + 1) * chunk)));
    return out;
  }

  private synchronized OnDevice on(Device device) {
    OnDevice inputs = onDevice.get(device);
    if (inputs == null) {
      NDManager m = owner.newSubManager(device);
      NDArray x = normalised(m, rowInputs, rows, rowInv);
      NDArray y = colInputs == rowInputs ? x : normalised(m, colInputs, cols, colInv);
      inputs = new OnDevice(m, x, y, bound(device), CosineRoundingBound.reach(dim));
      onDevice.put(device, inputs);
    }
    return inputs;
  }

  /** {@code (float) (x_k |x|^-1)} with the Java inverse norms, as step 2 of the bound has it. */
  private NDArray normalised(NDManager m, float[] inputs, int n, double[] inv) {
    float[] unit = new float[inputs.length];
    IntStream.range(0, n)
        .parallel()
        .forEach(
            i -> {
              for (int k = i * dim; k < (i + 1) * dim; k++) {
                unit[k] = (float) (inputs[k] * inv[i]);
              }
            });
    return m.create(unit, new Shape(n, dim));
  }

  @Override
  public synchronized void close() {
    onDevice.clear();
    owner.close();
  }

  /** The normalised inputs on one device, and the cell tables of the critical values seen there. */
  private static final class OnDevice {
    private final NDManager manager;
    private final NDArray rows;
    private final NDArray cols;
    private final double bound;
    private final double reach;
    // Every table made stays until close(): a tile may still be using one another thread looked
    // up, and a run has one set of critical values (bin edges and window) per pairing.
    private final Map<List<Double>, Cells> cells = new HashMap<>();

    OnDevice(NDManager manager, NDArray rows, NDArray cols, double bound, double reach) {
      this.manager = manager;
      this.rows = rows;
      this.cols = cols;
      this.bound = bound;
      this.reach = reach;
    }

    /** Which distances may compare with a critical value otherwise than their references. */
    NDArray near(double[] criticalValues, NDArray distances) {
      if (!(bound < 0.5)) { // D in the millions: every pair may be on either side
        return distances.getManager().ones(distances.getShape(), DataType.BOOLEAN);
      }
      Cells c = cellsFor(criticalValues);
      return c.table.near(distances, c.marks);
    }

    private synchronized Cells cellsFor(double[] criticalValues) {
      List<Double> key = Arrays.stream(criticalValues).boxed().toList();
      return cells.computeIfAbsent(
          key,
          k -> {
            CriticalCells table = CriticalCells.of(criticalValues, bound, reach);
            return new Cells(table, table.upload(manager));
          });
    }
  }

  private record Cells(CriticalCells table, NDArray marks) {}
}
