package org.stiffness.cli;

import ai.djl.engine.Engine;
import ai.djl.util.Utils;
import ai.djl.util.cuda.CudaUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * Which of the three GPU set-ups of docs/engine.md a node is in, and what in it would stop DJL from
 * loading the right native code, read from the environment, the class path and DJL's cache only
 * (nothing is loaded or downloaded):
 *
 * <ul>
 *   <li>(a) libtorch 2.7.1 with the JNI DJL ships ({@code cpu} or {@code cu128}, inside {@code
 *       pytorch-jni-2.7.1-0.36.0.jar}): {@code PYTORCH_LIBRARY_PATH}, {@code PYTORCH_VERSION} and
 *       {@code PYTORCH_FLAVOR} set, nothing to build;
 *   <li>(b) any other libtorch, with the JNI {@code scripts/build-jni} put into DJL's cache;
 *   <li>(c) either, offline: DJL would download a missing libtorch or JNI at run time, which an
 *       offline node refuses, so what would be downloaded is named as missing.
 * </ul>
 *
 * <p>The one thing refused outright ({@link #refusal()}): the CPU native jar on the class path
 * beside a CUDA libtorch. DJL takes the CPU natives whenever {@code PYTORCH_LIBRARY_PATH} does not
 * hold a libtorch (a typo, a module not loaded), without a word, and every GPU run then fails
 * later, or a CPU run silently measures on other natives than the node was set up for.
 *
 * @param libtorch the libtorch {@code PYTORCH_LIBRARY_PATH} names, if any
 * @param setup one line: the set-up and where its JNI comes from
 * @param refusal the line that refuses the class path, or null
 * @param notes set-up problems, each with its fix
 */
record NativeSetup(
    LibtorchFolder libtorch, String setup, String refusal, List<String> notes, String jniPath) {

  /** What DJL is told and has, as a node presents it. */
  record Inputs(
      Map<String, String> environment,
      List<Path> nativeJars,
      Path pytorchCacheDir,
      String djlVersion,
      String shippedVersion,
      Set<String> shippedFlavors,
      Supplier<String> djlCudaGuess,
      boolean offline,
      String classifier) {}

  /** Reads the set-up; see the class comment for the rules. */
  static NativeSetup of(Inputs in) {
    List<String> notes = new ArrayList<>();
    Optional<LibtorchFolder> folder =
        LibtorchFolder.fromVariable(in.environment().get("PYTORCH_LIBRARY_PATH"));
    Optional<Path> cpuJar = in.nativeJars().stream().filter(EngineLibraries::isCpuJar).findFirst();
    Optional<Path> cudaJar =
        in.nativeJars().stream()
            .filter(j -> j.getFileName().toString().startsWith("pytorch-native-cu"))
            .findFirst();

    String refusal = null;
    if (cpuJar.isPresent() && folder.isPresent() && folder.get().cuda()) {
      refusal =
          "the CPU native jar "
              + cpuJar.get()
              + " is on the class path beside the CUDA libtorch in PYTORCH_LIBRARY_PATH="
              + folder.get().folder()
              + ": remove "
              + cpuJar.get().getFileName()
              + " from the class path (move it out of stiffness-cli/target/lib), or DJL falls"
              + " back to it without a word whenever that path holds no libtorch";
    } else if (cpuJar.isPresent() && cudaJar.isPresent()) {
      refusal =
          "the CPU native jar "
              + cpuJar.get()
              + " is on the class path beside the CUDA native jar "
              + cudaJar.get().getFileName()
              + ": remove "
              + cpuJar.get().getFileName()
              + " from the class path (move it out of stiffness-cli/target/lib)";
    }

    if (folder.isEmpty()) {
      String setup =
          in.nativeJars().isEmpty()
              ? "no libtorch given (no PYTORCH_LIBRARY_PATH, no native jar): DJL would download"
                  + " one"
              : "libtorch from the native jar "
                  + in.nativeJars().get(0).getFileName()
                  + " (DJL's own, extracted into its cache)";
      if (in.nativeJars().isEmpty()) {
        notes.add(
            in.offline()
                ? "no libtorch: set PYTORCH_LIBRARY_PATH, PYTORCH_VERSION and PYTORCH_FLAVOR"
                    + " (docs/engine.md, Running on a GPU); offline, DJL cannot download one"
                : "no libtorch: DJL will download one from publish.djl.ai; on an offline node set"
                    + " PYTORCH_LIBRARY_PATH, PYTORCH_VERSION and PYTORCH_FLAVOR instead");
      }
      return new NativeSetup(null, setup, refusal, List.copyOf(notes), null);
    }

    LibtorchFolder lib = folder.get();
    String wantedFlavor = lib.flavor();
    String flavorVariable = blankToNull(in.environment().get("PYTORCH_FLAVOR"));
    String flavor = flavorVariable != null ? flavorVariable : in.djlCudaGuess().get();
    if (flavorVariable == null) {
      notes.add(
          "PYTORCH_FLAVOR is unset, so DJL looks for the JNI of flavour "
              + in.djlCudaGuess().get()
              + ", a pre-C++11-ABI build that pytorch-jni does not ship: export PYTORCH_FLAVOR="
              + (wantedFlavor == null
                  ? "cuXYZ (the CUDA version of this libtorch)"
                  : wantedFlavor));
    } else if (wantedFlavor != null && !wantedFlavor.equals(flavorVariable)) {
      notes.add(
          "PYTORCH_FLAVOR="
              + flavorVariable
              + " but the libtorch in "
              + lib.folder()
              + " is "
              + wantedFlavor
              + ": export PYTORCH_FLAVOR="
              + wantedFlavor);
    }
    String versionVariable = blankToNull(in.environment().get("PYTORCH_VERSION"));
    String version = versionVariable != null ? versionVariable : in.shippedVersion();
    if (lib.version() != null && !lib.version().equals(version)) {
      notes.add(
          (versionVariable == null
                  ? "PYTORCH_VERSION is unset, so DJL takes " + version
                  : "PYTORCH_VERSION=" + versionVariable)
              + " but the libtorch in "
              + lib.folder()
              + " is "
              + lib.version()
              + ": export PYTORCH_VERSION="
              + lib.version()
              + " (a JNI of another version fails on the C++ ABI)");
    }

    Path jni =
        in.pytorchCacheDir()
            .resolve(version + "-" + flavor + "-" + in.classifier())
            .resolve(in.djlVersion() + "-libdjl_torch.so");
    String setup;
    if (flavorVariable == null) {
      // The JNI DJL would look for is the unshipped one the note above names.
      setup = "libtorch " + version + " from PYTORCH_LIBRARY_PATH, flavour not given";
    } else if (Files.isRegularFile(jni)) {
      setup =
          version.equals(in.shippedVersion()) && in.shippedFlavors().contains(flavor)
              ? "(a) libtorch " + version + " " + flavor + " with DJL's shipped JNI, at " + jni
              : "(b) libtorch " + version + " " + flavor + " with the JNI built for it, at " + jni;
    } else if (version.equals(in.shippedVersion()) && in.shippedFlavors().contains(flavor)) {
      setup =
          "(a) libtorch "
              + version
              + " "
              + flavor
              + ": DJL extracts its shipped JNI from pytorch-jni to "
              + jni
              + " on first use, no build needed";
    } else {
      setup = "(b) libtorch " + version + " " + flavor + " without a JNI";
      notes.add(
          "no JNI for libtorch "
              + version
              + " "
              + flavor
              + " at "
              + jni
              + ": DJL would download one"
              + (in.offline() ? ", which an offline run refuses," : "")
              + " and publish.djl.ai has none for a libtorch DJL did not ship: run"
              + " scripts/build-jni --libtorch DIR or --python PY (set-up b)");
    }
    return new NativeSetup(lib, setup, refusal, List.copyOf(notes), jni.toString());
  }

  /** This process's set-up: its environment (or system properties), class path and DJL cache. */
  static NativeSetup ofProcess() {
    Map<String, String> environment = new HashMap<>();
    for (String name : DoctorReport.VARIABLES) {
      String value = Utils.getEnvOrSystemProperty(name);
      if (value != null) {
        environment.put(name, value);
      }
    }
    String arch = System.getProperty("os.arch", "");
    String classifier =
        "linux-" + (arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch);
    String jniVersion = shippedJniVersion(); // "2.7.1-0.36.0"
    int dash = jniVersion.indexOf('-');
    String shipped = dash < 0 ? "2.7.1" : jniVersion.substring(0, dash);
    String djl = dash < 0 ? Engine.getDjlVersion() : jniVersion.substring(dash + 1);
    Set<String> flavors = new TreeSet<>();
    for (String f : new String[] {"cpu", "cu118", "cu121", "cu124", "cu126", "cu128", "cu130"}) {
      if (NativeSetup.class.getResource("/jnilib/" + classifier + "/" + f + "/libdjl_torch.so")
          != null) {
        flavors.add(f);
      }
    }
    return of(
        new Inputs(
            environment,
            EngineLibraries.nativeJars(System.getProperty("java.class.path", "")),
            Utils.getEngineCacheDir("pytorch"),
            djl,
            shipped,
            flavors,
            NativeSetup::djlFlavorGuess,
            Utils.isOfflineMode(),
            classifier));
  }

  /**
   * The flavour DJL 0.36 gives a libtorch of PYTORCH_LIBRARY_PATH without PYTORCH_FLAVOR ({@code
   * LibUtils.LibTorch}): {@code cuXYZ-precxx11} when its CudaUtils finds the runtime by its bare
   * name, else {@code cpu-precxx11}.
   */
  private static String djlFlavorGuess() {
    try {
      if (CudaUtils.getGpuCount() > 0) {
        return "cu" + CudaUtils.getCudaVersionString() + "-precxx11";
      }
    } catch (RuntimeException | LinkageError e) {
      // as DJL: no CUDA
    }
    return "cpu-precxx11";
  }

  /** {@code jni_version} of the pytorch-jni jar on the class path, or empty. */
  private static String shippedJniVersion() {
    try (var in = NativeSetup.class.getResourceAsStream("/jnilib/pytorch.properties")) {
      if (in == null) {
        return "";
      }
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("jni_version", "");
    } catch (IOException e) {
      return "";
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s.trim();
  }
}
