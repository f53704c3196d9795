package org.stiffness.stats;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.stiffness.gram.TilePlan;

/**
 * A tile's input distances hold at most {@link CosineTileDistances#PEAK_BYTES_PER_PAIR} per pair,
 * the number the memory plan counts: the live arrays are weighed when the tile starts and at every
 * moment its temporaries peak. Views hold no memory of their own but are weighed at full size, so
 * the ones the code makes are taken off: the row and column slices of the normalised inputs and the
 * transposed column slice ({@code (h + 2 w) D} floats) and the flat view of the tile ({@code h w}
 * floats). The cell table of a set of critical values, made once per run, is made before. Gaussian
 * inputs in D = 784 with the default bins' edges and a window as critical values, so some pairs are
 * rechecked, as in a real run.
 */
class CosineTileDistancesMemoryTest {
  private static final int DIM = 784;

  @AfterEach
  void forget() {
    CosineTileDistances.moment = where -> {};
  }

  @Test
  void aTilesDistancesStayWithinThePlannedBytesPerPair() {
    int n = 300;
    float[] inputs = NearEdgeInputs.gaussian(n, DIM, 3);
    // Edges near 1, where Gaussian pairs crowd: more rechecked pairs than the default bins give.
    double[] critical =
        DoubleStream.concat(
                DoubleStream.of(DistanceBins.defaults().edges()),
                DoubleStream.of(0.97, 0.99, 1.0, 1.01, 1.03))
            .toArray();
    TilePlan plan = new TilePlan(n, n, true, 128, 128);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu());
        CosineTileDistances distances =
            new CosineTileDistances(inputs, n, inputs, n, DIM, manager)) {
      NDManager root = manager.getParentManager();
      // The first rechecked tile uploads the cell table of these critical values (8 / bound
      // bytes, 256 KiB here), kept until close: per run, not per pair, so made before the weighing.
      distances.tile(plan.tile(0), manager, critical).close();
      for (boolean rechecked : new boolean[] {true, false}) {
        for (TilePlan.Tile t : plan.tiles()) {
          long pairs = (long) t.height() * t.width();
          long views = 4L * ((t.height() + 2L * t.width()) * DIM + (rechecked ? pairs : 0));
          long[] start = new long[1];
          long[] worst = new long[1];
          CosineTileDistances.moment =
              where -> {
                long live = liveBytes(root);
                if (where.equals("tile")) {
                  start[0] = live;
                } else {
                  worst[0] = Math.max(worst[0], live - start[0] - views);
                }
              };
          NDArray d = rechecked ? distances.tile(t, manager, critical) : distances.tile(t, manager);
          d.close();
          String what = (rechecked ? "rechecked " : "") + t + ": " + worst[0] + " bytes";
          assertTrue(
              worst[0] <= CosineTileDistances.PEAK_BYTES_PER_PAIR * pairs + 64,
              what + " over " + CosineTileDistances.PEAK_BYTES_PER_PAIR + " per pair");
          // The moments are wired where the memory is: the peak seen is more than the result.
          assertTrue(worst[0] >= (rechecked ? 12 : 8) * pairs, what + ", the peak unseen");
        }
      }
    }
  }

  private static long liveBytes(NDManager manager) {
    long bytes = 0;
    for (NDArray a : manager.getManagedArrays()) {
      bytes += a.getShape().size() * a.getDataType().getNumOfBytes();
    }
    return bytes;
  }
}
