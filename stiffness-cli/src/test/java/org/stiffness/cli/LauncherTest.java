package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher {@code ./stiffness}, run from a copy in a folder that looks built (a jar and a lib
 * folder, no sources, so it builds nothing) with {@code JAVA} set to a script that records the
 * command line and environment it was started with, instead of starting the application.
 */
class LauncherTest {
  /** The repository root: Maven runs the tests in stiffness-cli/. */
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

  @TempDir Path temp;
  private Path launcher;
  private Path record;

  @BeforeEach
  void layOutABuiltCopy() throws IOException {
    Path root = Files.createDirectories(temp.resolve("repo"));
    launcher = root.resolve("stiffness");
    Files.copy(ROOT.resolve("stiffness"), launcher, StandardCopyOption.COPY_ATTRIBUTES);
    Files.createDirectories(root.resolve("stiffness-cli/target/lib"));
    Files.createDirectories(root.resolve("datasets"));
    Files.createFile(root.resolve("stiffness-cli/target/stiffness-cli.jar"));
    record = temp.resolve("record.txt");
    Path java = temp.resolve("java");
    Files.writeString(
        java,
        "#!/usr/bin/env bash\n"
            + "{ for a in \"$@\"; do echo \"arg $a\"; done\n"
            + "  echo \"env NVIDIA_TF32_OVERRIDE=${NVIDIA_TF32_OVERRIDE-(unset)}\"\n"
            + "  echo \"env MALLOC_ARENA_MAX=${MALLOC_ARENA_MAX-(unset)}\"; } > "
            + record
            + "\n");
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** The launcher's recorded arguments ({@code arg}) and environment ({@code env}) lines. */
  private List<String> launch(Map<String, String> environment)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder("bash", launcher.toString(), "doctor")
            .redirectErrorStream(true)
            .redirectOutput(temp.resolve("out.txt").toFile());
    builder.environment().remove("STIFFNESS_JAVA_OPTS");
    builder.environment().remove("NVIDIA_TF32_OVERRIDE");
    builder.environment().remove("MALLOC_ARENA_MAX");
    builder.environment().put("JAVA", temp.resolve("java").toString());
    builder.environment().putAll(environment);
    Process p = builder.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the launcher did not finish");
    String out = Files.readString(temp.resolve("out.txt"), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), out);
    return Files.readAllLines(record, StandardCharsets.UTF_8);
  }

  /** The JVM options: the arguments before {@code -cp}. */
  private static List<String> jvmOptions(List<String> lines) {
    List<String> options = new ArrayList<>();
    for (String line : lines) {
      if (line.equals("arg -cp")) {
        return options;
      }
      if (line.startsWith("arg ")) {
        options.add(line.substring(4));
      }
    }
    throw new AssertionError("no -cp among " + lines);
  }

  /** The heap limit the real JVM takes from {@code options}, as it reports it. */
  private static long maxHeap(List<String> options) throws IOException, InterruptedException {
    return flag(options, "MaxHeapSize");
  }

  /** A numeric flag's value the real JVM takes from {@code options}, as it reports it. */
  private static long flag(List<String> options, String name)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(options);
    command.addAll(List.of("-XX:+PrintFlagsFinal", "-version"));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "java -version did not finish");
    return out.lines()
        .filter(l -> l.matches("\\s*\\w+ " + name + "\\s+=.*"))
        .map(l -> Long.parseLong(l.replaceAll(".*=\\s*(\\d+).*", "$1")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + " in:\n" + out));
  }

  @Test
  void javaOptionsAddToTheLaunchersHeapSettingInsteadOfReplacingIt() throws Exception {
    List<String> options = jvmOptions(launch(Map.of("STIFFNESS_JAVA_OPTS", "-Dx=1")));
    assertTrue(options.contains("-Dx=1"), options.toString());
    assertTrue(options.contains("-Xmx8g"), options.toString());
    assertEquals(8L << 30, maxHeap(options), options.toString());
  }

  @Test
  void aHeapSizeOfTheUsersWins() throws Exception {
    List<String> options = jvmOptions(launch(Map.of("STIFFNESS_JAVA_OPTS", "-Xmx2g -Dx=1")));
    assertEquals(2L << 30, maxHeap(options), options.toString());
  }

  @Test
  void theYoungGenerationIsSmallUnlessTheUserSaidOtherwise() throws Exception {
    List<String> options = jvmOptions(launch(Map.of()));
    assertEquals(64L << 20, flag(options, "MaxNewSize"), options.toString());
    assertEquals(64L << 20, flag(options, "InitialHeapSize"), options.toString());
    assertEquals(30, flag(options, "MaxHeapFreeRatio"), options.toString());
    options = jvmOptions(launch(Map.of("STIFFNESS_JAVA_OPTS", "-XX:MaxNewSize=512m -Xms1g")));
    assertEquals(512L << 20, flag(options, "MaxNewSize"), options.toString());
    assertEquals(1L << 30, flag(options, "InitialHeapSize"), options.toString());
  }

  @Test
  void oneMallocArenaUnlessTheUserSaidOtherwise() throws Exception {
    assertTrue(launch(Map.of()).contains("env MALLOC_ARENA_MAX=1"));
    assertTrue(
        launch(Map.of("MALLOC_ARENA_MAX", "4")).contains("env MALLOC_ARENA_MAX=4"),
        "the user's value is kept");
  }

  @Test
  void tf32IsTurnedOffUnlessTheUserSaidOtherwise() throws Exception {
    assertTrue(launch(Map.of()).contains("env NVIDIA_TF32_OVERRIDE=0"));
    assertTrue(
        launch(Map.of("NVIDIA_TF32_OVERRIDE", "1")).contains("env NVIDIA_TF32_OVERRIDE=1"),
        "the user's value is kept");
  }
}
