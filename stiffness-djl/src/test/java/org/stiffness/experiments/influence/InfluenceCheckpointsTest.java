package org.stiffness.experiments.influence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class InfluenceCheckpointsTest {

  @Test
  void evenStepsWhenTheCountDividesTheRun() {
    List<InfluenceCheckpoints.Checkpoint> c = InfluenceCheckpoints.evenlySpaced(100, 4, 0.1);
    assertArrayEquals(new long[] {25, 50, 75, 100}, InfluenceCheckpoints.steps(c));
    for (InfluenceCheckpoints.Checkpoint k : c) {
      assertEquals(25, k.steps());
      assertEquals(2.5, k.weight(), 1e-12);
      assertEquals(0.1, k.learningRate(), 0);
    }
  }

  @Test
  void roundedStepsStandForTheirOwnIntervals() {
    // 10 steps, 3 checkpoints: round(10/3) = 3, round(20/3) = 7, 10; intervals 3, 4, 3.
    List<InfluenceCheckpoints.Checkpoint> c = InfluenceCheckpoints.evenlySpaced(10, 3, 0.5);
    assertArrayEquals(new long[] {3, 7, 10}, InfluenceCheckpoints.steps(c));
    assertArrayEquals(
        new double[] {1.5, 2.0, 1.5},
        c.stream().mapToDouble(InfluenceCheckpoints.Checkpoint::weight).toArray(),
        1e-12);
  }

  @Test
  void weightsSumToTheLearningRateTimesTheRunAndTheLastIsTheEnd() {
    for (long total : new long[] {1, 7, 157, 4710, 1_000_003}) {
      for (int k = 1; k <= Math.min(total, 12); k++) {
        List<InfluenceCheckpoints.Checkpoint> c = InfluenceCheckpoints.evenlySpaced(total, k, 0.01);
        assertEquals(k, c.size());
        assertEquals(total, c.get(k - 1).step());
        double sum = c.stream().mapToDouble(InfluenceCheckpoints.Checkpoint::weight).sum();
        assertEquals(0.01 * total, sum, 1e-9 * total);
        for (int j = 1; j < k; j++) {
          assertTrue(c.get(j).step() > c.get(j - 1).step(), total + " steps, " + k);
        }
      }
    }
  }

  @Test
  void refusesMoreCheckpointsThanStepsAndFewerThanOne() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> InfluenceCheckpoints.evenlySpaced(3, 4, 0.1));
    assertTrue(e.getMessage().contains("--checkpoints"), e.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> InfluenceCheckpoints.evenlySpaced(3, 0, 0.1));
  }
}
