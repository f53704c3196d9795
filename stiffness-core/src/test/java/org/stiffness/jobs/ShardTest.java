package org.stiffness.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ShardTest {

  @Test
  void theShardsOfOneCountPartitionTheJobs() {
    for (int k = 1; k <= 7; k++) {
      for (int job = 0; job < 60; job++) {
        int holders = 0;
        for (int i = 0; i < k; i++) {
          holders += new Shard(i, k).holds(job) ? 1 : 0;
        }
        assertEquals(1, holders, "job " + job + " of " + k + " shards");
      }
    }
  }

  @Test
  void roundRobinGivesShardIEveryKthJob() {
    Shard s = Shard.parse(" 1 / 3 ");
    assertEquals(new Shard(1, 3), s);
    assertTrue(s.holds(1) && s.holds(4) && s.holds(7));
    assertTrue(!s.holds(0) && !s.holds(2) && !s.holds(3));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = ';',
      value = {
        "5/4; the shard index i must be in 0..3",
        "4/4; the shard index i must be in 0..3",
        "0/0; the shard count k must be at least 1",
        "-1/3; the shard index i must be in 0..2",
        "1/-2; the shard count k must be at least 1",
        "a/b; is not of the form i/k",
        "1/3/4; is not of the form i/k",
        "3; is not of the form i/k",
        "99999999999/3; numbers too large"
      })
  void badSpecsAreRefusedWithTheReason(String spec, String reason) {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Shard.parse(spec));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  @Test
  void slurmArrayTaskIsTheShard() {
    assertEquals(Optional.empty(), Shard.fromSlurm(Map.of()));
    assertEquals(
        Optional.of(new Shard(2, 4)),
        Shard.fromSlurm(
            Map.of(
                "SLURM_ARRAY_TASK_ID", "2",
                "SLURM_ARRAY_TASK_MIN", "0",
                "SLURM_ARRAY_TASK_MAX", "3",
                "SLURM_ARRAY_TASK_COUNT", "4")));
    // --array=1-4: ids start at 1; without COUNT the range gives it
    assertEquals(
        Optional.of(new Shard(0, 4)),
        Shard.fromSlurm(
            Map.of(
                "SLURM_ARRAY_TASK_ID", "1",
                "SLURM_ARRAY_TASK_MIN", "1",
                "SLURM_ARRAY_TASK_MAX", "4")));
    // --array=0-12:4 is tasks 0, 4, 8, 12
    assertEquals(
        Optional.of(new Shard(2, 4)),
        Shard.fromSlurm(
            Map.of(
                "SLURM_ARRAY_TASK_ID", "8",
                "SLURM_ARRAY_TASK_MIN", "0",
                "SLURM_ARRAY_TASK_MAX", "12",
                "SLURM_ARRAY_TASK_STEP", "4",
                "SLURM_ARRAY_TASK_COUNT", "4")));
  }

  @ParameterizedTest
  @ValueSource(strings = {"7", "x"})
  void irregularSlurmArraysAskForAnExplicitShard(String id) {
    // --array=1,3,7: three tasks, but 7 - 1 is not below 3
    Map<String, String> env =
        Map.of(
            "SLURM_ARRAY_TASK_ID", id,
            "SLURM_ARRAY_TASK_MIN", "1",
            "SLURM_ARRAY_TASK_MAX", "7",
            "SLURM_ARRAY_TASK_COUNT", "3");
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Shard.fromSlurm(env));
    assertTrue(
        e.getMessage().contains("--shard i/k") || e.getMessage().contains("is not an integer"),
        e.getMessage());
  }
}
