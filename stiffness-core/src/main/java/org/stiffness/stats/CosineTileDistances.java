package org.stiffness.stats;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.IntStream;
import org.stiffness.gram.TilePlan;

/**
 * Cosine distances of flattened inputs, {@code d = 1 - x1.x2 / (|x1| |x2|)} clamped to {@code [0,
 * 2]} and stored as float, per tile on the tile's device: each tile's dot products are one float64
 * matrix product of its row and column inputs. The values are those of {@link
 * InputDistances#cosine(float[], int, float[], int, int, NDManager)} (float x float is exact in
 * float64, the sums differ only in summation order, 1e-16 relative, and the inverse norms are the
 * same Java sums), so as floats they agree with the whole-matrix distances on all but the rarest
 * pair.
 *
 * <p>The inputs are copied to each device once, as float64 ({@code (N + M) D} doubles), and freed
 * with {@link #close()}.
 */
public final class CosineTileDistances implements TileDistances, AutoCloseable {
  private final float[] rowInputs;
  private final float[] colInputs;
  private final int rows;
  private final int cols;
  private final int dim;
  private final double[] rowInv;
  private final double[] colInv;
  private final NDManager owner;
  private final Map<Device, NDArray[]> onDevice = new HashMap<>();
  // The dot products of the last tile, kept for the next (a fresh 8 MiB array costs its zeroing).
  private double[] dots = new double[0];

  /**
   * @param rowInputs row-major {@code (rows, dim)} flattened inputs of X
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

  @Override
  public synchronized NDArray tile(TilePlan.Tile tile, NDManager manager) {
    if (tile.rowEnd() > rows || tile.colEnd() > cols) {
      throw new IllegalArgumentException(
          tile + " reaches beyond the " + rows + " x " + cols + " examples of the distances");
    }
    NDArray[] inputs = onDevice.computeIfAbsent(manager.getDevice(), this::upload);
    try (NDManager scope = manager.newSubManager()) {
      NDArray x = inputs[0].get(tile.rowStart() + ":" + tile.rowEnd());
      NDArray y = inputs[2].get(tile.colStart() + ":" + tile.colEnd());
      NDArray rInv = inputs[1].get(tile.rowStart() + ":" + tile.rowEnd());
      NDArray cInv = inputs[3].get(tile.colStart() + ":" + tile.colEnd()).reshape(1, -1);
      for (NDArray a : new NDArray[] {x, y, rInv, cInv}) {
        a.attach(scope);
      }
      NDArray dots = x.matMul(y.transpose());
      dots.attach(scope);
      // 1 - (dot * |x1|^-1) * |x2|^-1, in the order of InputDistances' Java expression.
      NDArray d = dots.mul(rInv).mul(cInv).neg().add(1).clip(0, 2).toType(DataType.FLOAT32, false);
      d.attach(manager);
      return d;
    }
  }

  /**
   * The dot products on the device, the rest in one pass in the JVM: on a CPU, libtorch would take
   * five passes over the float64 tile for {@code 1 - dot r c}, the clamp and the rounding.
   */
  @Override
  public synchronized float[] hostTile(TilePlan.Tile tile, NDManager manager) {
    if (tile.rowEnd() > rows || tile.colEnd() > cols) {
      throw new IllegalArgumentException(
          tile + " reaches beyond the " + rows + " x " + cols + " examples of the distances");
    }
    NDArray[] inputs = onDevice.computeIfAbsent(manager.getDevice(), this::upload);
    int h = tile.height();
    int w = tile.width();
    if (dots.length < h * w) {
      dots = new double[h * w];
    }
    try (NDManager scope = manager.newSubManager()) {
      NDArray x = inputs[0].get(scope, new NDIndex(tile.rowStart() + ":" + tile.rowEnd()));
      NDArray y = inputs[2].get(scope, new NDIndex(tile.colStart() + ":" + tile.colEnd()));
      x.matMul(y.transpose()).toByteBuffer(true).asDoubleBuffer().get(0, dots, 0, h * w);
    }
    float[] out = new float[h * w];
    double[] cInv = Arrays.copyOfRange(colInv, tile.colStart(), tile.colEnd());
    int r0 = tile.rowStart();
    IntStream.range(0, h)
        .parallel()
        .forEach(i -> finish(dots, out, i * w, w, rowInv[r0 + i], cInv));
    return out;
  }

  /**
   * One row: InputDistances' expression {@code 1 - (dot * |x1|^-1) * |x2|^-1}, clamped to [0, 2]
   * (with comparisons: the same values as Math.min/max for these finite, non-negative-zero
   * operands, without their NaN and -0.0 handling), as float.
   */
  private static void finish(
      double[] dots, float[] out, int base, int w, double rowInv, double[] colInv) {
    for (int j = 0; j < w; j++) {
      double d = 1 - dots[base + j] * rowInv * colInv[j];
      out[base + j] = (float) (d < 0 ? 0 : (d > 2 ? 2 : d));
    }
  }

  private NDArray[] upload(Device device) {
    NDManager m = owner.newSubManager(device);
    NDArray x = float64(m, rowInputs, rows);
    NDArray y = colInputs == rowInputs ? x : float64(m, colInputs, cols);
    NDArray rInv = m.create(rowInv, new Shape(rows, 1));
    NDArray cInv = colInv == rowInv ? rInv : m.create(colInv, new Shape(cols, 1));
    return new NDArray[] {x, rInv, y, cInv};
  }

  private NDArray float64(NDManager m, float[] inputs, int n) {
    try (NDArray single = m.create(inputs, new Shape(n, dim))) {
      return single.toType(DataType.FLOAT64, false);
    }
  }

  @Override
  public synchronized void close() {
    onDevice.clear();
    owner.close();
  }
}
