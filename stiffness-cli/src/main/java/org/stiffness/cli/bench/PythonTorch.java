package org.stiffness.cli.bench;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Python interpreter that imports torch, found by asking each candidate to import it.
 *
 * @param python the interpreter as it was named (a command on the PATH or a path)
 * @param torchVersion {@code torch.__version__} as that interpreter reports it
 */
public record PythonTorch(String python, String torchVersion) {
  /** Debian's own interpreter, where {@code apt-get install python3-torch} puts torch. */
  public static final String SYSTEM_PYTHON = "/usr/bin/python3";

  /** The interpreter the {@code --python} option names unless told otherwise. */
  public static final String DEFAULT_PYTHON = "python3";

  /** How to get torch, for the line that says it is missing. */
  public static final String INSTALL_HINT =
      "install it with `apt-get install python3-torch python3-numpy libopenblas0-pthread` (Debian;"
          + " without libopenblas0-pthread torch's matrix products are 10-20x slower) or `pip"
          + " install torch`, or name a Python that has it with --python";

  // Importing torch takes 1-3 s; a minute means the interpreter hangs.
  private static final long IMPORT_TIMEOUT_SECONDS = 60;

  /**
   * The outcome of a search.
   *
   * @param found the first candidate that imports torch, or null
   * @param tried one "python: why not" entry per candidate that did not, in order
   */
  public record Search(PythonTorch found, List<String> tried) {
    /** One line saying which interpreters lack torch and how to install it. */
    public String absentLine() {
      return "no Python with torch (" + String.join("; ", tried) + "): " + INSTALL_HINT;
    }
  }

  /**
   * The interpreters to try for {@code --python}: the one named, and Debian's own after the default
   * {@code python3} (a pyenv or venv python3 that comes first on the PATH often lacks the system's
   * torch). A Python named explicitly is the only one tried: silently running another would compare
   * against a torch the user did not choose.
   */
  public static List<String> candidates(String named) {
    LinkedHashSet<String> all = new LinkedHashSet<>();
    all.add(named);
    if (DEFAULT_PYTHON.equals(named)) {
      all.add(SYSTEM_PYTHON);
    }
    return List.copyOf(all);
  }

  /** Asks each candidate in turn to import torch; the first that can is found. */
  public static Search find(List<String> candidates) {
    List<String> tried = new ArrayList<>();
    for (String python : candidates) {
      ProcessBuilder builder =
          new ProcessBuilder(python, "-c", "import torch; print(torch.__version__)");
      try {
        Process p = builder.start();
        p.getOutputStream().close();
        // Both streams are read after exit: the output is one short line either way.
        if (!p.waitFor(IMPORT_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          tried.add(python + ": `import torch` did not finish in " + IMPORT_TIMEOUT_SECONDS + " s");
          continue;
        }
        String out = read(p.getInputStream());
        String err = read(p.getErrorStream());
        if (p.exitValue() == 0 && !out.isBlank()) {
          return new Search(new PythonTorch(python, lastLine(out)), List.copyOf(tried));
        }
        tried.add(python + ": " + (err.isBlank() ? "exit " + p.exitValue() : lastLine(err)));
      } catch (IOException e) {
        tried.add(python + ": not found");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        tried.add(python + ": interrupted");
        break;
      }
    }
    return new Search(null, List.copyOf(tried));
  }

  static String read(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }

  /** The last non-blank line, stripped ("" when there is none). */
  static String lastLine(String text) {
    List<String> lines = text.strip().lines().filter(l -> !l.isBlank()).toList();
    return lines.isEmpty() ? "" : lines.get(lines.size() - 1).strip();
  }
}
