package org.stiffness.gradients;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.GradientCollector;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.stiffness.testing.FreedMemory;

/**
 * Constants in a differentiated forward pass must outlive a garbage collection that happens before
 * the backward pass. The expected gradients are hand-derived: d/dx sum(x / c) = 1 / c and d/dx
 * sum(x c) = c, evaluated in the array's own precision.
 */
class ScalarsTest {

  /** The gradient of {@code sum(f(x))} at {@code x = (1, 2, 3)}, with a collection in between. */
  private static double[] gradientAcrossCollection(DataType type, UnaryOperator<NDArray> f) {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      NDArray x = manager.create(new double[] {1, 2, 3}).toType(type, false);
      x.setRequiresGradient(true);
      try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
        NDArray loss = f.apply(x).sum();
        try (FreedMemory scribbled = FreedMemory.collectAndScribble()) {
          collector.backward(loss);
        }
      }
      return x.getGradient().toType(DataType.FLOAT64, false).toDoubleArray();
    }
  }

  @Test
  void divisionKeepsItsDivisorForTheBackwardPass() {
    double c = Math.sqrt(7);
    float inFloat = 1f / (float) c;
    assertArrayEquals(
        new double[] {inFloat, inFloat, inFloat},
        gradientAcrossCollection(DataType.FLOAT32, x -> Scalars.div(x, c)));
    assertArrayEquals(
        new double[] {1 / c, 1 / c, 1 / c},
        gradientAcrossCollection(DataType.FLOAT64, x -> Scalars.div(x, c)));
  }

  @Test
  void multiplicationKeepsItsFactorForTheBackwardPass() {
    assertArrayEquals(
        new double[] {-2.5, -2.5, -2.5},
        gradientAcrossCollection(DataType.FLOAT32, x -> Scalars.mul(x, -2.5)));
    assertArrayEquals(
        new double[] {0.1, 0.1, 0.1},
        gradientAcrossCollection(DataType.FLOAT64, x -> Scalars.mul(x, 0.1)));
  }

  /**
   * The hazard {@link Scalars} exists for, shown with the same harness: DJL 0.36's {@code
   * div(Number)} loses its divisor to the collection. This also proves the harness can make the
   * tests above fail. If a DJL upgrade makes this fail, the number overloads have become safe.
   */
  @Test
  void numberOverloadLosesItsDivisorToACollection() {
    double[] gradient = gradientAcrossCollection(DataType.FLOAT32, x -> x.div(3.0));
    assertFalse(
        Math.abs(gradient[0] - 1 / 3.0) < 1e-6,
        "DJL's div(Number) now survives a collection: got " + gradient[0]);
  }

  @Test
  void scalarHasTheArraysTypeAndValue() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      NDArray x = manager.create(new float[] {1, 2});
      NDArray s = Scalars.like(x, 0.25);
      assertEquals(DataType.FLOAT32, s.getDataType());
      assertEquals(0, s.getShape().dimension());
      assertEquals(0.25f, s.getFloat());
      NDArray d = Scalars.like(x.toType(DataType.FLOAT64, false), Math.PI);
      assertEquals(Math.PI, d.getDouble());
    }
  }
}
