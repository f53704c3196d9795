package org.stiffness.cli;

import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.stiffness.cli.DoctorReport.EngineFacts;
import org.stiffness.cli.DoctorReport.LibtorchFacts;

/**
 * Which libtorch and JNI this process runs, from where, and why: the libraries really mapped into
 * the process ({@link LoadedLibraries}), DJL's cache folder names, {@code PYTORCH_LIBRARY_PATH} and
 * the native jars on the class path ({@code stiffness doctor}'s engine lines).
 */
final class EngineLibraries {
  /**
   * DJL's cache folders are named {@code <version>-<flavour>-<os>-<arch>}, e.g. {@code
   * 2.7.1-20250812-cpu-linux-x86_64} or {@code 2.11.0-cu130-linux-x86_64}; the flavour in the name
   * is the one DJL chose, and the JNI it looks for lives in that folder.
   */
  private static final Pattern CACHE_FOLDER =
      Pattern.compile("\\d+\\.\\d+\\.\\d+(?:-\\d+)?-([a-z0-9]+(?:-precxx11)?)-[a-z]+-[a-z0-9_]+");

  private static final Pattern NATIVE_JAR = Pattern.compile("pytorch-native-.*\\.jar");

  private EngineLibraries() {}

  /**
   * The engine, the libtorch and the JNI as loaded.
   *
   * @param engine the engine's name and version, or why it did not load
   * @param libtorch the libtorch folder, its flavour and where it came from
   * @param jni the mapped JNI library, or null
   */
  record Loaded(EngineFacts engine, LibtorchFacts libtorch, Path jni) {}

  /**
   * What DJL loaded, adding a note for each set-up mistake it would pass over in silence.
   *
   * @param engine the loaded engine, or null when it did not load
   * @param error why it did not load, or null
   */
  static Loaded of(
      Engine engine,
      String error,
      Map<String, String> environment,
      List<Path> jars,
      List<String> notes) {
    Optional<Path> c10 = LoadedLibraries.find(LoadedLibraries.C10);
    Path jni = LoadedLibraries.find(LoadedLibraries.DJL_JNI).orElse(null);
    String override = environment.get("PYTORCH_LIBRARY_PATH");
    Optional<Path> overridden =
        override == null || c10.isEmpty() ? Optional.empty() : overrideFolder(override, c10.get());
    Path libtorch = overridden.orElse(c10.map(Path::getParent).orElse(null));
    String source;
    if (libtorch == null) {
      source = null;
    } else if (overridden.isPresent()) {
      source = "PYTORCH_LIBRARY_PATH";
    } else if (!jars.isEmpty()) {
      // With several native jars DJL takes the best flavour; the folder's name says which.
      String prefix = "pytorch-native-" + flavorOfCacheFolder(libtorch).orElse("") + "-";
      Path jar =
          jars.stream()
              .filter(j -> j.getFileName().toString().startsWith(prefix))
              .findFirst()
              .orElse(jars.get(0));
      source = "extracted from " + jar.getFileName() + " into DJL's cache";
    } else {
      source = "DJL's cache";
    }
    if (override != null && !holdsLibtorch(override)) {
      // DJL then falls back to a native jar or a download without a word.
      notes.add(
          "PYTORCH_LIBRARY_PATH="
              + override
              + " holds no libtorch.so, so DJL ignored it (give the folder of libtorch.so)");
    }
    Optional<Path> cpuJar = jars.stream().filter(EngineLibraries::isCpuJar).findFirst();
    if (override != null && cpuJar.isPresent()) {
      notes.add(
          "PYTORCH_LIBRARY_PATH is set and "
              + cpuJar.get().getFileName()
              + " is on the class path: move it out of stiffness-cli/target/lib");
    }
    if (engine == null) {
      return new Loaded(
          new EngineFacts(null, null, error),
          new LibtorchFacts(null, null, false, libtorch, source),
          jni);
    }
    if (jni == null && c10.isEmpty()) {
      notes.add("the loaded libraries could not be read (no /proc/self/maps)");
    }
    boolean cuda = engine.hasCapability(StandardCapabilities.CUDA);
    String flavor = flavor(jni, libtorch, environment.get("PYTORCH_FLAVOR"), cuda);
    return new Loaded(
        new EngineFacts(engine.getEngineName(), engine.getVersion(), null),
        new LibtorchFacts(engine.getVersion(), flavor, cuda, libtorch, source),
        jni);
  }

  /** Whether an entry of PYTORCH_LIBRARY_PATH is, or holds, libtorch.so: DJL's own test. */
  private static boolean holdsLibtorch(String override) {
    for (String entry : override.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      Path p = Path.of(entry);
      if ((Files.isRegularFile(p) && p.getFileName().toString().equals("libtorch.so"))
          || Files.isRegularFile(p.resolve("libtorch.so"))) {
        return true;
      }
    }
    return false;
  }

  /**
   * The entry of PYTORCH_LIBRARY_PATH (a folder, or a libtorch.so in one) whose libc10 is the
   * mapped one. Compared as real files: the kernel maps link targets, and Debian's torch/lib holds
   * links.
   */
  static Optional<Path> overrideFolder(String override, Path mappedC10) {
    for (String entry : override.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      Path p = Path.of(entry).toAbsolutePath().normalize();
      Path folder = Files.isRegularFile(p) ? p.getParent() : p;
      try (Stream<Path> files = Files.list(folder)) {
        for (Path f : files.toList()) {
          if (LoadedLibraries.C10.matcher(f.getFileName().toString()).matches()
              && Files.isSameFile(f, mappedC10)) {
            return Optional.of(folder);
          }
        }
      } catch (IOException | RuntimeException e) {
        // not this entry
      }
    }
    return Optional.empty();
  }

  /**
   * The flavour DJL used: from the name of the cache folder the JNI was found in (or libtorch's),
   * else {@code PYTORCH_FLAVOR}, else what the library's capabilities say.
   */
  static String flavor(Path jni, Path libtorch, String flavorVariable, boolean cuda) {
    for (Path p : new Path[] {jni == null ? null : jni.getParent(), libtorch}) {
      Optional<String> f = flavorOfCacheFolder(p);
      if (f.isPresent()) {
        return f.get();
      }
    }
    if (flavorVariable != null && !flavorVariable.isBlank()) {
      return flavorVariable;
    }
    return cuda ? "cuda (version unknown)" : "cpu";
  }

  /** The flavour in a DJL cache folder's name, e.g. {@code cpu} or {@code cu128}. */
  static Optional<String> flavorOfCacheFolder(Path folder) {
    if (folder == null || folder.getFileName() == null) {
      return Optional.empty();
    }
    Matcher m = CACHE_FOLDER.matcher(folder.getFileName().toString());
    return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** The {@code pytorch-native-*.jar}s of a class path (wildcard entries listed, as java does). */
  static List<Path> nativeJars(String classPath) {
    List<Path> jars = new ArrayList<>();
    for (String entry : classPath.split(File.pathSeparator)) {
      if (entry.endsWith("*")) {
        Path folder = Path.of(entry.substring(0, entry.length() - 1));
        try (Stream<Path> files = Files.list(folder.toString().isEmpty() ? Path.of(".") : folder)) {
          files.filter(EngineLibraries::isNativeJar).sorted().forEach(jars::add);
        } catch (IOException | RuntimeException e) {
          // a wildcard over a missing folder adds nothing, for java too
        }
      } else if (!entry.isEmpty() && isNativeJar(Path.of(entry))) {
        jars.add(Path.of(entry));
      }
    }
    return jars;
  }

  private static boolean isNativeJar(Path p) {
    return p.getFileName() != null && NATIVE_JAR.matcher(p.getFileName().toString()).matches();
  }

  /** Whether {@code p} is DJL's CPU native jar. */
  static boolean isCpuJar(Path p) {
    return p.getFileName().toString().startsWith("pytorch-native-cpu");
  }
}
