package org.stiffness.cli;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a libtorch folder (the one {@code PYTORCH_LIBRARY_PATH} names) says about itself, read from
 * the files each kind of installation has: pip's {@code torch/version.py} one level up, a libtorch
 * zip's {@code build-version}, or its {@code torch/version.h}.
 *
 * @param version {@code x.y.z}, or null when no file says
 * @param cuda whether it is a CUDA build ({@code libtorch_cuda.so} beside {@code libtorch.so})
 * @param cudaVersion {@code 12.8}, or null (CPU build, or not said)
 */
record LibtorchFolder(Path folder, String version, boolean cuda, String cudaVersion) {
  private static final Pattern PIP_VERSION =
      Pattern.compile("(?m)^__version__\\s*=\\s*'([0-9]+\\.[0-9]+\\.[0-9]+)[^']*'");
  private static final Pattern PIP_CUDA =
      Pattern.compile("(?m)^cuda(?::[^=]*)?\\s*=\\s*'([0-9]+\\.[0-9]+)'");
  private static final Pattern PLUS_CUDA = Pattern.compile("\\+cu([0-9]+)([0-9])\\b");
  private static final Pattern X_Y_Z = Pattern.compile("([0-9]+\\.[0-9]+\\.[0-9]+)");

  /** Reads the folder; unknowns stay null. */
  static LibtorchFolder of(Path folder) {
    boolean cuda = Files.exists(folder.resolve("libtorch_cuda.so"));
    Path up = folder.toAbsolutePath().normalize().getParent();
    String version = null;
    String cudaVersion = null;
    Optional<String> pip = read(up == null ? null : up.resolve("version.py"));
    if (pip.isPresent()) {
      version = group(PIP_VERSION, pip.get());
      cudaVersion = group(PIP_CUDA, pip.get());
    } else {
      Optional<String> build = read(up == null ? null : up.resolve("build-version"));
      Optional<String> header =
          read(up == null ? null : up.resolve("include/torch/csrc/api/include/torch/version.h"));
      String text = build.or(() -> header).orElse("");
      version = group(X_Y_Z, text);
      Matcher m = PLUS_CUDA.matcher(text);
      if (m.find()) {
        cudaVersion = m.group(1) + "." + m.group(2);
      }
    }
    return new LibtorchFolder(folder, version, cuda, cuda ? cudaVersion : null);
  }

  /** DJL's flavour for it: {@code cpu}, {@code cuXYZ}, or null for CUDA of an unknown version. */
  String flavor() {
    if (!cuda) {
      return "cpu";
    }
    return cudaVersion == null ? null : "cu" + cudaVersion.replace(".", "");
  }

  private static Optional<String> read(Path file) {
    try {
      return file != null && Files.isRegularFile(file)
          ? Optional.of(Files.readString(file))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static String group(Pattern p, String text) {
    Matcher m = p.matcher(text);
    return m.find() ? m.group(1) : null;
  }

  /** The first entry of a PYTORCH_LIBRARY_PATH value that holds libtorch.so, as DJL takes it. */
  static Optional<LibtorchFolder> fromVariable(String value) {
    if (value == null) {
      return Optional.empty();
    }
    for (String entry : value.split(File.pathSeparator)) {
      if (entry.isBlank()) {
        continue;
      }
      Path p = Path.of(entry);
      if (Files.isRegularFile(p) && p.getFileName().toString().equals("libtorch.so")) {
        return Optional.of(of(p.getParent()));
      }
      if (Files.isRegularFile(p.resolve("libtorch.so"))) {
        return Optional.of(of(p));
      }
    }
    return Optional.empty();
  }
}
