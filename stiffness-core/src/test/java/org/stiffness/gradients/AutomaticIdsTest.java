package org.stiffness.gradients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Sets made without ids never share one: no pair of two such sets is taken for a self-pair. */
class AutomaticIdsTest {

  @Test
  void setsMadeWithoutIdsShareNoIdAndMeetNoNonNegativeId() {
    int[] sizes = {5, 1, 12, 3, 7};
    Set<Long> seen = new HashSet<>();
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      for (int n : sizes) {
        Examples set =
            n % 2 == 0
                ? Examples.of(manager.zeros(new Shape(n, 2)), manager.zeros(new Shape(n)))
                : Examples.of(
                    "named",
                    new NDList(manager.zeros(new Shape(n, 2))),
                    manager.zeros(new Shape(n)),
                    null);
        for (long id : set.ids()) {
          assertTrue(id < 0, "automatic ids are negative, got " + id);
          seen.add(id);
        }
      }
    }
    assertEquals(Arrays.stream(sizes).sum(), seen.size(), "every id of every set distinct");
  }

  @Test
  void slicesAndExplicitIdsKeepTheirIds() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Examples set = Examples.of(manager.zeros(new Shape(6, 2)), manager.zeros(new Shape(6)));
      long[] ids = set.ids().clone();
      assertArrayEquals(Arrays.copyOfRange(ids, 2, 5), set.slice(2, 5).ids());
      Examples same = Examples.of("same", set.inputs(), set.labels(), set.ids());
      assertArrayEquals(ids, same.ids(), "ids given on purpose are the ids used");
    }
  }
}
