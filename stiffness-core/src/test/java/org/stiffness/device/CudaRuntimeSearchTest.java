package org.stiffness.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CUDA runtime is found where real installations put it, each laid out as a fake in a temporary
 * folder (empty files named as the real ones): pip's wheels, a libtorch zip, a CUDA toolkit, the
 * system's folders, and the copy libtorch already mapped.
 */
class CudaRuntimeSearchTest {
  @TempDir Path temp;

  private Path file(String relative) throws IOException {
    Path p = temp.resolve(relative);
    Files.createDirectories(p.getParent());
    return Files.createFile(p);
  }

  /** A pip torch: site-packages/torch/lib/libtorch.so, the folder PYTORCH_LIBRARY_PATH names. */
  private Path pipTorch() throws IOException {
    return file("site-packages/torch/lib/libtorch.so").getParent();
  }

  private CudaRuntimeSearch.Found found(Map<String, String> env, List<Path> system) {
    CudaRuntimeSearch.Result r = CudaRuntimeSearch.search(env, List.of(), system);
    assertTrue(r.found().isPresent(), "nothing found in " + r.searched());
    return r.found().get();
  }

  @Test
  void pipsCuda12RuntimeIsFoundNextToTorch() throws IOException {
    Path torchLib = pipTorch();
    // pip's nvidia-cuda-runtime-cu12 ships only the versioned name: no plain libcudart.so.
    Path runtime = file("site-packages/nvidia/cuda_runtime/lib/libcudart.so.12");
    file("site-packages/nvidia/cublas/lib/libcublas.so.12");
    CudaRuntimeSearch.Found f =
        found(Map.of("PYTORCH_LIBRARY_PATH", torchLib.toString()), List.of());
    assertEquals(runtime, f.library());
    assertEquals("next to PYTORCH_LIBRARY_PATH, pip's nvidia/cuda_runtime/lib", f.source());
  }

  @Test
  void pipsCuda13RuntimeIsFoundInItsOwnPackageFolder() throws IOException {
    Path torchLib = pipTorch();
    Path runtime = file("site-packages/nvidia/cu13/lib/libcudart.so.13");
    // A PYTORCH_LIBRARY_PATH naming libtorch.so itself, as DJL also accepts.
    String entry = torchLib.resolve("libtorch.so").toString();
    assertEquals(runtime, found(Map.of("PYTORCH_LIBRARY_PATH", entry), List.of()).library());
  }

  @Test
  void aLibtorchZipsBundledRuntimeIsFoundInItsLibFolder() throws IOException {
    Path lib = file("libtorch/lib/libtorch.so").getParent();
    Path runtime = file("libtorch/lib/libcudart-218eec4c.so.12");
    CudaRuntimeSearch.Found f = found(Map.of("PYTORCH_LIBRARY_PATH", lib.toString()), List.of());
    assertEquals(runtime, f.library());
    assertEquals("in PYTORCH_LIBRARY_PATH", f.source());
  }

  @Test
  void cudaHomesLib64IsSearchedAndItsNewestVersionTaken() throws IOException {
    file("cuda-12.8/lib64/libcudart.so");
    file("cuda-12.8/lib64/libcudart.so.12");
    Path newest = file("cuda-12.8/lib64/libcudart.so.12.8.90");
    file("cuda-12.8/lib64/libcudart_static.a");
    CudaRuntimeSearch.Found f =
        found(Map.of("CUDA_HOME", temp.resolve("cuda-12.8").toString()), List.of());
    assertEquals(newest, f.library());
    assertEquals("CUDA_HOME", f.source());
  }

  @Test
  void ldLibraryPathAndThenTheSystemFoldersAreTheLastResort() throws IOException {
    Path system = file("usr/lib/x86_64-linux-gnu/libcudart.so.12").getParent();
    CudaRuntimeSearch.Found f = found(Map.of(), List.of(temp.resolve("missing"), system));
    assertEquals(system.resolve("libcudart.so.12"), f.library());
    assertEquals("a system folder", f.source());
    Path module = file("modules/cuda/lib/libcudart.so.12").getParent();
    assertEquals(
        "LD_LIBRARY_PATH",
        found(Map.of("LD_LIBRARY_PATH", module.toString()), List.of(system)).source());
  }

  @Test
  void theInstallationsOwnRuntimeComesBeforeCudaHomeAndTheSystems() throws IOException {
    Path torchLib = pipTorch();
    Path pip = file("site-packages/nvidia/cuda_runtime/lib/libcudart.so.12");
    file("cuda/lib64/libcudart.so.11.0");
    Path system = file("usr/lib/libcudart.so.13").getParent();
    Map<String, String> env =
        Map.of(
            "PYTORCH_LIBRARY_PATH",
            torchLib.toString(),
            "CUDA_HOME",
            temp.resolve("cuda").toString());
    assertEquals(pip, found(env, List.of(system)).library());
  }

  @Test
  void theCopyLibtorchMappedWinsOverEverySearch() throws IOException {
    Path mapped = file("elsewhere/libcudart.so.12.8.57");
    Path system = file("usr/lib/libcudart.so.13").getParent();
    CudaRuntimeSearch.Result r =
        CudaRuntimeSearch.search(
            Map.of(), List.of(temp.resolve("libc.so.6"), mapped), List.of(system));
    assertEquals(mapped, r.found().orElseThrow().library());
    assertEquals("already loaded in this process", r.found().get().source());
  }

  @Test
  void withoutOneTheSearchSaysWhereItLookedAndTheFix() throws IOException {
    Path torchLib = pipTorch();
    Map<String, String> env = Map.of("PYTORCH_LIBRARY_PATH", torchLib.toString());
    CudaRuntime.Detection d = CudaRuntime.detect(env, List.of(), List.of(temp.resolve("usr/lib")));
    assertNull(d.runtime());
    assertTrue(d.searched().contains(torchLib), d.searched().toString());
    assertTrue(d.searched().contains(temp.resolve("usr/lib")), d.searched().toString());
    assertTrue(d.message().startsWith("no CUDA runtime (libcudart.so*) in ["), d.message());
    assertTrue(d.message().contains("pip install nvidia-cuda-runtime-cu12"), d.message());
    // Without a libtorch path the fix is CUDA_HOME.
    String bare = CudaRuntime.detect(Map.of(), List.of(), List.of()).message();
    assertTrue(bare.contains("set CUDA_HOME to the CUDA toolkit"), bare);
  }

  @Test
  void aRuntimeThatDoesNotLoadIsNamedWithTheLinkersReason() throws IOException {
    Path fake = file("cuda/lib64/libcudart.so.12"); // empty: not an ELF file
    CudaRuntime.Detection d =
        CudaRuntime.detect(
            Map.of("CUDA_HOME", temp.resolve("cuda").toString()), List.of(), List.of());
    assertNull(d.runtime());
    assertEquals(fake, d.library());
    assertTrue(
        d.message().startsWith("the CUDA runtime " + fake + " (CUDA_HOME) does not load: "),
        d.message());
    assertEquals(1, d.message().lines().count(), d.message());
  }

  /**
   * Where this machine has a CUDA runtime in its system folders, the one found loads and counts the
   * GPUs as DJL's own binding does (when DJL finds one by its bare name at all).
   */
  @Test
  void aRealRuntimeCountsAsDjlsBindingDoes() {
    CudaRuntime.Detection d =
        CudaRuntime.detect(Map.of(), List.of(), CudaRuntimeSearch.systemFolders());
    Assumptions.assumeTrue(d.runtime() != null, "no CUDA runtime on this machine");
    assertEquals(CudaUtils.getGpuCount(), d.runtime().deviceCount());
    assertTrue(d.runtime().version().matches("\\d+\\.\\d"), d.runtime().version());
  }

  @Test
  void versionsAreDecodedAsCudaEncodesThem() {
    assertEquals("12.8", CudaRuntime.versionText(12080));
    assertEquals("13.0", CudaRuntime.versionText(13000));
    assertEquals("11.0", CudaRuntime.versionText(11000));
  }
}
