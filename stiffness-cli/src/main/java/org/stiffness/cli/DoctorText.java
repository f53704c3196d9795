package org.stiffness.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.stiffness.cli.DoctorReport.CudaFacts;
import org.stiffness.cli.DoctorReport.EngineFacts;
import org.stiffness.cli.DoctorReport.Gpu;
import org.stiffness.cli.DoctorReport.GpuFacts;
import org.stiffness.cli.DoctorReport.LibtorchFacts;
import org.stiffness.gram.MemoryBudget;

/** {@link DoctorReport} as one screen of text: a header line, one row per fact, then the notes. */
final class DoctorText {
  private DoctorText() {}

  /** The text report. */
  static String of(DoctorReport r) {
    StringBuilder s = new StringBuilder();
    s.append(
        String.format(
            Locale.ROOT,
            "stiffness %s, DJL %s (shipped with libtorch %s)%n",
            r.stiffnessVersion(),
            r.djlVersion(),
            r.builtForPytorch()));
    engine(s, r.engine(), r.libtorch(), r.jni());
    TextRows.row(
        s,
        "CPU native jar",
        r.cpuNativeJar() == null ? "none on the class path" : r.cpuNativeJar().toString());
    List<String> others =
        r.nativeJars().stream()
            .filter(p -> !EngineLibraries.isCpuJar(p))
            .map(Path::toString)
            .toList();
    if (!others.isEmpty()) {
      TextRows.row(s, "other natives", String.join(", ", others));
    }
    List<String> variables = new ArrayList<>();
    r.environment().forEach((k, v) -> variables.add(k + "=" + (v == null ? "(unset)" : v)));
    TextRows.row(s, "environment", String.join(" ", variables.subList(0, 3)));
    TextRows.row(s, "DJL cache", r.djlCacheDir() + " (pytorch: " + r.pytorchCacheDir() + ")");
    gpus(s, r.gpus());
    TextRows.row(s, "CUDA runtime", cudaRuntime(r.cudaRuntime()));
    TextRows.row(
        s,
        "TF32",
        r.tf32().possible()
            ? "could be on: " + r.tf32().reason() + "; fp32 refused on GPUs"
            : "off (NVIDIA_TF32_OVERRIDE=0): fp32 allowed on GPUs");
    TextRows.row(s, "set-up", r.setup().description());
    if (r.setup().refusal() != null) {
      TextRows.row(s, "refused", r.setup().refusal());
    }
    TextRows.row(s, "device", r.device());
    TextRows.row(
        s,
        "memory budget",
        r.budgetBytes() == null
            ? "-"
            : r.memoryBudget()
                + " (default: half of the "
                + MemoryBudget.format(r.freeBytes())
                + " free; --memory-budget overrides)");
    TextRows.row(s, "convolution", r.convolution());
    for (String note : r.notes()) {
      s.append("note: ").append(note).append(System.lineSeparator());
    }
    return s.toString();
  }

  private static void engine(StringBuilder s, EngineFacts engine, LibtorchFacts lib, Path jni) {
    if (engine.error() != null) {
      TextRows.row(s, "engine", "did not load: " + engine.error());
    } else {
      TextRows.row(s, "engine", engine.name() + " " + engine.version());
      TextRows.row(
          s,
          "libtorch",
          lib.version()
              + ", flavour "
              + lib.flavor()
              + ", "
              + (lib.cuda() ? "with CUDA" : "without CUDA"));
    }
    TextRows.row(
        s, "libtorch from", lib.path() == null ? "-" : lib.path() + " (" + lib.source() + ")");
    TextRows.row(s, "JNI", jni == null ? "not found among the loaded libraries" : jni.toString());
  }

  private static void gpus(StringBuilder s, GpuFacts gpus) {
    TextRows.row(
        s,
        "GPUs",
        String.format(
            Locale.ROOT,
            "%d seen by the engine, %d by CUDA%s",
            gpus.engineCount(),
            gpus.cudaCount(),
            gpus.cudaVersion() == null ? "" : " (CUDA runtime " + gpus.cudaVersion() + ")"));
    for (Gpu g : gpus.devices()) {
      TextRows.row(
          s,
          "  " + g.device(),
          g.error() != null
              ? "memory unknown: " + g.error()
              : String.format(
                  Locale.ROOT,
                  "%s total, %s free, compute capability %s",
                  MemoryBudget.format(g.totalBytes()),
                  MemoryBudget.format(g.freeBytes()),
                  g.computeCapability()));
    }
  }

  private static String cudaRuntime(CudaFacts c) {
    return c.path() == null
        ? "none: " + c.problem()
        : c.path()
            + " ("
            + c.source()
            + ")"
            + (c.version() == null ? "" : ", CUDA " + c.version() + ", driver " + c.driverVersion())
            + (c.problem() == null ? "" : ": " + c.problem());
  }
}
