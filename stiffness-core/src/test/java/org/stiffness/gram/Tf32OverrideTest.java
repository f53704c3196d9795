package org.stiffness.gram;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stiffness.StiffnessEngine;
import org.stiffness.testing.PaperShapedModels;

/**
 * fp32 on a GPU only where the environment turns TF32 off: {@code NVIDIA_TF32_OVERRIDE=0} and no
 * cuBLAS override. The environments are fakes; no GPU is needed to refuse.
 */
class Tf32OverrideTest {
  private static final Map<String, String> OFF = Map.of(Tf32Override.NVIDIA, "0");

  private static IllegalArgumentException refused(Map<String, String> environment) {
    return assertThrows(
        IllegalArgumentException.class,
        () -> Tf32Override.check(Device.gpu(0), Precision.FP32, environment));
  }

  private static void assertOneLineSayingHowToAllow(IllegalArgumentException e) {
    String m = e.getMessage();
    assertEquals(1, m.lines().count(), m);
    assertTrue(m.contains("NVIDIA_TF32_OVERRIDE=0"), m);
    assertTrue(m.contains("--precision fp16"), m);
  }

  @Test
  void fp32OnAGpuIsRefusedWhenNvidiasOverrideIsUnset() {
    IllegalArgumentException e = refused(Map.of());
    assertTrue(e.getMessage().contains("NVIDIA_TF32_OVERRIDE is unset"), e.getMessage());
    assertOneLineSayingHowToAllow(e);
  }

  @Test
  void fp32OnAGpuIsRefusedWhenNvidiasOverrideIsAnythingButZero() {
    for (String value : new String[] {"1", "", "false", "off"}) {
      IllegalArgumentException e = refused(Map.of(Tf32Override.NVIDIA, value));
      assertTrue(e.getMessage().contains("NVIDIA_TF32_OVERRIDE=" + value + " "), e.getMessage());
      assertOneLineSayingHowToAllow(e);
    }
  }

  @Test
  void fp32OnAGpuIsRefusedUnderTheCublasOverrideEvenWithNvidiasOff() {
    IllegalArgumentException e =
        refused(Map.of(Tf32Override.NVIDIA, "0", Tf32Override.CUBLAS, "1"));
    assertTrue(
        e.getMessage().contains("TORCH_ALLOW_TF32_CUBLAS_OVERRIDE=1 makes libtorch"),
        e.getMessage());
    assertTrue(e.getMessage().contains("without TORCH_ALLOW_TF32_CUBLAS_OVERRIDE"), e.getMessage());
    assertOneLineSayingHowToAllow(e);
  }

  @Test
  void whatTf32CannotTouchRuns() {
    // TF32 off; fp16 operands (exact in TF32); CPUs, whatever the environment says.
    assertDoesNotThrow(() -> Tf32Override.check(Device.gpu(0), Precision.FP32, OFF));
    assertDoesNotThrow(() -> Tf32Override.check(Device.gpu(0), Precision.FP16, Map.of()));
    assertDoesNotThrow(
        () -> Tf32Override.check(Device.cpu(), Precision.FP32, Map.of(Tf32Override.CUBLAS, "1")));
    for (String off : new String[] {"0", "false", "off", ""}) {
      Map<String, String> env = Map.of(Tf32Override.NVIDIA, "0", Tf32Override.CUBLAS, off);
      assertDoesNotThrow(() -> Tf32Override.check(Device.gpu(0), Precision.FP32, env));
      assertFalse(Tf32Override.productsInTf32(env), off);
    }
  }

  /** The engine asks the environment it is given, before it touches the device. */
  @Test
  void theEngineRefusesFp32OnAGpuInAnEnvironmentWithoutTheOverride() {
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Block model = PaperShapedModels.mlp(manager, 6, 5, 4, 3).block();
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class,
              () ->
                  StiffnessEngine.builder(model)
                      .device(Device.gpu(0))
                      .environment(Map.of())
                      .build()
                      .close());
      assertTrue(e.getMessage().startsWith("fp32 on gpu(0) is refused: "), e.getMessage());
      // With TF32 off, whatever stops a GPU engine on this machine is not the TF32 check.
      Throwable other =
          assertThrows(
              Throwable.class,
              () -> {
                StiffnessEngine.builder(model)
                    .device(Device.gpu(0))
                    .environment(OFF)
                    .build()
                    .close();
                throw new AssertionError("built");
              });
      String message = String.valueOf(other.getMessage());
      assertFalse(message.contains(Tf32Override.NVIDIA), message);
    }
  }
}
