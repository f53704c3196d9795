package org.stiffness.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.engine.StandardCapabilities;
import ai.djl.util.Utils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.stiffness.device.CudaRuntime;
import org.stiffness.gradients.rules.ConvolutionKernel;
import org.stiffness.gram.MemoryBudget;
import org.stiffness.gram.Tf32Override;

/**
 * What {@code stiffness doctor} found: the engine and the libtorch and JNI that DJL loaded (and
 * from where), the native jars on the class path, DJL's environment variables, the GPUs and the
 * default memory budget of a device.
 *
 * <p>The paths are those really mapped into this process ({@link LoadedLibraries}), not where DJL
 * would look: a report of a node must say what a run on it will use.
 */
record DoctorReport(
    String stiffnessVersion,
    String djlVersion,
    String builtForPytorch,
    EngineFacts engine,
    List<Path> nativeJars,
    Map<String, String> environment,
    Path djlCacheDir,
    Path pytorchCacheDir,
    GpuFacts gpus,
    CudaFacts cudaRuntime,
    Tf32Facts tf32,
    NativeSetup setup,
    String device,
    Long freeBytes,
    Long budgetBytes,
    String convolution,
    List<String> notes) {

  /** The variables DJL's PyTorch engine reads (environment or system property of the same name). */
  static final List<String> VARIABLES =
      List.of(
          "PYTORCH_LIBRARY_PATH",
          "PYTORCH_VERSION",
          "PYTORCH_FLAVOR",
          "DJL_CACHE_DIR",
          "ENGINE_CACHE_DIR");

  /**
   * DJL's cache folders are named {@code <version>-<flavour>-<os>-<arch>}, e.g. {@code
   * 2.7.1-20250812-cpu-linux-x86_64} or {@code 2.11.0-cu130-linux-x86_64}; the flavour in the name
   * is the one DJL chose, and the JNI it looks for lives in that folder.
   */
  private static final Pattern CACHE_FOLDER =
      Pattern.compile("\\d+\\.\\d+\\.\\d+(?:-\\d+)?-([a-z0-9]+(?:-precxx11)?)-[a-z]+-[a-z0-9_]+");

  private static final Pattern NATIVE_JAR = Pattern.compile("pytorch-native-.*\\.jar");

  /** The engine as loaded, or why it did not load ({@code error} set, the rest mostly empty). */
  record EngineFacts(
      String name,
      String version,
      String error,
      String flavor,
      boolean cuda,
      Path libtorch,
      String libtorchSource,
      Path jni) {}

  /** One GPU as CUDA reports it; {@code error} when its memory could not be read. */
  record Gpu(int id, String computeCapability, long totalBytes, long freeBytes, String error) {}

  /**
   * The CUDA runtime found ({@link CudaRuntime}): where and by which rule, its version and the
   * driver's, or why none (problem) and what to do (fix).
   */
  record CudaFacts(
      String path,
      String source,
      String version,
      String driverVersion,
      String problem,
      String fix,
      List<Path> searched) {}

  /**
   * Whether TF32 could be in effect on a GPU ({@link Tf32Override}): the two variables as this
   * process was started, and the reason when it could.
   */
  record Tf32Facts(String nvidiaOverride, String cublasOverride, String reason) {
    boolean fp32AllowedOnGpus() {
      return reason == null;
    }
  }

  /** GPUs seen by the engine (0 without a CUDA libtorch) and by the CUDA runtime itself. */
  record GpuFacts(int engineCount, int cudaCount, String cudaVersion, List<Gpu> devices) {}

  /**
   * Loads the engine (catching a failure to load, which the report then shows) and gathers the
   * rest. The device is assumed checked ({@link DeviceCheck}) when the engine loaded.
   */
  static DoctorReport gather(Device device) {
    Properties build = StiffnessCli.buildProperties();
    Map<String, String> environment = new LinkedHashMap<>();
    for (String name : VARIABLES) {
      environment.put(name, Utils.getEnvOrSystemProperty(name));
    }
    List<Path> jars = nativeJars(System.getProperty("java.class.path", ""));
    List<String> notes = new ArrayList<>();

    Engine engine = null;
    String error = null;
    try {
      engine = TorchLogging.engine();
    } catch (RuntimeException | LinkageError | AssertionError e) {
      // DJL reports a missing or mismatched libtorch as EngineException, UnsatisfiedLinkError or
      // AssertionError; the report is most needed exactly then.
      error = innermost(e);
    }
    EngineFacts facts = engineFacts(engine, error, environment, jars, notes);

    CudaRuntime.Detection detection = CudaRuntime.detect();
    CudaRuntime runtime = detection.runtime();
    int engineGpus = engine == null ? 0 : DeviceCheck.gpuCount(engine);
    int cudaGpus = runtime == null ? 0 : runtime.deviceCount();
    String cudaVersion = null;
    String driverVersion = null;
    List<Gpu> gpus = new ArrayList<>();
    String countProblem = null;
    if (runtime != null) {
      try {
        cudaVersion = runtime.version();
        driverVersion = runtime.driverVersion();
      } catch (RuntimeException e) {
        notes.add("the CUDA runtime's version is unknown: " + innermost(e));
      }
      for (int i = 0; i < cudaGpus; i++) {
        gpus.add(gpu(runtime, i));
      }
      if (cudaGpus == 0) {
        countProblem = runtime.deviceCountProblem();
      }
    }
    boolean driver = Files.exists(Path.of("/proc/driver/nvidia/version"));
    if (runtime == null && (driver || facts.cuda())) {
      // Without the runtime the engine sees no GPU, whatever the libtorch: the fix is the runtime.
      notes.add(
          (facts.cuda() ? "the loaded libtorch has CUDA" : "an NVIDIA driver is loaded")
              + " but "
              + detection.message());
    } else if (runtime != null && cudaGpus == 0 && (driver || facts.cuda())) {
      notes.add("the CUDA runtime " + runtime + " sees no GPU: " + countProblem);
    }
    CudaFacts cudaFacts =
        new CudaFacts(
            string(detection.library()),
            detection.source(),
            cudaVersion,
            driverVersion,
            runtime == null ? detection.problem() : countProblem,
            detection.fix(),
            detection.searched());
    if (engine != null && cudaGpus > engineGpus) {
      notes.add(
          "CUDA sees "
              + cudaGpus
              + " GPU(s) but the loaded libtorch has no CUDA: point PYTORCH_LIBRARY_PATH at a"
              + " CUDA libtorch (2.7.1+cu128 as is, any other after scripts/build-jni)"
              + (jars.stream().anyMatch(DoctorReport::isCpuJar)
                  ? " and move the CPU native jar out of stiffness-cli/target/lib"
                  : "")
              + "; see docs/engine.md, Running on a GPU");
    }
    Map<String, String> env = System.getenv();
    Tf32Facts tf32 =
        new Tf32Facts(
            env.get(Tf32Override.NVIDIA),
            env.get(Tf32Override.CUBLAS),
            Tf32Override.reason(env).orElse(null));
    NativeSetup setup = NativeSetup.ofProcess();
    notes.addAll(setup.notes());
    if (!Utils.isOfflineMode()) {
      notes.add(
          "DJL may download libtorch or its JNI at run time (ai.djl.offline is not true): an"
              + " offline node needs DJL_OFFLINE unset (the launcher then runs DJL offline)");
    }

    Long free = null;
    Long budget = null;
    // An absent GPU is refused by the command (DeviceCheck) with one line; no budget for it.
    if (engine != null && DeviceCheck.problem(engine, device).isEmpty()) {
      try {
        free = MemoryBudget.freeBytes(device);
        budget = MemoryBudget.defaultFor(device);
      } catch (RuntimeException e) {
        notes.add(
            "the free memory of " + DeviceCheck.label(device) + " is unknown: " + innermost(e));
      }
    }
    return new DoctorReport(
        build.getProperty("version", "development"),
        build.getProperty("djl", "?"),
        build.getProperty("pytorch", "?"),
        facts,
        jars,
        environment,
        Utils.getCacheDir(),
        Utils.getEngineCacheDir("pytorch"),
        new GpuFacts(engineGpus, cudaGpus, cudaVersion, gpus),
        cudaFacts,
        tf32,
        setup,
        DeviceCheck.label(device),
        free,
        budget,
        ConvolutionKernel.reason(device),
        notes);
  }

  private static EngineFacts engineFacts(
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
    Optional<Path> cpuJar = jars.stream().filter(DoctorReport::isCpuJar).findFirst();
    if (override != null && cpuJar.isPresent()) {
      notes.add(
          "PYTORCH_LIBRARY_PATH is set and "
              + cpuJar.get().getFileName()
              + " is on the class path: move it out of stiffness-cli/target/lib");
    }
    if (engine == null) {
      return new EngineFacts(null, null, error, null, false, libtorch, source, jni);
    }
    if (jni == null && c10.isEmpty()) {
      notes.add("the loaded libraries could not be read (no /proc/self/maps)");
    }
    boolean cuda = engine.hasCapability(StandardCapabilities.CUDA);
    String flavor = flavor(jni, libtorch, environment.get("PYTORCH_FLAVOR"), cuda);
    return new EngineFacts(
        engine.getEngineName(), engine.getVersion(), null, flavor, cuda, libtorch, source, jni);
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
          files.filter(DoctorReport::isNativeJar).sorted().forEach(jars::add);
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

  static boolean isCpuJar(Path p) {
    return p.getFileName().toString().startsWith("pytorch-native-cpu");
  }

  private static Gpu gpu(CudaRuntime runtime, int id) {
    String capability = null;
    try {
      capability = runtime.computeCapability(id);
      CudaRuntime.Memory memory = runtime.memory(id);
      return new Gpu(id, capability, memory.totalBytes(), memory.freeBytes(), null);
    } catch (RuntimeException e) {
      return new Gpu(id, capability, -1, -1, innermost(e));
    }
  }

  private static String innermost(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return StiffnessCli.oneLine(t == e ? message : e.getMessage() + ": " + message);
  }

  /** The CPU native jar on the class path, if any. */
  Optional<Path> cpuNativeJar() {
    return nativeJars.stream().filter(DoctorReport::isCpuJar).findFirst();
  }

  /** The one-screen text report. */
  String text() {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "stiffness %s, DJL %s (shipped with libtorch %s)%n",
            stiffnessVersion,
            djlVersion,
            builtForPytorch));
    if (engine.error != null) {
      row(s, "engine", "did not load: " + engine.error);
    } else {
      row(s, "engine", engine.name + " " + engine.version);
      row(
          s,
          "libtorch",
          engine.version
              + ", flavour "
              + engine.flavor
              + ", "
              + (engine.cuda ? "with CUDA" : "without CUDA"));
    }
    row(
        s,
        "libtorch from",
        engine.libtorch == null ? "-" : engine.libtorch + " (" + engine.libtorchSource + ")");
    row(
        s,
        "JNI",
        engine.jni == null ? "not found among the loaded libraries" : engine.jni.toString());
    row(s, "CPU native jar", cpuNativeJar().map(Path::toString).orElse("none on the class path"));
    List<String> others =
        nativeJars.stream().filter(p -> !isCpuJar(p)).map(Path::toString).toList();
    if (!others.isEmpty()) {
      row(s, "other natives", String.join(", ", others));
    }
    List<String> variables = new ArrayList<>();
    environment.forEach((k, v) -> variables.add(k + "=" + (v == null ? "(unset)" : v)));
    row(s, "environment", String.join(" ", variables.subList(0, 3)));
    row(s, "DJL cache", djlCacheDir + " (pytorch: " + pytorchCacheDir + ")");
    row(
        s,
        "GPUs",
        String.format(
            Locale.ROOT,
            "%d seen by the engine, %d by CUDA%s",
            gpus.engineCount,
            gpus.cudaCount,
            gpus.cudaVersion == null ? "" : " (CUDA runtime " + gpus.cudaVersion + ")"));
    for (Gpu g : gpus.devices) {
      row(
          s,
          "  gpu" + g.id,
          g.error != null
              ? "memory unknown: " + g.error
              : String.format(
                  Locale.ROOT,
                  "%s total, %s free, compute capability %s",
                  MemoryBudget.format(g.totalBytes),
                  MemoryBudget.format(g.freeBytes),
                  g.computeCapability));
    }
    row(
        s,
        "CUDA runtime",
        cudaRuntime.path == null
            ? "none: " + cudaRuntime.problem
            : cudaRuntime.path
                + " ("
                + cudaRuntime.source
                + ")"
                + (cudaRuntime.version == null
                    ? ""
                    : ", CUDA " + cudaRuntime.version + ", driver " + cudaRuntime.driverVersion)
                + (cudaRuntime.problem == null ? "" : ": " + cudaRuntime.problem));
    row(
        s,
        "TF32",
        tf32.fp32AllowedOnGpus()
            ? "off (NVIDIA_TF32_OVERRIDE=0): fp32 allowed on GPUs"
            : "could be on: " + tf32.reason + "; fp32 refused on GPUs");
    row(s, "set-up", setup.setup());
    if (setup.refusal() != null) {
      row(s, "refused", setup.refusal());
    }
    row(s, "device", device);
    row(
        s,
        "memory budget",
        budgetBytes == null
            ? "-"
            : MemoryBudget.format(budgetBytes)
                + " (default: half of the "
                + MemoryBudget.format(freeBytes)
                + " free; --memory-budget overrides)");
    row(s, "convolution", convolution);
    for (String note : notes) {
      s.append("note: ").append(note).append(System.lineSeparator());
    }
    return s.toString();
  }

  /** The report as one JSON object (paths as strings, unknowns as null). */
  String json() {
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode root = mapper.createObjectNode();
    root.put("stiffness", stiffnessVersion);
    root.put("djl", djlVersion);
    root.put("shipped_libtorch", builtForPytorch);
    ObjectNode e = root.putObject("engine");
    e.put("name", engine.name);
    e.put("version", engine.version);
    e.put("loaded", engine.error == null);
    e.put("error", engine.error);
    ObjectNode l = root.putObject("libtorch");
    l.put("version", engine.version);
    l.put("flavor", engine.flavor);
    l.put("cuda", engine.cuda);
    l.put("path", string(engine.libtorch));
    l.put("source", engine.libtorchSource);
    root.put("jni", string(engine.jni));
    root.put("cpu_native_jar", string(cpuNativeJar().orElse(null)));
    ArrayNode jars = root.putArray("native_jars");
    nativeJars.forEach(p -> jars.add(p.toString()));
    ObjectNode env = root.putObject("environment");
    environment.forEach(env::put);
    root.put("djl_cache_dir", djlCacheDir.toString());
    root.put("pytorch_cache_dir", pytorchCacheDir.toString());
    ObjectNode g = root.putObject("gpus");
    g.put("engine_count", gpus.engineCount);
    g.put("cuda_count", gpus.cudaCount);
    g.put("cuda_version", gpus.cudaVersion);
    ArrayNode devices = g.putArray("devices");
    for (Gpu gpu : gpus.devices) {
      ObjectNode d = devices.addObject();
      d.put("device", "gpu" + gpu.id);
      d.put("compute_capability", gpu.computeCapability);
      if (gpu.error == null) {
        d.put("total_bytes", gpu.totalBytes);
        d.put("free_bytes", gpu.freeBytes);
      } else {
        d.put("error", gpu.error);
      }
    }
    ObjectNode c = root.putObject("cuda_runtime");
    c.put("path", cudaRuntime.path);
    c.put("source", cudaRuntime.source);
    c.put("version", cudaRuntime.version);
    c.put("driver_version", cudaRuntime.driverVersion);
    c.put("problem", cudaRuntime.problem);
    c.put("fix", cudaRuntime.path == null ? cudaRuntime.fix : null);
    ArrayNode searched = c.putArray("searched");
    cudaRuntime.searched.forEach(p -> searched.add(p.toString()));
    ObjectNode t = root.putObject("tf32");
    t.put(Tf32Override.NVIDIA, tf32.nvidiaOverride);
    t.put(Tf32Override.CUBLAS, tf32.cublasOverride);
    t.put("possible", !tf32.fp32AllowedOnGpus());
    t.put("fp32_on_gpu", tf32.fp32AllowedOnGpus() ? "allowed" : "refused");
    t.put("reason", tf32.reason);
    ObjectNode u = root.putObject("setup");
    u.put("description", setup.setup());
    u.put("refusal", setup.refusal());
    u.put("jni", setup.jniPath());
    if (setup.libtorch() != null) {
      ObjectNode lt = u.putObject("libtorch");
      lt.put("path", setup.libtorch().folder().toString());
      lt.put("version", setup.libtorch().version());
      lt.put("cuda", setup.libtorch().cuda());
      lt.put("cuda_version", setup.libtorch().cudaVersion());
    }
    root.put("device", device);
    root.put("free_bytes", freeBytes);
    root.put("memory_budget_bytes", budgetBytes);
    root.put("memory_budget", budgetBytes == null ? null : MemoryBudget.format(budgetBytes));
    root.put("convolution", convolution);
    ArrayNode n = root.putArray("notes");
    notes.forEach(n::add);
    try {
      return mapper.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException ex) {
      throw new IllegalStateException("could not write the JSON report", ex);
    }
  }

  private static String string(Path p) {
    return p == null ? null : p.toString();
  }

  private static void row(StringBuilder s, String name, String value) {
    s.append(String.format(Locale.ROOT, "  %-15s %s%n", name, value));
  }
}
