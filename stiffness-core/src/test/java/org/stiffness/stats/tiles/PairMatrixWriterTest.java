package org.stiffness.stats.tiles;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.gram.GramMatrix;
import org.stiffness.gram.GramTile;
import org.stiffness.gram.TilePlan;
import org.stiffness.io.NpyWriter;
import org.stiffness.stats.PairStiffness;
import org.stiffness.stats.Pool;

/**
 * The pair matrices written tile by tile equal, byte for byte, those {@link PairStiffness} makes
 * from the whole matrix (mirrored tiles, a zero-gradient example and self-pairs included).
 */
class PairMatrixWriterTest {
  @TempDir Path temp;

  private static GramTile cut(GramMatrix k, TilePlan.Tile t) {
    float[] v = new float[t.height() * t.width()];
    double[] rs = new double[t.height()];
    double[] cs = new double[t.width()];
    for (int i = 0; i < t.height(); i++) {
      rs[i] = k.rowSquaredNorm(t.rowStart() + i);
      for (int j = 0; j < t.width(); j++) {
        v[i * t.width() + j] = k.get(t.rowStart() + i, t.colStart() + j);
      }
    }
    for (int j = 0; j < t.width(); j++) {
      cs[j] = k.colSquaredNorm(t.colStart() + j);
    }
    return new GramTile(t, v, rs, rs.clone(), cs, cs.clone(), 1);
  }

  private void assertTilesMakeTheWholeMatrices(Pool pool, int[] x, int[] y, TilePlan plan)
      throws IOException {
    GramMatrix k = pool.gram(x, y, 0);
    PairStiffness pairs = PairStiffness.of(k);
    Path cos = temp.resolve("cos.npy");
    Path sign = temp.resolve("sign.npy");
    try (PairMatrixWriter w = new PairMatrixWriter(cos, sign, x.length, y.length)) {
      for (TilePlan.Tile t : plan.tiles()) {
        w.write(cut(k, t), plan.symmetric() && t.rowBlock() != t.colBlock());
      }
      w.commit();
    }
    Path expectedCos = temp.resolve("expected-cos.npy");
    Path expectedSign = temp.resolve("expected-sign.npy");
    NpyWriter.write(expectedCos, pairs.cosineValues(), x.length, y.length);
    NpyWriter.write(expectedSign, pairs.signValues(), x.length, y.length);
    assertArrayEquals(Files.readAllBytes(expectedCos), Files.readAllBytes(cos));
    assertArrayEquals(Files.readAllBytes(expectedSign), Files.readAllBytes(sign));
  }

  @Test
  void symmetricTilesAndTheirMirrors() throws IOException {
    Pool pool = new Pool(7, 40, 5, 3, 3);
    Arrays.fill(pool.grads[4], 0);
    int[] x = Pool.range(0, 23);
    assertTilesMakeTheWholeMatrices(pool, x, x, new TilePlan(23, 23, true, 6, 6));
  }

  @Test
  void rectangularTilesWithSharedExamples() throws IOException {
    Pool pool = new Pool(8, 40, 5, 3, 3);
    assertTilesMakeTheWholeMatrices(
        pool, Pool.range(0, 17), Pool.range(10, 31), new TilePlan(17, 21, false, 5, 5));
  }
}
