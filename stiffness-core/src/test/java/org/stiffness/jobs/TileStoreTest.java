package org.stiffness.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.gram.GramTile;
import org.stiffness.gram.TilePlan;
import org.stiffness.stats.tiles.StatisticsSums;
import org.stiffness.stats.tiles.SumsShape;

class TileStoreTest {
  private static final String HASH = "a".repeat(64);
  private static final TilePlan PLAN = new TilePlan(10, 7, false, 4, 4);

  @TempDir Path temp;

  /** Tile 4 of the plan, (2, 0): rows 8..10, columns 0..4, with random contents. */
  private static GramTile tile(long seed) {
    TilePlan.Tile t = PLAN.tile(4);
    Random r = new Random(seed);
    float[] v = new float[t.height() * t.width()];
    for (int k = 0; k < v.length; k++) {
      v[k] = (float) r.nextGaussian();
    }
    return new GramTile(
        t,
        v,
        r.doubles(t.height()).toArray(),
        r.doubles(t.height()).map(d -> d * 1e-7).toArray(),
        r.doubles(t.width()).toArray(),
        r.doubles(t.width()).map(d -> Math.PI * d).toArray(),
        17);
  }

  @Test
  void aWrittenTileReadsBackBitwise() throws IOException {
    TileStore store = new TileStore(temp);
    GramTile written = tile(1);
    store.write("train-val", written, HASH);
    TileStore.State<GramTile> state = store.check("train-val", PLAN, 4, HASH);
    GramTile read = (GramTile) assertInstanceOf(TileStore.Present.class, state).content();
    assertArrayEquals(written.values(), read.values());
    assertArrayEquals(written.rowSquaredNorms(), read.rowSquaredNorms());
    assertArrayEquals(written.rowErrorScale(), read.rowErrorScale());
    assertArrayEquals(written.colSquaredNorms(), read.colSquaredNorms());
    assertArrayEquals(written.colErrorScale(), read.colErrorScale());
    assertEquals(17, read.innerLength());
    assertEquals(written.tile(), read.tile());
  }

  @Test
  void noSidecarMeansMissingEvenWithTheValuesWritten() throws IOException {
    TileStore store = new TileStore(temp);
    store.write("train-val", tile(1), HASH);
    Files.delete(store.sidecarFile("train-val", 4)); // killed between the two writes
    assertInstanceOf(TileStore.Missing.class, store.check("train-val", PLAN, 4, HASH));
    assertInstanceOf(TileStore.Missing.class, store.check("train-val", PLAN, 5, HASH));
  }

  @Test
  void aChangedByteInTheEntriesIsCaughtByTheChecksum() throws IOException {
    TileStore store = new TileStore(temp);
    store.write("train-val", tile(1), HASH);
    Path values = store.valuesFile("train-val", 4);
    byte[] bytes = Files.readAllBytes(values);
    bytes[bytes.length - 3] ^= 0x10; // inside the last float
    Files.write(values, bytes);
    TileStore.Corrupt<?> c =
        assertInstanceOf(TileStore.Corrupt.class, store.check("train-val", PLAN, 4, HASH));
    assertTrue(c.reason().contains("SHA-256"), c.reason());
  }

  @Test
  void aTruncatedTileIsCorrupt() throws IOException {
    TileStore store = new TileStore(temp);
    store.write("train-val", tile(1), HASH);
    try (FileChannel ch =
        FileChannel.open(store.valuesFile("train-val", 4), StandardOpenOption.WRITE)) {
      ch.truncate(ch.size() - 10);
    }
    assertInstanceOf(TileStore.Corrupt.class, store.check("train-val", PLAN, 4, HASH));
  }

  @Test
  void aChangedNormInTheSidecarIsCaughtByTheChecksum() throws IOException {
    TileStore store = new TileStore(temp);
    GramTile t = tile(1);
    store.write("train-val", t, HASH);
    Path sidecar = store.sidecarFile("train-val", 4);
    String text = Files.readString(sidecar);
    String norm = Double.toString(t.colSquaredNorms()[1]);
    assertTrue(text.contains(norm), "the norm is written as " + norm);
    Files.writeString(sidecar, text.replace(norm, Double.toString(t.colSquaredNorms()[1] * 2)));
    assertInstanceOf(TileStore.Corrupt.class, store.check("train-val", PLAN, 4, HASH));
  }

  @Test
  void aTileCopiedToAnotherPlaceIsCorrupt() throws IOException {
    TileStore store = new TileStore(temp);
    store.write("train-val", tile(1), HASH);
    Files.copy(store.valuesFile("train-val", 4), store.valuesFile("train-val", 5));
    Files.copy(store.sidecarFile("train-val", 4), store.sidecarFile("train-val", 5));
    TileStore.Corrupt<?> c =
        assertInstanceOf(TileStore.Corrupt.class, store.check("train-val", PLAN, 5, HASH));
    assertTrue(c.reason().contains("expected train-val tile 5"), c.reason());
  }

  @Test
  void aTileOfAnotherConfigurationIsForeign() throws IOException {
    TileStore store = new TileStore(temp);
    store.write("train-val", tile(1), "b".repeat(64));
    TileStore.Foreign<?> f =
        assertInstanceOf(TileStore.Foreign.class, store.check("train-val", PLAN, 4, HASH));
    assertEquals("b".repeat(64), f.configHash());
  }

  private static final SumsShape SHAPE = new SumsShape(new int[] {3}, 20, true);

  /**
   * Sums of tile 4 of 3 classes and 20 bins with random contents: small non-negative integers
   * everywhere, so that every count of the layout is a valid one, and fractions for the rest.
   */
  private static StatisticsSums sums() {
    TilePlan.Tile t = PLAN.tile(4);
    Random r = new Random(5);
    int n = StatisticsSums.vectorLength(SHAPE, t.height(), t.width(), false);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextInt(100);
    }
    StatisticsSums s = StatisticsSums.fromVector(SHAPE, t, false, v);
    double[] fractions = s.toVector();
    int suffix = StatisticsSums.prefixLength(SHAPE, t.height(), t.width());
    // The critical-length sums at the end: any float64 survives.
    for (int i = n - 2 * 6 * t.height(); i < n; i++) {
      fractions[i] = r.nextGaussian();
    }
    assertTrue(suffix < n - 2 * 6 * t.height());
    return StatisticsSums.fromVector(SHAPE, t, false, fractions);
  }

  @Test
  void writtenSumsReadBackBitwise() throws IOException {
    TileStore store = new TileStore(temp);
    StatisticsSums written = sums();
    store.writeSums("train-val", written, HASH);
    StatisticsSums read =
        (StatisticsSums)
            assertInstanceOf(
                    TileStore.Present.class, store.checkSums("train-val", PLAN, 4, HASH, SHAPE))
                .content();
    assertArrayEquals(written.toVector(), read.toVector());
    assertEquals(written.tile(), read.tile());
  }

  @Test
  void changedSumsOrSumsOfAnotherShapeAreCorrupt() throws IOException {
    TileStore store = new TileStore(temp);
    store.writeSums("train-val", sums(), HASH);
    SumsShape other = new SumsShape(new int[] {3}, 10, true);
    TileStore.Corrupt<?> c =
        assertInstanceOf(
            TileStore.Corrupt.class, store.checkSums("train-val", PLAN, 4, HASH, other));
    assertTrue(c.reason().contains("describe other"), c.reason());

    Path values = store.sumsFile("train-val", 4);
    byte[] bytes = Files.readAllBytes(values);
    bytes[bytes.length - 2] ^= 0x01;
    Files.write(values, bytes);
    c =
        assertInstanceOf(
            TileStore.Corrupt.class, store.checkSums("train-val", PLAN, 4, HASH, SHAPE));
    assertTrue(c.reason().contains("SHA-256"), c.reason());
    assertInstanceOf(TileStore.Missing.class, store.checkSums("train-val", PLAN, 3, HASH, SHAPE));
  }

  @Test
  void tileFileNamesHaveAsciiDigitsWhateverTheDefaultLocale() {
    // Shards on machines with other locales must find each other's tiles: an Arabic default
    // locale formats %d with Arabic-Indic digits.
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.forLanguageTag("ar-EG"));
    try {
      TileStore store = new TileStore(temp);
      assertEquals(
          temp.resolve("train-val").resolve("sums-000042.npy"), store.sumsFile("train-val", 42));
      assertEquals(
          temp.resolve("train-val").resolve("sums-000042.json"),
          store.sumsSidecarFile("train-val", 42));
    } finally {
      Locale.setDefault(before);
    }
  }
}
