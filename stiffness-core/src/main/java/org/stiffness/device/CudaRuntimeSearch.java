package org.stiffness.device;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Where the CUDA runtime library ({@code libcudart}) of a user's installation lies, searched in
 * this order (the first folder that holds one wins):
 *
 * <ol>
 *   <li>a copy already mapped into the process: the one libtorch's CUDA build loaded, so it exists
 *       exactly where libtorch works (or the one DJL's {@code CudaUtils} found by its bare name);
 *   <li>each entry of {@code PYTORCH_LIBRARY_PATH}: libtorch zips bundle {@code
 *       libcudart-<hash>.so.N} in their {@code lib};
 *   <li>next to it, pip's layout: {@code site-packages/torch/lib} has its runtime in {@code
 *       site-packages/nvidia/<package>/lib} ({@code cuda_runtime} for CUDA 12, {@code cu13} for
 *       13);
 *   <li>{@code CUDA_HOME} and {@code CUDA_PATH}: {@code lib64}, {@code lib}, {@code
 *       targets/x86_64-linux/lib};
 *   <li>{@code LD_LIBRARY_PATH};
 *   <li>the system folders ({@link #SYSTEM_FOLDERS}).
 * </ol>
 *
 * <p>Within a folder the highest version wins ({@code libcudart.so.12.8.90} over {@code
 * libcudart.so.12} over {@code libcudart.so}). Nothing is loaded here: {@link CudaRuntime} does.
 */
public final class CudaRuntimeSearch {
  /** Where CUDA installs itself on Linux when nobody says otherwise. */
  public static final List<Path> SYSTEM_FOLDERS =
      List.of(
          Path.of("/usr/local/cuda/lib64"),
          Path.of("/usr/local/cuda/targets/x86_64-linux/lib"),
          Path.of("/usr/lib/x86_64-linux-gnu"),
          Path.of("/usr/lib64"),
          Path.of("/usr/lib"),
          Path.of("/lib/x86_64-linux-gnu"),
          Path.of("/lib64"));

  /**
   * {@code libcudart.so}, {@code libcudart.so.12.8.90}, libtorch's {@code
   * libcudart-a1b2c3d4.so.12}.
   */
  private static final Pattern RUNTIME =
      Pattern.compile("libcudart(?:-[0-9a-f]+)?\\.so((?:\\.[0-9]+)*)");

  private CudaRuntimeSearch() {}

  /**
   * The folders the dynamic linker is configured with ({@code /etc/ld.so.conf.d/*.conf}, where
   * CUDA's installer registers e.g. {@code /usr/local/cuda-13.0/lib}), then {@link
   * #SYSTEM_FOLDERS}.
   */
  public static List<Path> systemFolders() {
    List<Path> folders = new ArrayList<>();
    try (Stream<Path> confs = Files.list(Path.of("/etc/ld.so.conf.d"))) {
      for (Path conf : confs.filter(p -> p.toString().endsWith(".conf")).sorted().toList()) {
        for (String line : Files.readAllLines(conf)) {
          String entry = line.strip();
          if (entry.startsWith("/")) {
            folders.add(Path.of(entry));
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // no ld.so.conf.d: the fixed folders only
    }
    folders.addAll(SYSTEM_FOLDERS);
    return folders;
  }

  /** A runtime library found, and which rule found it (for doctor and error messages). */
  public record Found(Path library, String source) {}

  /**
   * What a search found: the library, or empty with the folders looked in.
   *
   * @param searched every folder looked in, in order (for the message when none held one)
   */
  public record Result(Optional<Found> found, List<Path> searched) {}

  /**
   * Searches a process's installation.
   *
   * @param environment the process environment (PYTORCH_LIBRARY_PATH, CUDA_HOME, CUDA_PATH,
   *     LD_LIBRARY_PATH are read)
   * @param mapped the files mapped into the process ({@link MappedLibraries#files()})
   * @param systemFolders the system's library folders, last resort ({@link #SYSTEM_FOLDERS})
   */
  public static Result search(
      Map<String, String> environment, List<Path> mapped, List<Path> systemFolders) {
    for (Path file : mapped) {
      if (isRuntime(file)) {
        return new Result(
            Optional.of(new Found(file, "already loaded in this process")), List.of());
      }
    }
    List<Path> searched = new ArrayList<>();
    Set<Path> seen = new LinkedHashSet<>();
    for (Path folder : libtorchFolders(environment.get("PYTORCH_LIBRARY_PATH"))) {
      Optional<Found> f = inFolder(folder, "in PYTORCH_LIBRARY_PATH", searched, seen);
      if (f.isPresent()) {
        return new Result(f, searched);
      }
      // site-packages/torch/lib -> site-packages/nvidia/*/lib
      Path sitePackages = folder.toAbsolutePath().normalize().getParent();
      sitePackages = sitePackages == null ? null : sitePackages.getParent();
      if (sitePackages != null) {
        for (Path lib : pipLibFolders(sitePackages.resolve("nvidia"))) {
          f =
              inFolder(
                  lib,
                  "next to PYTORCH_LIBRARY_PATH, pip's nvidia/"
                      + lib.getParent().getFileName()
                      + "/lib",
                  searched,
                  seen);
          if (f.isPresent()) {
            return new Result(f, searched);
          }
        }
      }
    }
    for (String variable : List.of("CUDA_HOME", "CUDA_PATH")) {
      String home = environment.get(variable);
      if (home == null || home.isBlank()) {
        continue;
      }
      for (String sub : List.of("lib64", "lib", "targets/x86_64-linux/lib")) {
        Optional<Found> f = inFolder(Path.of(home, sub), variable, searched, seen);
        if (f.isPresent()) {
          return new Result(f, searched);
        }
      }
    }
    for (Path folder : entries(environment.get("LD_LIBRARY_PATH"))) {
      Optional<Found> f = inFolder(folder, "LD_LIBRARY_PATH", searched, seen);
      if (f.isPresent()) {
        return new Result(f, searched);
      }
    }
    for (Path folder : systemFolders) {
      Optional<Found> f = inFolder(folder, "a system folder", searched, seen);
      if (f.isPresent()) {
        return new Result(f, searched);
      }
    }
    return new Result(Optional.empty(), List.copyOf(searched));
  }

  /** Whether a file's name is a CUDA runtime shared library's. */
  static boolean isRuntime(Path file) {
    return file.getFileName() != null && RUNTIME.matcher(file.getFileName().toString()).matches();
  }

  /** The folders of PYTORCH_LIBRARY_PATH's entries (an entry may name libtorch.so itself). */
  private static List<Path> libtorchFolders(String value) {
    List<Path> folders = new ArrayList<>();
    for (Path entry : entries(value)) {
      if (entry.getFileName() != null
          && entry.getFileName().toString().equals("libtorch.so")
          && entry.getParent() != null) {
        folders.add(entry.getParent());
      } else {
        folders.add(entry);
      }
    }
    return folders;
  }

  private static List<Path> entries(String value) {
    List<Path> entries = new ArrayList<>();
    if (value != null) {
      for (String entry : value.split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          entries.add(Path.of(entry));
        }
      }
    }
    return entries;
  }

  /** {@code nvidia/<package>/lib} folders of a pip installation, in name order. */
  private static List<Path> pipLibFolders(Path nvidia) {
    if (!Files.isDirectory(nvidia)) {
      return List.of();
    }
    try (Stream<Path> packages = Files.list(nvidia)) {
      return packages.map(p -> p.resolve("lib")).filter(Files::isDirectory).sorted().toList();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }

  private static Optional<Found> inFolder(
      Path folder, String source, List<Path> searched, Set<Path> seen) {
    if (!seen.add(folder.toAbsolutePath().normalize())) {
      return Optional.empty();
    }
    searched.add(folder);
    if (!Files.isDirectory(folder)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(folder)) {
      return files
          .filter(CudaRuntimeSearch::isRuntime)
          .filter(Files::isRegularFile) // follows links: a dangling one is no runtime
          .max(Comparator.comparing(CudaRuntimeSearch::version, CudaRuntimeSearch::compare))
          .map(f -> new Found(f, source));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  private static int[] version(Path file) {
    Matcher m = RUNTIME.matcher(file.getFileName().toString());
    if (!m.matches() || m.group(1).isEmpty()) {
      return new int[0];
    }
    String[] parts = m.group(1).substring(1).split("\\.");
    int[] v = new int[parts.length];
    for (int i = 0; i < parts.length; i++) {
      try {
        v[i] = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        v[i] = Integer.MAX_VALUE;
      }
    }
    return v;
  }

  private static int compare(int[] a, int[] b) {
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      if (a[i] != b[i]) {
        return Integer.compare(a[i], b[i]);
      }
    }
    return Integer.compare(a.length, b.length);
  }
}
