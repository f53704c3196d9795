package org.stiffness.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The device identity the configuration hash names, from fake facts and from this machine. */
class DeviceIdentityTest {

  private static DeviceIdentity.Facts facts(
      String engine, String cuda, String capability, Map<String, String> environment) {
    return facts(engine, cuda, capability, environment, 2);
  }

  private static DeviceIdentity.Facts facts(
      String engine, String cuda, String capability, Map<String, String> environment, int threads) {
    return new DeviceIdentity.Facts() {
      @Override
      public String engine() {
        return engine;
      }

      @Override
      public String cudaVersion() {
        if (cuda == null) {
          throw new IllegalStateException("DJL finds no CUDA runtime");
        }
        return cuda;
      }

      @Override
      public String computeCapability(int id) {
        return capability + " of gpu" + id;
      }

      @Override
      public Map<String, String> environment() {
        return environment;
      }

      @Override
      public int cpuThreads() {
        return threads;
      }
    };
  }

  @Test
  void aGpuIsNamedByItsCardLibtorchAndCuda() {
    Map<String, String> env = Map.of("PYTORCH_FLAVOR", "cu128");
    String h100 = DeviceIdentity.of(Device.gpu(0), facts("PyTorch 2.7.1", "12.8", "9.0", env));
    assertEquals("gpu; PyTorch 2.7.1 (cu128); CUDA 12.8; compute capability 9.0 of gpu0", h100);
    assertNotEquals(
        h100, DeviceIdentity.of(Device.gpu(0), facts("PyTorch 2.7.1", "12.8", "8.0", env)));
    assertNotEquals(
        h100, DeviceIdentity.of(Device.gpu(0), facts("PyTorch 2.7.1", "12.4", "9.0", env)));
    assertNotEquals(
        h100, DeviceIdentity.of(Device.gpu(0), facts("PyTorch 2.11.0", "12.8", "9.0", env)));
  }

  @Test
  void aCpuIsNamedByLibtorchAndTheOneDnnCap() {
    DeviceIdentity.Facts avx =
        facts("PyTorch 2.7.1", null, null, Map.of("ONEDNN_MAX_CPU_ISA", "AVX"));
    assertEquals(
        "cpu; PyTorch 2.7.1; oneDNN ISA AVX; 2 threads", DeviceIdentity.of(Device.cpu(), avx));
    assertEquals(
        "cpu; PyTorch 2.7.1; oneDNN ISA unset; 2 threads",
        DeviceIdentity.of(Device.cpu(), facts("PyTorch 2.7.1", null, null, Map.of())));
    assertEquals(
        "cpu; PyTorch 2.7.1; oneDNN ISA AVX; 1 threads",
        DeviceIdentity.of(
            Device.cpu(),
            facts("PyTorch 2.7.1", null, null, Map.of("ONEDNN_MAX_CPU_ISA", "AVX"), 1)));
  }

  @Test
  void aGpuWhoseFactsCannotBeReadIsRefusedWithWhatToDo() {
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> DeviceIdentity.of(Device.gpu(1), facts("PyTorch 2.7.1", null, "9.0", Map.of())));
    assertTrue(
        e.getMessage().contains("gpu(1)") || e.getMessage().contains("gpu1"), e.getMessage());
    assertTrue(e.getMessage().contains("stiffness doctor"), e.getMessage());
  }

  @Test
  void thisMachinesCpuIdentityNamesTheEnginesVersion() {
    String cpu = DeviceIdentity.of(Device.cpu());
    String version = Engine.getInstance().getVersion();
    assertTrue(cpu.startsWith("cpu; ") && cpu.contains(version), cpu);
  }
}
