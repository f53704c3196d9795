package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scripts/build-jni} refuses what it cannot build from, offline and before building or
 * writing anything: one line naming the problem, exit code 2 for bad arguments, 1 for a missing
 * prerequisite. (The build itself needs a C++ toolchain and a libtorch; docs/engine.md says where
 * it was run.)
 */
class BuildJniScriptTest {
  @TempDir Path temp;

  /** The repository root: Maven runs the tests in stiffness-cli/. */
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  private record Result(int exitCode, String out, String err) {}

  private Result run(String... args) throws IOException, InterruptedException {
    return run(Map.of(), args);
  }

  private Result run(Map<String, String> environment, String... args)
      throws IOException, InterruptedException {
    Path script = ROOT.resolve("scripts/build-jni");
    assertTrue(Files.isExecutable(script), script + " is not an executable file");
    List<String> command = new ArrayList<>(List.of("bash", script.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .redirectOutput(temp.resolve("out.txt").toFile())
            .redirectError(temp.resolve("err.txt").toFile());
    // Whatever the developer's environment: the script must not touch their DJL cache here.
    builder.environment().put("DJL_CACHE_DIR", temp.resolve("cache").toString());
    builder.environment().remove("ENGINE_CACHE_DIR");
    builder.environment().putAll(environment);
    Process p = builder.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "build-jni did not finish");
    return new Result(
        p.exitValue(),
        Files.readString(temp.resolve("out.txt"), StandardCharsets.UTF_8),
        Files.readString(temp.resolve("err.txt"), StandardCharsets.UTF_8));
  }

  private static void assertOneLine(Result r, int code, String... words) {
    assertEquals(code, r.exitCode(), r.out() + r.err());
    String err = r.err().strip();
    assertEquals(1, err.lines().count(), "one line on stderr, got:\n" + err);
    assertTrue(err.startsWith("build-jni: "), err);
    for (String word : words) {
      assertTrue(err.contains(word), "does not name '" + word + "': " + err);
    }
    assertTrue(r.out().isEmpty(), "nothing on stdout, got:\n" + r.out());
  }

  /** A folder shaped like a libtorch (lib/libtorch.so, its CMake package, a version). */
  private Path fakeLibtorch(boolean cuda) throws IOException {
    Path dir = temp.resolve(cuda ? "libtorch-cuda" : "libtorch");
    Files.createDirectories(dir.resolve("lib"));
    Files.createDirectories(dir.resolve("share/cmake/Torch"));
    Files.createFile(dir.resolve("lib/libtorch.so"));
    Files.writeString(dir.resolve("share/cmake/Torch/TorchConfig.cmake"), "");
    // As in libtorch zips, but without the "+cu128" that says which CUDA a CUDA build has.
    Files.writeString(dir.resolve("build-version"), "2.7.1\n");
    if (cuda) {
      Files.createFile(dir.resolve("lib/libtorch_cuda.so"));
    }
    return dir;
  }

  /**
   * A PATH with only the programs the script runs before its tool check (wrappers of this
   * machine's), so cmake, the C++ compilers and nvcc are not on it.
   */
  private Path pathWithoutBuildTools() throws IOException {
    Path bin = Files.createDirectories(temp.resolve("bin"));
    for (String name :
        List.of(
            "sed",
            "head",
            "readlink",
            "dirname",
            "basename",
            "uname",
            "nproc",
            "mktemp",
            "mkdir",
            "rm",
            "cp",
            "mv",
            "grep",
            "tr",
            "cat",
            "env")) {
      Path real =
          Stream.of("/usr/bin/", "/bin/")
              .map(d -> Path.of(d + name))
              .filter(Files::isExecutable)
              .findFirst()
              .orElseThrow(() -> new AssertionError("no " + name + " on this machine"));
      Path wrapper = bin.resolve(name);
      Files.writeString(wrapper, "#!/bin/sh\nexec " + real + " \"$@\"\n");
      Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    return bin;
  }

  @Test
  void missingBuildToolsAreNamedTogetherInOneLineBeforeAnythingIsBuilt() throws Exception {
    Path libtorch = fakeLibtorch(true);
    Files.writeString(libtorch.resolve("build-version"), "2.7.1+cu128\n");
    Path build = temp.resolve("build");
    Result r =
        run(
            Map.of("PATH", pathWithoutBuildTools().toString(), "CUDA_HOME", temp.toString()),
            "--libtorch",
            libtorch.toString(),
            "--build-dir",
            build.toString());
    assertOneLine(r, 1, "build-jni: missing: cmake", "; a C++17 compiler");
    // CMake would still find a toolkit in /usr/local/cuda; only where there is none is it missing.
    assertEquals(
        !Files.isExecutable(Path.of("/usr/local/cuda/bin/nvcc")),
        r.err().contains("; the CUDA toolkit for cu128, nvcc"),
        r.err());
    assertFalse(Files.exists(build), "a build folder was created");
  }

  @Test
  void helpExplainsTheUsage() throws Exception {
    Result r = run("--help");
    assertEquals(0, r.exitCode(), r.err());
    assertTrue(r.out().contains("--libtorch DIR") && r.out().contains("--python PY"), r.out());
  }

  @Test
  void withoutALibtorchItSaysWhatToGive() throws Exception {
    assertOneLine(run(), 2, "--libtorch DIR or --python PY");
  }

  @Test
  void unknownArgumentsAreNamed() throws Exception {
    assertOneLine(run("--python", "python3", "--cuda"), 2, "'--cuda'");
  }

  @Test
  void aFolderThatIsNotALibtorchIsNamed() throws Exception {
    Path empty = Files.createDirectories(temp.resolve("empty"));
    assertOneLine(run("--libtorch", empty.toString()), 2, empty.toString(), "lib/libtorch.so");
    assertOneLine(
        run("--libtorch", temp.resolve("missing").toString()), 2, "missing", "not a folder");
  }

  @Test
  void aPythonWithoutTorchIsNamed() throws Exception {
    // /bin/false runs and fails, as a Python whose "import torch" fails does.
    assertOneLine(run("--python", "false"), 1, "false cannot import torch");
    assertOneLine(run("--python", temp.resolve("nopython").toString()), 2, "not an executable");
  }

  @Test
  void aCudaLibtorchThatDoesNotSayWhichCudaNeedsAFlavour() throws Exception {
    assertOneLine(run("--libtorch", fakeLibtorch(true).toString()), 1, "give --flavor cuXYZ");
  }

  @Test
  void badFlavoursAndJobCountsAreRefused() throws Exception {
    String libtorch = fakeLibtorch(false).toString();
    assertOneLine(run("--libtorch", libtorch, "--flavor", "cuda12"), 2, "'cuda12'");
    assertOneLine(run("--libtorch", libtorch, "--jobs", "0"), 2, "--jobs", "'0'");
  }

  @Test
  void aBuildFolderInsideTheRepositoryIsRefusedBeforeItIsCreated() throws Exception {
    Path inside = ROOT.resolve("stiffness-cli/target/build-jni-test-" + System.nanoTime());
    Result r = run("--libtorch", fakeLibtorch(false).toString(), "--build-dir", inside.toString());
    assertOneLine(r, 2, "inside the repository");
    assertFalse(Files.exists(inside), "created " + inside);
  }

  @Test
  void aDjlSourceWithoutTheNativeTreeIsNamedAndNothingIsBuilt() throws Exception {
    Path notDjl = Files.createDirectories(temp.resolve("not-djl"));
    Path build = temp.resolve("build");
    Result r =
        run(
            "--libtorch",
            fakeLibtorch(false).toString(),
            "--djl-source",
            notDjl.toString(),
            "--build-dir",
            build.toString());
    // Where a machine lacks a tool (cmake, a compiler, a JDK, DJL's api jar) that is the line.
    assertEquals(1, r.exitCode(), r.err());
    String err = r.err().strip();
    assertEquals(1, err.lines().count(), err);
    assertTrue(
        err.contains(notDjl + " is not DJL's source tree")
            || err.matches("build-jni: .*(cmake|C\\+\\+ compiler|javac|JAVA_HOME|ai\\.djl:api).*"),
        err);
    assertFalse(Files.exists(build), "a build folder was created for a bad source tree");
    assertFalse(Files.exists(temp.resolve("cache")), "something was installed");
  }
}
