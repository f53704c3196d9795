package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three GPU set-ups of docs/engine.md read from fake installations: a pip torch's {@code
 * torch/lib} with its {@code version.py}, a libtorch zip with its {@code build-version}, DJL's
 * cache folder, and the native jars of a class path (empty files named as the real ones).
 */
class NativeSetupTest {
  @TempDir Path temp;

  private static final Path CPU_JAR = Path.of("/app/lib/pytorch-native-cpu-2.7.1-linux-x86_64.jar");

  /** A pip torch: site-packages/torch/{version.py, lib/libtorch.so[, lib/libtorch_cuda.so]}. */
  private Path pipTorch(String version, String cuda) throws IOException {
    Path torch = Files.createDirectories(temp.resolve("site-packages/torch"));
    Path lib = Files.createDirectories(torch.resolve("lib"));
    Files.createFile(lib.resolve("libtorch.so"));
    if (cuda != null) {
      Files.createFile(lib.resolve("libtorch_cuda.so"));
    }
    // As pip's torch writes it.
    Files.writeString(
        torch.resolve("version.py"),
        "from typing import Optional\n__all__ = ['__version__', 'debug', 'cuda', 'git_version']\n"
            + "__version__ = '"
            + version
            + (cuda == null ? "+cpu" : "+cu" + cuda.replace(".", ""))
            + "'\ndebug = False\ncuda: Optional[str] = "
            + (cuda == null ? "None" : "'" + cuda + "'")
            + "\n");
    return lib;
  }

  private NativeSetup setup(Map<String, String> env, List<Path> jars) {
    return NativeSetup.of(
        new NativeSetup.Inputs(
            env,
            jars,
            temp.resolve("cache/pytorch"),
            "0.36.0",
            "2.7.1",
            Set.of("cpu", "cu128"),
            () -> "cpu-precxx11",
            true,
            "linux-x86_64"));
  }

  private static Map<String, String> env(String... pairs) {
    Map<String, String> m = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put(pairs[i], pairs[i + 1]);
    }
    return m;
  }

  @Test
  void setUpAWithoutPytorchFlavorSaysDjlWouldLookForAnUnshippedPrecxx11Build() throws IOException {
    Path lib = pipTorch("2.7.1", "12.8");
    NativeSetup s =
        setup(env("PYTORCH_LIBRARY_PATH", lib.toString(), "PYTORCH_VERSION", "2.7.1"), List.of());
    assertEquals(1, s.notes().size(), s.notes().toString());
    String note = s.notes().get(0);
    assertTrue(note.startsWith("PYTORCH_FLAVOR is unset"), note);
    assertTrue(note.contains("flavour cpu-precxx11"), note);
    assertTrue(note.endsWith("export PYTORCH_FLAVOR=cu128"), note);
  }

  @Test
  void setUpAWithItsThreeVariablesNeedsNoBuild() throws IOException {
    Path lib = pipTorch("2.7.1", "12.8");
    NativeSetup s =
        setup(
            env(
                "PYTORCH_LIBRARY_PATH",
                lib.toString(),
                "PYTORCH_VERSION",
                "2.7.1",
                "PYTORCH_FLAVOR",
                "cu128"),
            List.of());
    assertEquals(List.of(), s.notes());
    assertNull(s.refusal());
    assertTrue(s.setup().startsWith("(a) libtorch 2.7.1 cu128"), s.setup());
    assertTrue(s.setup().endsWith("no build needed"), s.setup());
    assertEquals("2.7.1", s.libtorch().version());
    assertEquals("12.8", s.libtorch().cudaVersion());
  }

  @Test
  void setUpBNamesTheMissingJniAndScriptsBuildJni() throws IOException {
    Path lib = pipTorch("2.11.0", "13.0");
    Map<String, String> env =
        env(
            "PYTORCH_LIBRARY_PATH",
            lib.toString(),
            "PYTORCH_VERSION",
            "2.11.0",
            "PYTORCH_FLAVOR",
            "cu130");
    NativeSetup missing = setup(env, List.of());
    Path jni = temp.resolve("cache/pytorch/2.11.0-cu130-linux-x86_64/0.36.0-libdjl_torch.so");
    assertTrue(missing.setup().startsWith("(b) libtorch 2.11.0 cu130 without a JNI"));
    assertEquals(1, missing.notes().size(), missing.notes().toString());
    assertTrue(missing.notes().get(0).contains("no JNI for libtorch 2.11.0 cu130 at " + jni));
    assertTrue(missing.notes().get(0).contains("an offline run refuses"));
    assertTrue(missing.notes().get(0).contains("scripts/build-jni"));

    Files.createDirectories(jni.getParent());
    Files.createFile(jni);
    NativeSetup built = setup(env, List.of());
    assertEquals(List.of(), built.notes());
    assertEquals("(b) libtorch 2.11.0 cu130 with the JNI built for it, at " + jni, built.setup());
  }

  @Test
  void aPytorchVersionThatIsNotTheLibtorchsIsNamed() throws IOException {
    Path lib = pipTorch("2.11.0", "13.0");
    NativeSetup s =
        setup(env("PYTORCH_LIBRARY_PATH", lib.toString(), "PYTORCH_FLAVOR", "cu130"), List.of());
    assertTrue(
        s.notes().stream()
            .anyMatch(
                n ->
                    n.startsWith("PYTORCH_VERSION is unset, so DJL takes 2.7.1")
                        && n.contains("export PYTORCH_VERSION=2.11.0")),
        s.notes().toString());
  }

  @Test
  void aLibtorchZipSaysItsVersionAndCudaInBuildVersion() throws IOException {
    Path root = Files.createDirectories(temp.resolve("libtorch"));
    Path lib = Files.createDirectories(root.resolve("lib"));
    Files.createFile(lib.resolve("libtorch.so"));
    Files.createFile(lib.resolve("libtorch_cuda.so"));
    Files.writeString(root.resolve("build-version"), "2.7.1+cu128\n");
    LibtorchFolder f = LibtorchFolder.of(lib);
    assertEquals("2.7.1", f.version());
    assertEquals("12.8", f.cudaVersion());
    assertEquals("cu128", f.flavor());
  }

  @Test
  void theCpuNativeJarBesideACudaLibtorchIsRefusedNamingTheJar() throws IOException {
    Path lib = pipTorch("2.7.1", "12.8");
    NativeSetup s = setup(env("PYTORCH_LIBRARY_PATH", lib.toString()), List.of(CPU_JAR));
    assertTrue(s.refusal().startsWith("the CPU native jar " + CPU_JAR), s.refusal());
    assertTrue(s.refusal().contains("remove pytorch-native-cpu-2.7.1-linux-x86_64.jar"));
    Path cuda = Path.of("/app/lib/pytorch-native-cu128-2.7.1-linux-x86_64.jar");
    NativeSetup jars = setup(env(), List.of(CPU_JAR, cuda));
    assertTrue(jars.refusal().contains("beside the CUDA native jar " + cuda.getFileName()));
  }

  @Test
  void theCpuNativeJarAloneOrBesideACpuLibtorchIsNotRefused() throws IOException {
    assertNull(setup(env(), List.of(CPU_JAR)).refusal());
    Path lib = pipTorch("2.7.1", null);
    assertNull(setup(env("PYTORCH_LIBRARY_PATH", lib.toString()), List.of(CPU_JAR)).refusal());
  }

  @Test
  void offlineWithoutAnyLibtorchSaysWhatToSet() {
    NativeSetup s = setup(env(), List.of());
    assertTrue(s.notes().get(0).contains("offline, DJL cannot download one"), s.notes().toString());
  }
}
