package org.stiffness.cli;

import ai.djl.engine.Engine;
import com.sun.jna.NativeLibrary;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Applies {@code TORCH_CPP_LOG_LEVEL} (default ERROR) to the libtorch that DJL loaded.
 *
 * <p>Why: libtorch 2.7.1 logs "Could not initialize NNPACK! Reason: Unsupported hardware." at
 * WARNING level on every CPU convolution on machines without NNPACK support (this project's AMD
 * EPYC nodes), hundreds of lines per batch, which buries the command's own messages. Python's torch
 * applies {@code TORCH_CPP_LOG_LEVEL} at import; a JNI host such as DJL never does, so this sets
 * c10's {@code FLAGS_caffe2_log_level} (0 INFO, 1 WARNING, 2 ERROR, 3 FATAL) itself. Best effort:
 * when the engine is not PyTorch or the symbol is missing, nothing changes.
 */
final class TorchLogging {
  private static final String LEVEL_ENV = "TORCH_CPP_LOG_LEVEL";

  private TorchLogging() {}

  /** Loads the default engine and applies the log level; returns the engine. */
  static Engine engine() {
    Engine engine = Engine.getInstance();
    if ("PyTorch".equals(engine.getEngineName())) {
      apply(level(System.getenv(LEVEL_ENV)));
    }
    return engine;
  }

  /** c10's numeric level for a TORCH_CPP_LOG_LEVEL value; ERROR when unset or unknown. */
  static int level(String text) {
    if (text == null) {
      return 2;
    }
    switch (text.trim().toUpperCase(Locale.ROOT)) {
      case "0":
      case "INFO":
        return 0;
      case "1":
      case "WARNING":
        return 1;
      case "3":
      case "FATAL":
        return 3;
      default:
        return 2;
    }
  }

  private static void apply(int level) {
    try {
      Optional<Path> c10 = LoadedLibraries.find(LoadedLibraries.C10);
      if (c10.isPresent()) {
        NativeLibrary.getInstance(c10.get().toString())
            .getGlobalVariableAddress("FLAGS_caffe2_log_level")
            .setInt(0, level);
      }
    } catch (RuntimeException | LinkageError e) {
      // Not fatal: the warnings stay.
    }
  }
}
