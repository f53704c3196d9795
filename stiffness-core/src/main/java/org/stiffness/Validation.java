package org.stiffness;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import org.stiffness.gradients.Examples;

/** Checks that turn bad numbers into errors naming where they are. */
final class Validation {
  private Validation() {}

  /**
   * Every floating parameter finite, by one sum per parameter. Every array an operation makes
   * belongs to its operand's manager, here the model's, which lives as long as the model: the masks
   * the check used to build stayed there, 2 bytes per parameter at every engine built, i.e. at
   * every checkpoint (220 MB for BERT-base). Temporaries are now closed or made in a scope.
   */
  static void requireFiniteParameters(Block model) {
    for (var entry : model.getParameters()) {
      NDArray array = entry.getValue().getArray();
      if (array.getDataType().isFloating() && !isFiniteSum(array)) {
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
      if (!input.getDataType().isFloating() || isFiniteSum(input)) {
        continue;
      }
      boolean[] flags;
      // The error path: the masks belong to a scope, not to the inputs' long-lived manager.
      try (NDManager scope = input.getManager().newSubManager()) {
        input.tempAttach(scope);
        flags =
            input
                .isNaN()
                .logicalOr(input.isInfinite())
                .reshape(set.size(), -1)
                .sum(new int[] {1})
                .gt(0)
                .toBooleanArray();
      }
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

  /**
   * A finite sum proves every element finite (NaN and infinity propagate through a sum): one
   * reduction instead of the element-wise masks, which are only built to name the example when the
   * sum is not finite (or overflows, a false alarm the masks then clear).
   */
  private static boolean isFiniteSum(NDArray input) {
    try (NDArray sum = input.sum()) {
      if (sum.getDataType() == DataType.FLOAT64) {
        return Double.isFinite(sum.getDouble());
      }
      if (sum.getDataType() == DataType.FLOAT32) {
        return Float.isFinite(sum.getFloat());
      }
      try (NDArray wide = sum.toType(DataType.FLOAT32, false)) {
        return Float.isFinite(wide.getFloat());
      }
    }
  }

  /** The error path only: the masks are made in a scope that closes them. */
  private static long countNonFinite(NDArray array) {
    try (NDManager scope = array.getManager().newSubManager()) {
      array.tempAttach(scope);
      return array.isNaN().logicalOr(array.isInfinite()).countNonzero().getLong();
    }
  }
}
