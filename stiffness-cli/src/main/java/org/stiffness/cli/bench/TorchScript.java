package org.stiffness.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Our PyTorch script ({@code bench/torch_stiffness.py} in the repository, shipped inside this jar):
 * the same end-to-end work as {@code bench} with plain PyTorch. One run is one process: an untimed
 * warm-up, then one timed computation, reported as one JSON line on stdout.
 */
public final class TorchScript {
  /** Where the build puts the script among this module's resources. */
  static final String RESOURCE = "/org/stiffness/cli/bench/torch_stiffness.py";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final PythonTorch python;
  private final Path script;

  private TorchScript(PythonTorch python, Path script) {
    this.python = python;
    this.script = script;
  }

  /**
   * Copies the script out of the jar into {@code directory}, to be run by {@code python}.
   *
   * @throws IllegalStateException when this build does not hold the script
   */
  public static TorchScript extract(PythonTorch python, Path directory) throws IOException {
    Objects.requireNonNull(python, "python");
    Path target = directory.resolve("torch_stiffness.py");
    try (InputStream in = TorchScript.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "this build of stiffness lacks its PyTorch script " + RESOURCE + " (rebuild it)");
      }
      Files.copy(in, target);
    }
    return new TorchScript(python, target);
  }

  /** The interpreter that runs the script. */
  public PythonTorch python() {
    return python;
  }

  /**
   * Runs the script once on the inputs {@link TorchInputs} wrote.
   *
   * @param data the directory of the inputs
   * @param device torch's name of the device: {@code cpu} or {@code cuda:K}
   * @param threads torch's intra-op threads
   * @param statisticsOut where the script writes every sum as JSON, or null for nowhere
   * @throws IOException when the script cannot start, fails (its last line of stderr) or prints no
   *     JSON line
   */
  public TorchRun run(Path data, String device, int threads, Path statisticsOut)
      throws IOException {
    return run(data, device, threads, statisticsOut, 0);
  }

  /**
   * {@link #run(Path, String, int, Path)} with the statistics taken {@code chunk} rows at a time
   * (0: the script's default, about 2^20 pairs a chunk).
   */
  public TorchRun run(Path data, String device, int threads, Path statisticsOut, int chunk)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.addAll(
        List.of(
            python.python(),
            script.toString(),
            "--data",
            data.toString(),
            "--device",
            device,
            "--threads",
            Integer.toString(threads)));
    if (chunk > 0) {
      command.addAll(List.of("--chunk", Integer.toString(chunk)));
    }
    if (statisticsOut != null) {
      command.addAll(List.of("--statistics-out", statisticsOut.toString()));
    }
    Path err = Files.createTempFile(script.getParent(), "stderr", ".txt");
    Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
    p.getOutputStream().close();
    String out = PythonTorch.read(p.getInputStream());
    int code;
    try {
      code = p.waitFor();
    } catch (InterruptedException e) {
      p.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while the PyTorch script ran", e);
    }
    String stderr = Files.readString(err);
    if (code != 0) {
      throw new IOException(
          "the PyTorch script failed (exit "
              + code
              + ", "
              + python.python()
              + "): "
              + PythonTorch.lastLine(stderr));
    }
    return parse(PythonTorch.lastLine(out));
  }

  /**
   * The script's JSON line: its times and headline statistics.
   *
   * @throws IOException naming the field that is missing or not what was expected
   */
  public static TorchRun parse(String line) throws IOException {
    JsonNode root;
    try {
      root = JSON.readTree(line);
    } catch (IOException e) {
      throw new IOException("the PyTorch script printed no JSON line, but: " + line, e);
    }
    if (root == null || !root.isObject()) {
      throw new IOException("the PyTorch script printed no JSON object, but: " + line);
    }
    return new TorchRun(
        text(root, "torch"),
        text(root, "method"),
        text(root, "device"),
        (int) number(root, "threads"),
        first(root, "seconds"),
        first(root, "gradient_seconds"),
        first(root, "statistics_seconds"),
        first(root, "distance_seconds"),
        HeadlineStatistics.fromJson(field(root, "statistics")));
  }

  private static JsonNode field(JsonNode root, String name) throws IOException {
    JsonNode v = root.get(name);
    if (v == null || v.isNull()) {
      throw new IOException("the PyTorch script's JSON line lacks '" + name + "': " + root);
    }
    return v;
  }

  private static String text(JsonNode root, String name) throws IOException {
    return field(root, name).asText();
  }

  private static double number(JsonNode root, String name) throws IOException {
    JsonNode v = field(root, name);
    if (!v.isNumber()) {
      throw new IOException("the PyTorch script's '" + name + "' is not a number: " + v);
    }
    return v.asDouble();
  }

  /** The first timed run's figure of a list of them (the script times one run per process). */
  private static double first(JsonNode root, String name) throws IOException {
    JsonNode v = field(root, name);
    if (!v.isArray() || v.isEmpty() || !v.get(0).isNumber() || !(v.get(0).asDouble() >= 0)) {
      throw new IOException("the PyTorch script's '" + name + "' is not a list of seconds: " + v);
    }
    return v.get(0).asDouble();
  }

  /** Reads a whole file the script wrote with {@code --statistics-out}. */
  public static JsonNode readStatistics(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
