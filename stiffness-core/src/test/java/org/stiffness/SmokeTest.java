package org.stiffness;

import static org.junit.jupiter.api.Assertions.*;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void engineLoads() {
    try (NDManager m = NDManager.newBaseManager()) {
      assertEquals(6f, m.create(new float[] {1, 2, 3}).sum().getFloat());
      System.out.println(
          "ENGINE " + m.getEngine().getEngineName() + " " + m.getEngine().getVersion());
    }
  }
}
