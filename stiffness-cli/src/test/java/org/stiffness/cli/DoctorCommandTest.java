package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stiffness doctor} against what the test can see for itself: the engine's own version and
 * GPU count, the class path, the files on disk and {@code /proc/meminfo}.
 */
class DoctorCommandTest {
  @TempDir Path temp;

  /** The test's class path holds the CPU natives (the default build), as the launcher's does. */
  private static Path cpuJarOnClassPath() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .map(Path::of)
        .filter(p -> p.getFileName().toString().startsWith("pytorch-native-cpu"))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no pytorch-native-cpu jar on the test class path"));
  }

  /** Half of MemAvailable, read independently of the code under test. */
  private static long halfMemAvailable() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
      if (line.startsWith("MemAvailable:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) * 1024 / 2;
      }
    }
    throw new AssertionError("no MemAvailable in /proc/meminfo");
  }

  private static void assertCloseTo(long expected, long actual) {
    // Another process may allocate between the two reads: 25% is far below any unit mistake.
    assertTrue(
        Math.abs(actual - expected) <= expected / 4, "expected about " + expected + ": " + actual);
  }

  @Test
  void jsonReportNamesTheLoadedEngineLibtorchJniAndNativeJar() throws IOException {
    Run run = Run.of("doctor", "--json");
    assertEquals(0, run.exitCode(), run.err());
    assertEquals(1, run.out().strip().lines().count(), "one JSON object: " + run.out());
    JsonNode r = new ObjectMapper().readTree(run.out());
    Engine engine = Engine.getInstance();

    assertEquals(engine.getEngineName(), r.at("/engine/name").asText());
    assertEquals(engine.getVersion(), r.at("/engine/version").asText());
    assertTrue(r.at("/engine/loaded").asBoolean());
    assertEquals(engine.getVersion(), r.at("/libtorch/version").asText());
    // The CPU natives on the class path: a CPU flavour, no CUDA.
    assertTrue(r.at("/libtorch/flavor").asText().startsWith("cpu"), r.toString());
    assertFalse(r.at("/libtorch/cuda").asBoolean());
    Path libtorch = Path.of(r.at("/libtorch/path").asText());
    assertTrue(Files.isRegularFile(libtorch.resolve("libc10.so")), libtorch.toString());
    Path jni = Path.of(r.at("/jni").asText());
    assertTrue(Files.isRegularFile(jni), jni.toString());
    assertTrue(jni.getFileName().toString().endsWith("libdjl_torch.so"), jni.toString());

    Path cpuJar = cpuJarOnClassPath();
    assertEquals(cpuJar.toString(), r.at("/cpu_native_jar").asText());
    assertTrue(
        r.at("/libtorch/source").asText().contains(cpuJar.getFileName().toString()), r.toString());
    assertTrue(r.at("/environment").has("PYTORCH_LIBRARY_PATH"), r.toString());

    assertEquals(engine.getGpuCount(), r.at("/gpus/engine_count").asInt());
    assertEquals(r.at("/gpus/cuda_count").asInt(), r.at("/gpus/devices").size());
    assertEquals("cpu", r.at("/device").asText());
    assertCloseTo(halfMemAvailable(), r.at("/memory_budget_bytes").asLong());
    assertCloseTo(r.at("/free_bytes").asLong() / 2, r.at("/memory_budget_bytes").asLong());
    // The test configuration caps oneDNN at AVX, so libtorch's convolution is the exact one.
    assertEquals("AVX", System.getenv("ONEDNN_MAX_CPU_ISA"));
    assertTrue(r.at("/convolution").asText().startsWith("libtorch's convolution"), r.toString());
  }

  @Test
  void jsonReportHasTf32AndCudaRuntimeEntries() throws IOException {
    Run run = Run.of("doctor", "--json");
    assertEquals(0, run.exitCode(), run.err());
    JsonNode r = new ObjectMapper().readTree(run.out());
    // TF32 is off only with NVIDIA_TF32_OVERRIDE=0 and no cuBLAS override, read here directly.
    String nvidia = System.getenv("NVIDIA_TF32_OVERRIDE");
    String cublas = System.getenv("TORCH_ALLOW_TF32_CUBLAS_OVERRIDE");
    boolean off = "0".equals(nvidia) && (cublas == null || cublas.equals("0"));
    JsonNode tf32 = r.get("tf32");
    assertEquals(nvidia == null, tf32.get("NVIDIA_TF32_OVERRIDE").isNull(), tf32.toString());
    assertEquals(!off, tf32.get("possible").asBoolean(), tf32.toString());
    assertEquals(off ? "allowed" : "refused", tf32.get("fp32_on_gpu").asText());
    assertEquals(off, tf32.get("reason").isNull(), tf32.toString());
    // A runtime found is a libcudart file; none found comes with the reason and the fix.
    JsonNode cuda = r.get("cuda_runtime");
    if (cuda.get("path").isNull()) {
      assertTrue(cuda.get("problem").asText().startsWith("no CUDA runtime"), cuda.toString());
      assertTrue(cuda.get("fix").asText().contains("CUDA_HOME"), cuda.toString());
    } else {
      Path library = Path.of(cuda.get("path").asText());
      assertTrue(Files.isRegularFile(library), library.toString());
      assertTrue(library.getFileName().toString().startsWith("libcudart"), library.toString());
      assertTrue(cuda.get("version").asText().matches("\\d+\\.\\d"), cuda.toString());
    }
    assertTrue(r.at("/setup/description").asText().startsWith("libtorch from the native jar"));
  }

  /**
   * The CPU native jar of this class path beside a CUDA libtorch (a fake folder through the system
   * property DJL also reads): doctor reports and exits 2; a computing command refuses first.
   */
  @Test
  void theCpuNativeJarBesideACudaLibtorchIsRefused() throws IOException {
    Path lib = Files.createDirectories(temp.resolve("torch/lib"));
    Files.createFile(lib.resolve("libtorch.so"));
    Files.createFile(lib.resolve("libtorch_cuda.so"));
    String before = System.getProperty("PYTORCH_LIBRARY_PATH");
    System.setProperty("PYTORCH_LIBRARY_PATH", lib.toString());
    try {
      String jar = cpuJarOnClassPath().getFileName().toString();
      Run doctor = Run.of("doctor");
      assertEquals(2, doctor.exitCode(), doctor.out() + doctor.err());
      assertTrue(doctor.out().contains("  refused         the CPU native jar"), doctor.out());
      String last = doctor.err().strip();
      assertEquals(1, last.lines().count(), last);
      assertTrue(last.startsWith("stiffness: the CPU native jar "), last);
      assertTrue(last.contains("remove " + jar), last);

      Run bench = Run.of("bench", "--model", "fc", "--n", "4", "--device", "cpu");
      assertEquals(2, bench.exitCode(), bench.out() + bench.err());
      assertTrue(bench.err().strip().contains("remove " + jar), bench.err());
      assertTrue(bench.out().isEmpty(), bench.out());
    } finally {
      if (before == null) {
        System.clearProperty("PYTORCH_LIBRARY_PATH");
      } else {
        System.setProperty("PYTORCH_LIBRARY_PATH", before);
      }
    }
  }

  @Test
  void textReportHasOneLinePerFact() throws IOException {
    Run run = Run.of("doctor");
    assertEquals(0, run.exitCode(), run.err());
    String out = run.out();
    Engine engine = Engine.getInstance();
    assertTrue(out.lines().count() <= 24, "one screen: " + out);
    assertTrue(
        out.contains("engine          " + engine.getEngineName() + " " + engine.getVersion()), out);
    assertTrue(out.contains("libtorch        " + engine.getVersion() + ", flavour cpu"), out);
    assertTrue(out.contains("CPU native jar  " + cpuJarOnClassPath()), out);
    assertTrue(out.lines().anyMatch(l -> l.matches("  JNI +/.*libdjl_torch\\.so")), out);
    assertTrue(out.contains("PYTORCH_LIBRARY_PATH="), out);
    assertTrue(
        out.contains("GPUs            " + engine.getGpuCount() + " seen by the engine"), out);
    assertTrue(out.contains("device          cpu"), out);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("  CUDA runtime    ")), out);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("  TF32            ")), out);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("  set-up          ")), out);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("  memory budget   ")), out);
    assertTrue(run.err().isEmpty(), run.err());
  }

  /**
   * DJL reads PYTORCH_LIBRARY_PATH from the environment or a system property; this JVM's engine is
   * loaded already, so only the report changes.
   */
  @Test
  void aPytorchLibraryPathWithoutLibtorchAndACpuJarBesideItAreNoted() throws IOException {
    Path empty = Files.createDirectories(temp.resolve("not-libtorch"));
    String before = System.getProperty("PYTORCH_LIBRARY_PATH");
    System.setProperty("PYTORCH_LIBRARY_PATH", empty.toString());
    try {
      Run run = Run.of("doctor", "--json");
      assertEquals(0, run.exitCode(), run.err());
      JsonNode notes = new ObjectMapper().readTree(run.out()).get("notes");
      List<String> texts = new ArrayList<>();
      notes.forEach(n -> texts.add(n.asText()));
      assertTrue(
          texts.stream().anyMatch(t -> t.contains(empty + " holds no libtorch.so")),
          texts.toString());
      assertTrue(
          texts.stream().anyMatch(t -> t.contains(cpuJarOnClassPath().getFileName().toString())),
          texts.toString());
    } finally {
      if (before == null) {
        System.clearProperty("PYTORCH_LIBRARY_PATH");
      } else {
        System.setProperty("PYTORCH_LIBRARY_PATH", before);
      }
    }
  }

  @Test
  void flavourComesFromTheNameOfDjlsCacheFolder() {
    assertEquals(
        Optional.of("cpu"),
        EngineLibraries.flavorOfCacheFolder(Path.of("/c/2.7.1-20250812-cpu-linux-x86_64")));
    assertEquals(
        Optional.of("cu130"),
        EngineLibraries.flavorOfCacheFolder(Path.of("/c/2.11.0-cu130-linux-x86_64")));
    assertEquals(
        Optional.of("cpu-precxx11"),
        EngineLibraries.flavorOfCacheFolder(Path.of("/c/2.7.1-cpu-precxx11-linux-x86_64")));
    assertEquals(
        Optional.empty(), EngineLibraries.flavorOfCacheFolder(Path.of("/site-packages/torch/lib")));
    // A libtorch outside DJL's cache (PYTORCH_LIBRARY_PATH): the JNI's folder names the flavour.
    assertEquals(
        "cu128",
        EngineLibraries.flavor(
            Path.of("/c/2.7.1-cu128-linux-x86_64/0.36.0-libdjl_torch.so"),
            Path.of("/opt/libtorch/lib"),
            null,
            true));
    assertEquals(
        "cu126", EngineLibraries.flavor(null, Path.of("/opt/libtorch/lib"), "cu126", true));
  }

  @Test
  void libtorchFromPytorchLibraryPathIsRecognisedThroughSymbolicLinks() throws IOException {
    // Debian's torch/lib holds links (libc10.so -> .../libc10.so.1.13); the kernel maps the target.
    Path real = Files.createDirectories(temp.resolve("usr-lib"));
    Path c10 = Files.createFile(real.resolve("libc10.so.1.13"));
    Path torchLib = Files.createDirectories(temp.resolve("torch/lib"));
    Files.createSymbolicLink(torchLib.resolve("libc10.so"), c10);
    Path other = Files.createDirectories(temp.resolve("other"));
    String override = other + File.pathSeparator + torchLib;
    assertEquals(Optional.of(torchLib), EngineLibraries.overrideFolder(override, c10));
    assertEquals(
        Optional.empty(), EngineLibraries.overrideFolder(other.toString(), c10), "not this folder");
  }

  @Test
  void nativeJarsAreFoundInWildcardEntriesAsJavaExpandsThem() throws IOException {
    Path lib = Files.createDirectories(temp.resolve("lib"));
    Files.createFile(lib.resolve("pytorch-native-cu128-2.7.1-linux-x86_64.jar"));
    Files.createFile(lib.resolve("pytorch-jni-2.7.1-0.36.0.jar"));
    Path cpu = temp.resolve("pytorch-native-cpu-2.7.1-linux-x86_64.jar");
    String classPath = String.join(File.pathSeparator, "app.jar", lib + "/*", cpu.toString());
    assertEquals(
        List.of(lib.resolve("pytorch-native-cu128-2.7.1-linux-x86_64.jar"), cpu),
        EngineLibraries.nativeJars(classPath));
  }

  /**
   * A libtorch that does not load (an empty libtorch.so through PYTORCH_LIBRARY_PATH), in a fresh
   * JVM because this one has its engine: the report still comes, with the reason, and exit 1.
   */
  @Test
  void anEngineThatDoesNotLoadIsReportedWithItsReason() throws IOException, InterruptedException {
    Path broken = Files.createDirectories(temp.resolve("broken"));
    Files.createFile(broken.resolve("libtorch.so"));
    List<String> command = new ArrayList<>(JavaCommand.stiffness(List.of("doctor")));
    command.add(1, "-DPYTORCH_LIBRARY_PATH=" + broken);
    Process p =
        new ProcessBuilder(command)
            .redirectError(temp.resolve("err.txt").toFile())
            .redirectOutput(temp.resolve("out.txt").toFile())
            .start();
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "doctor did not finish");
    String out = Files.readString(temp.resolve("out.txt"), StandardCharsets.UTF_8);
    String err = Files.readString(temp.resolve("err.txt"), StandardCharsets.UTF_8);
    assertEquals(StiffnessCli.FAILED, p.exitValue(), out + err);
    assertTrue(out.contains("engine          did not load: "), out);
    assertTrue(out.contains("PYTORCH_LIBRARY_PATH=" + broken), out);
    assertTrue(out.contains("move it out of stiffness-cli/target/lib"), out);
    List<String> lines = err.strip().lines().toList();
    String last = lines.get(lines.size() - 1);
    assertTrue(last.startsWith("stiffness: the engine did not load: "), err);
    assertTrue(last.contains(broken.resolve("libtorch.so").toString()), last);
  }
}
