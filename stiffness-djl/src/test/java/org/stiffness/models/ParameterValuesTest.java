package org.stiffness.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.Initializer;
import org.junit.jupiter.api.Test;

class ParameterValuesTest {

  @Test
  void aParametersArrayTakesTheValuesInPlaceAndNothingIsLeftBehind() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Linear layer = Linear.builder().setUnits(2).build();
      layer.setInitializer(Initializer.ZEROS, Parameter.Type.WEIGHT);
      layer.initialize(manager, DataType.FLOAT32, new Shape(1, 3));
      NDArray weight = layer.getParameters().get("weight").getArray();
      float[] values = {1.5f, -2f, 0.25f, 3f, -0.5f, 7f};
      int before = manager.getManagedArrays().size();
      try (NDManager scratch = manager.newSubManager()) {
        ParameterValues.overwrite(weight, scratch.create(values, new Shape(2, 3)));
      }
      assertSame(weight, layer.getParameters().get("weight").getArray(), "the same array");
      assertArrayEquals(values, weight.toFloatArray());
      assertEquals(new Shape(2, 3), weight.getShape());
      assertEquals(before, manager.getManagedArrays().size(), "arrays left behind");
    }
  }

  @Test
  void valuesAreConvertedToTheParametersTypeAndTheConvertedCopyIsFreed() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      NDArray half = manager.zeros(new Shape(4), DataType.FLOAT16);
      // Exactly representable in fp16, so the conversion must reproduce them bit for bit.
      float[] values = {0.5f, -1.25f, 1024f, 6.103515625e-5f};
      NDArray source = manager.create(values);
      int before = manager.getManagedArrays().size();
      ParameterValues.overwrite(half, source);
      assertEquals(before, manager.getManagedArrays().size(), "the fp16 copy was freed");
      assertEquals(DataType.FLOAT16, half.getDataType());
      assertArrayEquals(values, half.toType(DataType.FLOAT32, false).toFloatArray());
    }
  }

  @Test
  void valuesOfAnotherShapeAreRefusedNamingTheParameter() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      NDArray bias = manager.zeros(new Shape(3));
      bias.setName("encoder.bias");
      // set(NDIndex, array) alone would broadcast a single value over the whole parameter.
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () -> ParameterValues.overwrite(bias, manager.create(new float[] {9f})));
      assertTrue(
          e.getMessage().contains("encoder.bias") && e.getMessage().contains("(3)"),
          e.getMessage());
      assertArrayEquals(new float[3], bias.toFloatArray(), "left as it was");
    }
  }
}
