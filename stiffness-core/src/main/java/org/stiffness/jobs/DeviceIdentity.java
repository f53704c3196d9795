package org.stiffness.jobs;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.util.Map;
import java.util.Objects;
import org.stiffness.device.CudaRuntime;

/**
 * What a tile's bits depend on besides the configuration: the kind of device, the engine's native
 * library and, on a GPU, the card's compute capability and the CUDA runtime. Shards whose
 * identities differ would compute other bits for the same tiles (other kernels, other algorithms),
 * so the configuration hash names it, and a shard on an A100 is refused by a measurement begun on
 * an H100 when it starts, not at the merge.
 *
 * <p>On a GPU the libtorch flavour ({@code PYTORCH_FLAVOR}, e.g. {@code cu128}) is named besides
 * the runtime's version when it is set. On a CPU the identity is the libtorch version, the oneDNN
 * instruction-set cap ({@code ONEDNN_MAX_CPU_ISA}, which picks oneDNN's convolution kernels; {@code
 * unset} lets it pick the largest the CPU has) and libtorch's thread count, which sets how its
 * kernels split their sums (1 thread instead of 2 moved squared norms by about 1e-6 relative,
 * docs/scale-out.md). The CPU's model is left out: shards spread over a cluster's mixed nodes are
 * what CPU sharding is for, and where two models do round differently the merge's bitwise norm
 * check ({@code ExampleNorms}) still refuses their tiles. Directories written before the identity
 * was hashed have another format and are refused by {@code merge} with the advice to measure again.
 */
public final class DeviceIdentity {
  private DeviceIdentity() {}

  /** The facts an identity is made of (the system's, or fakes in tests). */
  public interface Facts {
    /** The engine and its native library's version, e.g. {@code PyTorch 2.7.1}. */
    String engine();

    /** The CUDA runtime's version, e.g. {@code 12.8}. */
    String cudaVersion();

    /** The compute capability of GPU {@code id}, e.g. {@code 9.0}. */
    String computeCapability(int id);

    /** The process's environment (for the oneDNN cap and libtorch's flavour). */
    Map<String, String> environment();

    /** The threads libtorch's CPU kernels use. */
    int cpuThreads();
  }

  /** This process's identity of {@code device}. */
  public static String of(Device device) {
    return of(device, system());
  }

  /**
   * The identity of {@code device} from {@code facts}: {@code cpu; PyTorch 2.7.1; oneDNN ISA AVX}
   * or {@code gpu; PyTorch 2.7.1 (cu128); CUDA 12.8; compute capability 9.0}.
   *
   * @throws IllegalStateException when a GPU's facts cannot be read, naming what is missing
   */
  public static String of(Device device, Facts facts) {
    Objects.requireNonNull(device, "device");
    if (!device.isGpu()) {
      String isa = facts.environment().get("ONEDNN_MAX_CPU_ISA");
      return "cpu; "
          + facts.engine()
          + "; oneDNN ISA "
          + (isa == null ? "unset" : isa)
          + "; "
          + facts.cpuThreads()
          + " threads";
    }
    try {
      String flavor = facts.environment().get("PYTORCH_FLAVOR");
      return "gpu; "
          + facts.engine()
          + (flavor == null ? "" : " (" + flavor + ")")
          + "; CUDA "
          + facts.cudaVersion()
          + "; compute capability "
          + facts.computeCapability(device.getDeviceId());
    } catch (RuntimeException | LinkageError e) {
      throw new IllegalStateException(
          "the CUDA version and the compute capability of "
              + device
              + " could not be read ("
              + e.getMessage()
              + "); a GPU measurement's configuration names them: run `stiffness doctor` to see"
              + " which CUDA runtime this process finds",
          e);
    }
  }

  /** The system's facts: DJL's engine, and the CUDA runtime that {@link CudaRuntime} finds. */
  public static Facts system() {
    return new Facts() {
      @Override
      public String engine() {
        Engine engine = Engine.getInstance();
        return engine.getEngineName() + " " + engine.getVersion();
      }

      @Override
      public String cudaVersion() {
        // The runtime found where the installation has it (pip's nvidia/*/lib, CUDA_HOME...),
        // not DJL's CudaUtils, which looks only for libcudart by its bare name.
        return CudaRuntime.require().version();
      }

      @Override
      public String computeCapability(int id) {
        return CudaRuntime.require().computeCapability(id);
      }

      @Override
      public Map<String, String> environment() {
        return System.getenv();
      }

      @Override
      public int cpuThreads() {
        // libtorch's OpenMP default: OMP_NUM_THREADS, else one per CPU this process may use.
        String omp = System.getenv("OMP_NUM_THREADS");
        try {
          if (omp != null && Integer.parseInt(omp.trim()) > 0) {
            return Integer.parseInt(omp.trim());
          }
        } catch (NumberFormatException e) {
          // libtorch ignores a malformed value too
        }
        return Runtime.getRuntime().availableProcessors();
      }
    };
  }
}
