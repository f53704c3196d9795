package org.stiffness.device;

import com.sun.jna.Native;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The CUDA runtime library of this process, found by {@link CudaRuntimeSearch} and loaded by its
 * path: GPU count, free and total memory, compute capability and versions.
 *
 * <p>Why find the runtime rather than ask the engine (one tiny tensor on {@code cuda:N}): a tensor
 * answers only "this device works", while a device check needs the count (to name the GPUs there
 * are), the memory budget needs the free memory, and doctor the versions; only the runtime tells
 * those. A failed tensor is a native error with no fix to tell, where a search can list the folders
 * it looked in. And the first place searched is the runtime libtorch itself mapped into the
 * process, so wherever a CUDA libtorch works this finds the very library it uses. DJL's {@code
 * CudaUtils} is not used: it loads {@code libcudart} by its bare name, which misses pip's {@code
 * nvidia/cuda_runtime/lib/libcudart.so.12} and libtorch's bundled {@code libcudart-<hash>.so.12},
 * and then reports 0 GPUs on a node where libtorch runs on them.
 */
public final class CudaRuntime {
  private static volatile CudaRuntime loaded;

  private final Path library;
  private final String source;
  private final CudartLibrary lib;

  private CudaRuntime(Path library, String source, CudartLibrary lib) {
    this.library = library;
    this.source = source;
    this.lib = lib;
  }

  /**
   * What the search found and whether it loaded: {@code runtime} set, or {@code problem} (one
   * clause) and {@code fix} (what to do) set.
   *
   * @param library the library found, or null
   * @param source which rule found it ({@link CudaRuntimeSearch.Found#source()}), or null
   * @param searched the folders looked in when none was mapped
   */
  public record Detection(
      CudaRuntime runtime,
      Path library,
      String source,
      List<Path> searched,
      String problem,
      String fix) {
    /** {@code problem: fix}, for messages; null when the runtime loaded. */
    public String message() {
      return runtime == null ? problem + ": " + fix : null;
    }
  }

  /**
   * This process's runtime: the first that loaded is kept; a failure is searched again on the next
   * call (libtorch may have mapped its runtime since).
   */
  public static Detection detect() {
    CudaRuntime r = loaded;
    if (r != null) {
      return new Detection(r, r.library, r.source, List.of(), null, null);
    }
    Detection d =
        detect(System.getenv(), MappedLibraries.files(), CudaRuntimeSearch.systemFolders());
    if (d.runtime() != null) {
      loaded = d.runtime();
    }
    return d;
  }

  /**
   * This process's runtime, or an {@link IllegalStateException} whose one line says why none was
   * found or loaded and what to do.
   */
  public static CudaRuntime require() {
    Detection d = detect();
    if (d.runtime() == null) {
      throw new IllegalStateException(d.message());
    }
    return d.runtime();
  }

  /**
   * Searches an installation and loads what it finds (tests give fake layouts).
   *
   * @param environment PYTORCH_LIBRARY_PATH, CUDA_HOME, CUDA_PATH and LD_LIBRARY_PATH are read
   * @param mapped the files mapped into the process
   * @param systemFolders the system's library folders
   */
  public static Detection detect(
      Map<String, String> environment, List<Path> mapped, List<Path> systemFolders) {
    CudaRuntimeSearch.Result result = CudaRuntimeSearch.search(environment, mapped, systemFolders);
    if (result.found().isEmpty()) {
      return new Detection(
          null,
          null,
          null,
          result.searched(),
          "no CUDA runtime (libcudart.so*) in " + result.searched(),
          fixFor(environment));
    }
    CudaRuntimeSearch.Found found = result.found().get();
    try {
      CudartLibrary lib = Native.load(found.library().toString(), CudartLibrary.class);
      return new Detection(
          new CudaRuntime(found.library(), found.source(), lib),
          found.library(),
          found.source(),
          result.searched(),
          null,
          null);
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      return new Detection(
          null,
          found.library(),
          found.source(),
          result.searched(),
          "the CUDA runtime "
              + found.library()
              + " ("
              + found.source()
              + ") does not load: "
              + String.valueOf(e.getMessage()).strip().replaceAll("\\s*\\R\\s*", "; "),
          "point CUDA_HOME at a CUDA toolkit whose lib64 holds a working libcudart.so.N");
    }
  }

  private static String fixFor(Map<String, String> environment) {
    String libtorch = environment.get("PYTORCH_LIBRARY_PATH");
    if (libtorch != null && !libtorch.isBlank()) {
      return "a pip torch needs its CUDA runtime wheel beside it (pip install"
          + " nvidia-cuda-runtime-cu12, which fills site-packages/nvidia/cuda_runtime/lib), or"
          + " set CUDA_HOME to the CUDA toolkit whose lib64 holds libcudart.so.N";
    }
    return "set CUDA_HOME to the CUDA toolkit whose lib64 holds libcudart.so.N (e.g. module load"
        + " cuda), or PYTORCH_LIBRARY_PATH to a CUDA libtorch with its runtime beside it";
  }

  /** The library loaded. */
  public Path library() {
    return library;
  }

  /** Which rule of {@link CudaRuntimeSearch} found it. */
  public String source() {
    return source;
  }

  /**
   * GPUs the runtime sees; 0 with no GPU, and also when the driver refuses (too old for this
   * runtime, no permission): {@link #deviceCountProblem()} says which.
   */
  public int deviceCount() {
    int[] count = new int[1];
    return lib.cudaGetDeviceCount(count) == 0 ? count[0] : 0;
  }

  /**
   * Why {@link #deviceCount()} is 0 (the runtime's error text and code), or null when it is not.
   */
  public String deviceCountProblem() {
    int[] count = new int[1];
    int error = lib.cudaGetDeviceCount(count);
    if (error == 0) {
      return count[0] == 0 ? "no CUDA device" : null;
    }
    return errorText(error);
  }

  /** The runtime's version as {@code major.minor} (e.g. {@code 12.8}). */
  public String version() {
    int[] v = new int[1];
    check(lib.cudaRuntimeGetVersion(v), "cudaRuntimeGetVersion");
    return versionText(v[0]);
  }

  /** The newest CUDA version the driver supports, as {@code major.minor}; 0.0 without a driver. */
  public String driverVersion() {
    int[] v = new int[1];
    check(lib.cudaDriverGetVersion(v), "cudaDriverGetVersion");
    return versionText(v[0]);
  }

  /** Free and total bytes of one GPU, now. */
  public record Memory(long freeBytes, long totalBytes) {}

  /**
   * Free and total memory of GPU {@code device} (the caller thread's current device is restored).
   *
   * @throws IllegalStateException naming the device and the runtime's error
   */
  public Memory memory(int device) {
    int[] current = new int[1];
    check(lib.cudaGetDevice(current), "cudaGetDevice");
    check(lib.cudaSetDevice(device), "cudaSetDevice(" + device + ")");
    try {
      long[] free = new long[1];
      long[] total = new long[1];
      check(lib.cudaMemGetInfo(free, total), "cudaMemGetInfo on gpu" + device);
      return new Memory(free[0], total[0]);
    } finally {
      lib.cudaSetDevice(current[0]);
    }
  }

  /** Compute capability of GPU {@code device}, e.g. {@code 9.0} for an H100. */
  public String computeCapability(int device) {
    int[] major = new int[1];
    int[] minor = new int[1];
    check(
        lib.cudaDeviceGetAttribute(major, CudartLibrary.ATTRIBUTE_CAPABILITY_MAJOR, device),
        "compute capability of gpu" + device);
    check(
        lib.cudaDeviceGetAttribute(minor, CudartLibrary.ATTRIBUTE_CAPABILITY_MINOR, device),
        "compute capability of gpu" + device);
    return major[0] + "." + minor[0];
  }

  /** 12080 to {@code 12.8}, as CUDA encodes versions (1000 major + 10 minor). */
  static String versionText(int encoded) {
    return (encoded / 1000) + "." + (encoded % 1000) / 10;
  }

  private String errorText(int error) {
    String text;
    try {
      text = lib.cudaGetErrorString(error);
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      text = null;
    }
    return (text == null ? "CUDA error" : text) + " (" + error + ")";
  }

  private void check(int error, String call) {
    if (error != 0) {
      throw new IllegalStateException(call + " failed in " + library + ": " + errorText(error));
    }
  }

  @Override
  public String toString() {
    return library + " (" + source + ")";
  }
}
