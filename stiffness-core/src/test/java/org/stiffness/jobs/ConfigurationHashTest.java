package org.stiffness.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class ConfigurationHashTest {
  @Test
  void theHashFollowsValuesShapesAndLabels() {
    try (NDManager m = NDManager.newBaseManager()) {
      float[] v = {1, 2, 3, 4, 5, 6};
      String base = new ConfigurationHash().array("w", m.create(v, new Shape(2, 3))).hex();
      assertEquals(
          base, new ConfigurationHash().array("w", m.create(v.clone(), new Shape(2, 3))).hex());
      float[] changed = v.clone();
      changed[5] = Math.nextUp(6f);
      assertNotEquals(
          base, new ConfigurationHash().array("w", m.create(changed, new Shape(2, 3))).hex());
      assertNotEquals(base, new ConfigurationHash().array("w", m.create(v, new Shape(3, 2))).hex());
      assertNotEquals(base, new ConfigurationHash().array("v", m.create(v, new Shape(2, 3))).hex());
      assertNotEquals(
          new ConfigurationHash().text("a", "bc").text("d", "").hex(),
          new ConfigurationHash().text("a", "b").text("d", "c").hex());
      assertEquals(64, base.length());
    }
  }
}
