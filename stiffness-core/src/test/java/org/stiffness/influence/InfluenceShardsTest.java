package org.stiffness.influence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.gradients.Checkpoint;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.GramOptions;
import org.stiffness.influence.InfluenceOracle.Setup;
import org.stiffness.jobs.Shard;
import org.stiffness.testing.PaperShapedModels;
import org.stiffness.testing.RandomExamples;

/**
 * Four shards of an influence computation, each written to its files and read back, merge into the
 * result of one process bit for bit; a missing, repeated, damaged or foreign shard is refused with
 * a line naming it.
 */
class InfluenceShardsTest {
  private static final double[] WEIGHTS = {0.25, 1.5, 0.75};
  private static final GramOptions OPTIONS =
      GramOptions.defaults().withBlockSize(5).withMemoryBudget(256L << 20);
  private static NDManager manager;
  private static Setup setup;
  private static Examples train;
  private static Examples test;

  @BeforeAll
  static void setUp() {
    manager = NDManager.newBaseManager(Device.cpu());
    setup =
        InfluenceOracle.checkpoints(PaperShapedModels.mlp(manager, 10, 8, 6, 4), WEIGHTS, 0.4, 5);
    train =
        RandomExamples.of(manager, "train", setup.twin().exampleShape(), 23, 4, 1, 0).examples();
    test =
        RandomExamples.of(manager, "test", setup.twin().exampleShape(), 12, 4, 2, 100).examples();
  }

  @AfterAll
  static void tearDown() {
    manager.close();
  }

  private static TracIn tracIn() {
    return TracIn.builder(setup.twin().block())
        .checkpoints(setup.checkpoints())
        .options(OPTIONS)
        .topK(3)
        .build();
  }

  private static List<InfluenceShard> fourShards(Path dir) throws IOException {
    try (TracIn tracIn = tracIn()) {
      for (int i = 0; i < 4; i++) {
        tracIn.shard(train, test, new Shard(i, 4)).write(dir);
      }
    }
    return InfluenceShard.readAll(dir);
  }

  @Test
  void fourShardsMergedEqualOneProcessBitwise(@TempDir Path dir) throws IOException {
    InfluenceResult one;
    try (TracIn tracIn = tracIn()) {
      assertEquals(15, tracIn.tilePlan(train, test).tileCount()); // 5 x 3 tiles, uneven shards
      one = tracIn.influence(train, test);
    }
    List<InfluenceShard> shards = fourShards(dir);
    assertEquals(4, shards.size());
    assertEquals(List.of(1, 5, 9, 13), shards.get(1).tiles());
    InfluenceResult merged =
        InfluenceShard.merge(List.of(shards.get(2), shards.get(0), shards.get(3), shards.get(1)));
    assertTrue(merged.sameBits(one), "4 merged shards differ from one process");
    assertEquals(List.of("step=100", "step=200", "step=300"), merged.checkpoints());
  }

  @Test
  void aMissingShardIsNamed(@TempDir Path dir) throws IOException {
    List<InfluenceShard> shards = new ArrayList<>(fourShards(dir));
    shards.remove(2);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> InfluenceShard.merge(shards));
    assertEquals("influence shards 2/4 are missing (4 shards)", e.getMessage());
  }

  @Test
  void aShardGivenTwiceIsRefused(@TempDir Path dir) throws IOException {
    List<InfluenceShard> shards = new ArrayList<>(fourShards(dir));
    shards.set(3, shards.get(0));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> InfluenceShard.merge(shards));
    assertEquals("influence shard 0/4 is given twice", e.getMessage());
  }

  @Test
  void aDamagedShardFileIsNamedWithItsChecksum(@TempDir Path dir) throws IOException {
    fourShards(dir);
    Path npy = dir.resolve("influence-1-of-4.npy");
    byte[] bytes = Files.readAllBytes(npy);
    bytes[bytes.length - 3] ^= 1;
    Files.write(npy, bytes);
    IOException e = assertThrows(IOException.class, () -> InfluenceShard.readAll(dir));
    assertTrue(
        e.getMessage().startsWith(npy + ": damaged or changed since it was written: its SHA-256"),
        e.getMessage());
  }

  @Test
  void aShardOfAnotherComputationIsRefused(@TempDir Path dir) throws IOException {
    List<InfluenceShard> shards = new ArrayList<>(fourShards(dir.resolve("a")));
    try (TracIn other =
        TracIn.builder(setup.twin().block())
            .checkpoints(setup.checkpoints().subList(0, 2))
            .options(OPTIONS)
            .topK(3)
            .build()) {
      shards.set(1, other.shard(train, test, new Shard(1, 4)));
    }
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> InfluenceShard.merge(shards));
    assertTrue(
        e.getMessage().startsWith("influence shard 1/4 is of another computation"), e.getMessage());
  }

  @Test
  void tracInMergesTheShardsOfItsOwnComputationBitwise(@TempDir Path dir) throws IOException {
    List<InfluenceShard> shards = fourShards(dir);
    try (TracIn tracIn = tracIn()) {
      InfluenceResult one = tracIn.influence(train, test);
      assertTrue(tracIn.merge(train, test, shards).sameBits(one));
    }
  }

  /**
   * Shards of a process whose checkpoint has the same name and weight but other parameter values (a
   * training that went elsewhere), or whose test inputs differ in one value, are refused by the run
   * that merges; InfluenceShard.merge alone cannot see it.
   */
  @Test
  void shardsAtOtherParametersOrInputsAreRefusedByTracInMerge(@TempDir Path dir)
      throws IOException {
    List<Checkpoint> moved = new ArrayList<>(setup.checkpoints());
    Checkpoint c = moved.get(1);
    moved.set(
        1,
        Checkpoint.of(
            c.name(),
            c.weight(),
            m -> {
              c.loadInto(m);
              m.getParameters().get(0).getValue().getArray().addi(1e-3f);
            }));
    try (TracIn other =
        TracIn.builder(setup.twin().block()).checkpoints(moved).options(OPTIONS).topK(3).build()) {
      for (int i = 0; i < 2; i++) {
        other.shard(train, test, new Shard(i, 2)).write(dir.resolve("moved"));
      }
    }
    List<InfluenceShard> shards = InfluenceShard.readAll(dir.resolve("moved"));
    InfluenceShard.merge(shards); // consistent among themselves
    try (TracIn tracIn = tracIn()) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> tracIn.merge(train, test, shards));
      assertTrue(
          e.getMessage().startsWith("influence shard 0/2 was computed with another configuration"),
          e.getMessage());
      NDArray inputs = test.inputs().singletonOrThrow().duplicate();
      inputs.set(new NDIndex("3"), 0.125f);
      Examples changed = Examples.of("test", new NDList(inputs), test.labels(), idsOf(test));
      List<InfluenceShard> ours = fourShards(dir.resolve("ours"));
      assertTrue(tracIn.merge(train, test, ours).sameBits(tracIn.influence(train, test)));
      assertThrows(IllegalArgumentException.class, () -> tracIn.merge(train, changed, ours));
    }
  }

  private static long[] idsOf(Examples examples) {
    long[] ids = new long[examples.size()];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = examples.id(i);
    }
    return ids;
  }

  @Test
  void aDirectoryWithoutShardsIsNamed(@TempDir Path dir) {
    IOException e = assertThrows(IOException.class, () -> InfluenceShard.readAll(dir));
    assertEquals(
        dir + " holds no influence shard files (influence-<i>-of-<n>.json)", e.getMessage());
  }

  @Test
  void progressCountsTheShardsTiles() {
    List<long[]> calls = new ArrayList<>();
    try (TracIn tracIn =
        TracIn.builder(setup.twin().block())
            .checkpoints(setup.checkpoints())
            .options(OPTIONS)
            .progress((done, total) -> calls.add(new long[] {done, total}))
            .build()) {
      tracIn.shard(train, test, new Shard(1, 4));
    }
    assertEquals(4, calls.size()); // tiles 1, 5, 9, 13 of 15
    for (int c = 0; c < calls.size(); c++) {
      assertEquals(c + 1, calls.get(c)[0]);
      assertEquals(4, calls.get(c)[1]);
    }
  }
}
