package org.stiffness.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.Utils;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.stiffness.device.CudaRuntime;
import org.stiffness.gradients.rules.ConvolutionKernel;
import org.stiffness.gram.MemoryBudget;
import org.stiffness.gram.Tf32Override;

/**
 * What {@code stiffness doctor} found: the engine and the libtorch and JNI that DJL loaded (and
 * from where), the native jars on the class path, DJL's environment variables, the GPUs and the
 * default memory budget of a device. Gathered once ({@link #gather}), rendered as text ({@link
 * DoctorText}) and as one JSON object ({@link #json}): the components in order, snake_case names.
 *
 * <p>The paths are those really mapped into this process ({@link LoadedLibraries}), not where DJL
 * would look: a report of a node must say what a run on it will use.
 *
 * @param memoryBudget {@code budgetBytes} as text, or null
 */
record DoctorReport(
    @JsonProperty("stiffness") String stiffnessVersion,
    @JsonProperty("djl") String djlVersion,
    @JsonProperty("shipped_libtorch") String builtForPytorch,
    EngineFacts engine,
    LibtorchFacts libtorch,
    Path jni,
    Path cpuNativeJar,
    List<Path> nativeJars,
    Map<String, String> environment,
    Path djlCacheDir,
    Path pytorchCacheDir,
    GpuFacts gpus,
    CudaFacts cudaRuntime,
    Tf32Facts tf32,
    SetupFacts setup,
    String device,
    Long freeBytes,
    @JsonProperty("memory_budget_bytes") Long budgetBytes,
    String memoryBudget,
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

  /** The engine as loaded, or why it did not load ({@code error} set, the rest null). */
  @JsonPropertyOrder({"name", "version", "loaded", "error"})
  record EngineFacts(String name, String version, String error) {
    /** Whether the engine loaded. */
    @JsonProperty("loaded")
    boolean loaded() {
      return error == null;
    }
  }

  /**
   * The libtorch DJL loaded: its version (the engine's), flavour and folder, and where the folder
   * came from; version and flavour are null and cuda false when the engine did not load.
   */
  record LibtorchFacts(String version, String flavor, boolean cuda, Path path, String source) {}

  /**
   * One GPU as CUDA reports it; its memory is null, and {@code error} says why, when it could not
   * be read.
   */
  @JsonPropertyOrder({"device", "computeCapability", "totalBytes", "freeBytes", "error"})
  record Gpu(
      @JsonIgnore int id,
      String computeCapability,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long totalBytes,
      @JsonInclude(JsonInclude.Include.NON_NULL) Long freeBytes,
      @JsonInclude(JsonInclude.Include.NON_NULL) String error) {
    /** {@code gpuN}, as typed on the command line. */
    @JsonProperty("device")
    String device() {
      return "gpu" + id;
    }
  }

  /**
   * The CUDA runtime found ({@link CudaRuntime}): where and by which rule, its version and the
   * driver's, or why none (problem) and what to do (fix, null when one was found).
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
  @JsonPropertyOrder({"nvidiaOverride", "cublasOverride", "possible", "fp32OnGpu", "reason"})
  record Tf32Facts(
      @JsonProperty(Tf32Override.NVIDIA) String nvidiaOverride,
      @JsonProperty(Tf32Override.CUBLAS) String cublasOverride,
      String reason) {

    /** The facts of a process started with {@code env}. */
    static Tf32Facts of(Map<String, String> env) {
      return new Tf32Facts(
          env.get(Tf32Override.NVIDIA),
          env.get(Tf32Override.CUBLAS),
          Tf32Override.reason(env).orElse(null));
    }

    /** Whether TF32 could be on, so that fp32 is refused on GPUs. */
    @JsonProperty("possible")
    boolean possible() {
      return reason != null;
    }

    /** {@code allowed} or {@code refused}. */
    @JsonProperty("fp32_on_gpu")
    String fp32OnGpu() {
      return possible() ? "refused" : "allowed";
    }
  }

  /** GPUs seen by the engine (0 without a CUDA libtorch) and by the CUDA runtime itself. */
  record GpuFacts(int engineCount, int cudaCount, String cudaVersion, List<Gpu> devices) {}

  /**
   * The GPU set-up the node is in ({@link NativeSetup}): its description, why a run would be
   * refused (or null), the JNI and the libtorch folder it found (absent from the JSON when none).
   */
  record SetupFacts(
      String description,
      String refusal,
      String jni,
      @JsonInclude(JsonInclude.Include.NON_NULL) SetupLibtorch libtorch) {

    /** The facts of {@code setup}. */
    static SetupFacts of(NativeSetup setup) {
      LibtorchFolder l = setup.libtorch();
      return new SetupFacts(
          setup.setup(),
          setup.refusal(),
          setup.jniPath(),
          l == null ? null : new SetupLibtorch(l.folder(), l.version(), l.cuda(), l.cudaVersion()));
    }
  }

  /** A libtorch folder of the set-up: where, its version, whether it has CUDA, which. */
  record SetupLibtorch(Path path, String version, boolean cuda, String cudaVersion) {}

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
    List<Path> jars = EngineLibraries.nativeJars(System.getProperty("java.class.path", ""));
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
    EngineLibraries.Loaded loaded = EngineLibraries.of(engine, error, environment, jars, notes);
    boolean cudaLibtorch = loaded.libtorch().cuda();

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
    if (runtime == null && (driver || cudaLibtorch)) {
      // Without the runtime the engine sees no GPU, whatever the libtorch: the fix is the runtime.
      notes.add(
          (cudaLibtorch ? "the loaded libtorch has CUDA" : "an NVIDIA driver is loaded")
              + " but "
              + detection.message());
    } else if (runtime != null && cudaGpus == 0 && (driver || cudaLibtorch)) {
      notes.add("the CUDA runtime " + runtime + " sees no GPU: " + countProblem);
    }
    CudaFacts cudaFacts =
        new CudaFacts(
            string(detection.library()),
            detection.source(),
            cudaVersion,
            driverVersion,
            runtime == null ? detection.problem() : countProblem,
            detection.library() == null ? detection.fix() : null,
            detection.searched());
    if (engine != null && cudaGpus > engineGpus) {
      notes.add(
          "CUDA sees "
              + cudaGpus
              + " GPU(s) but the loaded libtorch has no CUDA: point PYTORCH_LIBRARY_PATH at a"
              + " CUDA libtorch (2.7.1+cu128 as is, any other after scripts/build-jni)"
              + (jars.stream().anyMatch(EngineLibraries::isCpuJar)
                  ? " and move the CPU native jar out of stiffness-cli/target/lib"
                  : "")
              + "; see docs/engine.md, Running on a GPU");
    }
    Tf32Facts tf32 = Tf32Facts.of(System.getenv());
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
        loaded.engine(),
        loaded.libtorch(),
        loaded.jni(),
        jars.stream().filter(EngineLibraries::isCpuJar).findFirst().orElse(null),
        jars,
        environment,
        Utils.getCacheDir(),
        Utils.getEngineCacheDir("pytorch"),
        new GpuFacts(engineGpus, cudaGpus, cudaVersion, gpus),
        cudaFacts,
        tf32,
        SetupFacts.of(setup),
        DeviceCheck.label(device),
        free,
        budget,
        budget == null ? null : MemoryBudget.format(budget),
        ConvolutionKernel.reason(device),
        notes);
  }

  private static Gpu gpu(CudaRuntime runtime, int id) {
    String capability = null;
    try {
      capability = runtime.computeCapability(id);
      CudaRuntime.Memory memory = runtime.memory(id);
      return new Gpu(id, capability, memory.totalBytes(), memory.freeBytes(), null);
    } catch (RuntimeException e) {
      return new Gpu(id, capability, null, null, innermost(e));
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

  /** The one-screen text report. */
  String text() {
    return DoctorText.of(this);
  }

  /** The report as one JSON object on one line (paths as strings, unknowns as null). */
  String json() {
    return ReportJson.oneLine(this);
  }

  private static String string(Path p) {
    return p == null ? null : p.toString();
  }
}
