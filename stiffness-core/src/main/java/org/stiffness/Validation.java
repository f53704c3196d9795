package org.stiffness;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import org.stiffness.gradients.Examples;

/** Checks that turn bad numbers into errors naming where they are. */
final class Validation {
  private Validation() {}

  static void requireFiniteParameters(Block model) {
    for (var entry : model.getParameters()) {
      NDArray array = entry.getValue().getArray();
      if (array.getDataType().isFloating()) {
        long bad = countNonFinite(array);
        if (bad > 0) {
          throw new IllegalArgumentException(
              "parameter '"
                  + entry.getKey()
                  + "' "
                  + array.getShape()
                  + " has "
                  + bad
                  + " NaN or infinite values");
        }
      }
    }
  }

  static void requireFiniteInputs(Examples set) {
    for (int k = 0; k < set.inputs().size(); k++) {
      NDArray input = set.inputs().get(k);
      if (!input.getDataType().isFloating()) {
        continue;
      }
      try (NDArray bad = input.isNaN().logicalOr(input.isInfinite())) {
        NDArray perExample = bad.reshape(set.size(), -1).sum(new int[] {1}).gt(0);
        boolean[] flags = perExample.toBooleanArray();
        perExample.close();
        for (int i = 0; i < flags.length; i++) {
          if (flags[i]) {
            throw new IllegalArgumentException(
                "input "
                    + k
                    + " of example id "
                    + set.id(i)
                    + " (row "
                    + i
                    + ") of '"
                    + set.name()
                    + "' contains NaN or infinity");
          }
        }
      }
    }
  }

  private static long countNonFinite(NDArray array) {
    try (NDArray bad = array.isNaN().logicalOr(array.isInfinite())) {
      return bad.countNonzero().getLong();
    }
  }
}
