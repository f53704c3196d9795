package org.stiffness.gram;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stiffness.gram.internal.Tf32Override;

class Tf32OverrideTest {
  private static final Map<String, String> ON = Map.of(Tf32Override.VARIABLE, "1");

  @Test
  void fp32OnAGpuIsRefusedUnderTheOverride() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Tf32Override.check(Device.gpu(0), Precision.FP32, ON));
    assertTrue(e.getMessage().startsWith("TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1 "), e.getMessage());
    assertTrue(e.getMessage().contains("--precision fp16"), e.getMessage());
  }

  @Test
  void whatTheOverrideDoesNotTouchRuns() {
    // fp16 products, CPU products, and the variable unset or off.
    assertDoesNotThrow(() -> Tf32Override.check(Device.gpu(0), Precision.FP16, ON));
    assertDoesNotThrow(() -> Tf32Override.check(Device.cpu(), Precision.FP32, ON));
    assertDoesNotThrow(() -> Tf32Override.check(Device.gpu(0), Precision.FP32, Map.of()));
    for (String off : new String[] {"0", "false", ""}) {
      assertDoesNotThrow(
          () ->
              Tf32Override.check(
                  Device.gpu(0), Precision.FP32, Map.of(Tf32Override.VARIABLE, off)));
    }
  }
}
