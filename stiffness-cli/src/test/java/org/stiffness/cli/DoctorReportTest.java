package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.stiffness.cli.DoctorReport.CudaFacts;
import org.stiffness.cli.DoctorReport.EngineFacts;
import org.stiffness.cli.DoctorReport.Gpu;
import org.stiffness.cli.DoctorReport.GpuFacts;
import org.stiffness.cli.DoctorReport.LibtorchFacts;
import org.stiffness.cli.DoctorReport.SetupFacts;
import org.stiffness.cli.DoctorReport.SetupLibtorch;
import org.stiffness.cli.DoctorReport.Tf32Facts;
import org.stiffness.gram.MemoryBudget;

/**
 * The doctor's report rendered from one record, on the branches a CPU test machine does not reach
 * (GPUs, one of them unreadable; a set-up with its libtorch; an engine that did not load): the JSON
 * has the names, order and nesting of the hand-built tree of earlier versions.
 */
class DoctorReportTest {

  private static DoctorReport gpuNode() {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("PYTORCH_LIBRARY_PATH", "/lt");
    environment.put("PYTORCH_VERSION", null);
    environment.put("PYTORCH_FLAVOR", "cu128");
    return new DoctorReport(
        "1.0",
        "0.36.0",
        "2.7.1",
        new EngineFacts("PyTorch", "2.7.1", null),
        new LibtorchFacts("2.7.1", "cu128", true, Path.of("/lt"), "PYTORCH_LIBRARY_PATH"),
        Path.of("/lt/libdjl_torch.so"),
        null,
        List.of(Path.of("/lib/pytorch-native-cu128.jar")),
        environment,
        Path.of("/c"),
        Path.of("/c/pytorch"),
        new GpuFacts(
            2,
            2,
            "12.8",
            List.of(new Gpu(0, "9.0", 80L, 70L, null), new Gpu(1, null, null, null, "busy"))),
        new CudaFacts("/cuda/libcudart.so", "CUDA_HOME", "12.8", "12.9", null, null, List.of()),
        new Tf32Facts("1", null, "NVIDIA_TF32_OVERRIDE=1"),
        new SetupFacts(
            "desc", "no!", "/jni", new SetupLibtorch(Path.of("/lt"), "2.7.1", true, "12.8")),
        "gpu0",
        70L,
        35L,
        "35 B",
        "conv",
        List.of("n1"));
  }

  @Test
  void jsonOfAGpuNodeHasTheFieldsOfEarlierVersionsInTheirOrder() {
    String expected =
        "{\"stiffness\":\"1.0\",\"djl\":\"0.36.0\",\"shipped_libtorch\":\"2.7.1\","
            + "\"engine\":{\"name\":\"PyTorch\",\"version\":\"2.7.1\",\"loaded\":true,"
            + "\"error\":null},"
            + "\"libtorch\":{\"version\":\"2.7.1\",\"flavor\":\"cu128\",\"cuda\":true,"
            + "\"path\":\"/lt\",\"source\":\"PYTORCH_LIBRARY_PATH\"},"
            + "\"jni\":\"/lt/libdjl_torch.so\",\"cpu_native_jar\":null,"
            + "\"native_jars\":[\"/lib/pytorch-native-cu128.jar\"],"
            + "\"environment\":{\"PYTORCH_LIBRARY_PATH\":\"/lt\",\"PYTORCH_VERSION\":null,"
            + "\"PYTORCH_FLAVOR\":\"cu128\"},"
            + "\"djl_cache_dir\":\"/c\",\"pytorch_cache_dir\":\"/c/pytorch\","
            + "\"gpus\":{\"engine_count\":2,\"cuda_count\":2,\"cuda_version\":\"12.8\","
            + "\"devices\":[{\"device\":\"gpu0\",\"compute_capability\":\"9.0\","
            + "\"total_bytes\":80,\"free_bytes\":70},"
            + "{\"device\":\"gpu1\",\"compute_capability\":null,\"error\":\"busy\"}]},"
            + "\"cuda_runtime\":{\"path\":\"/cuda/libcudart.so\",\"source\":\"CUDA_HOME\","
            + "\"version\":\"12.8\",\"driver_version\":\"12.9\",\"problem\":null,\"fix\":null,"
            + "\"searched\":[]},"
            + "\"tf32\":{\"NVIDIA_TF32_OVERRIDE\":\"1\",\"TORCH_ALLOW_TF32_CUBLAS_OVERRIDE\":null,"
            + "\"possible\":true,\"fp32_on_gpu\":\"refused\","
            + "\"reason\":\"NVIDIA_TF32_OVERRIDE=1\"},"
            + "\"setup\":{\"description\":\"desc\",\"refusal\":\"no!\",\"jni\":\"/jni\","
            + "\"libtorch\":{\"path\":\"/lt\",\"version\":\"2.7.1\",\"cuda\":true,"
            + "\"cuda_version\":\"12.8\"}},"
            + "\"device\":\"gpu0\",\"free_bytes\":70,\"memory_budget_bytes\":35,"
            + "\"memory_budget\":\"35 B\",\"convolution\":\"conv\",\"notes\":[\"n1\"]}";
    assertEquals(expected, gpuNode().json());
  }

  @Test
  void jsonOfAnEngineThatDidNotLoadSaysWhyAndLeavesOutTheSetupsLibtorch() {
    DoctorReport r = gpuNode();
    DoctorReport failed =
        new DoctorReport(
            r.stiffnessVersion(),
            r.djlVersion(),
            r.builtForPytorch(),
            new EngineFacts(null, null, "boom"),
            new LibtorchFacts(null, null, false, null, null),
            null,
            null,
            List.of(),
            r.environment(),
            r.djlCacheDir(),
            r.pytorchCacheDir(),
            new GpuFacts(0, 0, null, List.of()),
            new CudaFacts(null, null, null, null, "none", "install", List.of(Path.of("/a"))),
            new Tf32Facts("0", null, null),
            new SetupFacts("desc", null, null, null),
            "cpu",
            null,
            null,
            null,
            "conv",
            List.of());
    String json = failed.json();
    assertTrue(
        json.contains(
            "\"engine\":{\"name\":null,\"version\":null,\"loaded\":false,\"error\":\"boom\"},"
                + "\"libtorch\":{\"version\":null,\"flavor\":null,\"cuda\":false,\"path\":null,"
                + "\"source\":null},\"jni\":null,\"cpu_native_jar\":null,\"native_jars\":[],"),
        json);
    assertTrue(
        json.contains(
            "\"cuda_runtime\":{\"path\":null,\"source\":null,\"version\":null,"
                + "\"driver_version\":null,\"problem\":\"none\",\"fix\":\"install\","
                + "\"searched\":[\"/a\"]},"
                + "\"tf32\":{\"NVIDIA_TF32_OVERRIDE\":\"0\","
                + "\"TORCH_ALLOW_TF32_CUBLAS_OVERRIDE\":null,\"possible\":false,"
                + "\"fp32_on_gpu\":\"allowed\",\"reason\":null},"
                + "\"setup\":{\"description\":\"desc\",\"refusal\":null,\"jni\":null},"
                + "\"device\":\"cpu\",\"free_bytes\":null,\"memory_budget_bytes\":null,"
                + "\"memory_budget\":null,\"convolution\":\"conv\",\"notes\":[]}"),
        json);
  }

  @Test
  void textHasARowPerGpuAndTheReasonOfOneWhoseMemoryIsUnknown() {
    String text = gpuNode().text();
    String n = System.lineSeparator();
    assertTrue(
        text.contains(
            "  GPUs            2 seen by the engine, 2 by CUDA (CUDA runtime 12.8)"
                + n
                + "    gpu0          "
                + MemoryBudget.format(80)
                + " total, "
                + MemoryBudget.format(70)
                + " free, compute capability 9.0"
                + n
                + "    gpu1          memory unknown: busy"
                + n),
        text);
    assertTrue(text.contains("  CPU native jar  none on the class path" + n), text);
    assertTrue(text.contains("  refused         no!" + n), text);
    assertTrue(
        text.contains(
            "  TF32            could be on: NVIDIA_TF32_OVERRIDE=1; fp32 refused on GPUs"),
        text);
  }
}
