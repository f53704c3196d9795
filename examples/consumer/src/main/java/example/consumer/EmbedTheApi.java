package example.consumer;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.stiffness.io.NpyArray;
import org.stiffness.io.NpyReader;

/**
 * Runs the README's "Embed the API" program ({@link FirstStiffness}, the README's word for word, as
 * ReadmeExampleTest checks) built against the installed stiffness-core, and checks what it wrote:
 * a wrong result exits 1, so that CI fails on a broken engine and not only on a broken build.
 */
public final class EmbedTheApi {
  private static final int N = 256;
  // Cosines come from float32 Gram entries: a diagonal of 1 +- 1e-5, as ReadmeExampleTest asks.
  private static final double TOLERANCE = 1e-5;

  private EmbedTheApi() {}

  public static void main(String[] args) throws IOException {
    Path out = Files.createTempDirectory("stiffness").resolve("cosine.npy");
    FirstStiffness.measure(Device.cpu(), out);
    NpyArray written = NpyReader.read(out);
    Files.delete(out);
    Files.delete(out.getParent());
    List<String> problems = problems(written);
    if (!problems.isEmpty()) {
      problems.forEach(p -> System.err.println("consumer check failed: " + p));
      System.exit(1);
    }
    System.out.println(
        "consumer check passed: " + N + " x " + N + " cosines, ones on the diagonal, symmetric");
  }

  /** What is wrong with the cosine matrix of N examples; empty when nothing is. */
  private static List<String> problems(NpyArray written) {
    List<String> problems = new ArrayList<>();
    if (!Arrays.equals(written.shape(), new long[] {N, N})) {
      problems.add("shape " + Arrays.toString(written.shape()) + ", not [" + N + ", " + N + "]");
      return problems;
    }
    float[] cos = written.floats();
    boolean allParallel = true;
    for (int i = 0; i < N; i++) {
      // cos(g_i, g_i) = 1 whatever the gradients: the cheapest check that K and its norms agree.
      // Each test is written as !(within bounds) so that a NaN fails it too.
      if (!(Math.abs(cos[i * N + i] - 1.0) <= TOLERANCE)) {
        problems.add("cos of example " + i + " with itself is " + cos[i * N + i]);
      }
      for (int j = 0; j < N; j++) {
        float c = cos[i * N + j];
        if (!(Math.abs(c) <= 1 + TOLERANCE) || !(Math.abs(c - cos[j * N + i]) <= TOLERANCE)) {
          problems.add(
              String.format("cos(%d, %d) = %s, cos(%d, %d) = %s", i, j, c, j, i, cos[j * N + i]));
        }
        // A random net's examples do not all share one gradient direction; if they seem to, the
        // engine handed every example the same gradient.
        allParallel &= i == j || c > 1 - 1e-3;
      }
    }
    if (allParallel) {
      problems.add("every pair has cosine 1: the examples got one and the same gradient");
    }
    return problems.size() > 10 ? problems.subList(0, 10) : problems;
  }
}
