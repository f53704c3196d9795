package example.consumer;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.stiffness.StiffnessEngine;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.GramMatrix;
import org.stiffness.gram.GramOptions;
import org.stiffness.io.NpyArray;
import org.stiffness.io.NpyReader;
import org.stiffness.io.NpyWriter;
import org.stiffness.stats.ClassStiffness;
import org.stiffness.stats.PairStiffness;
import org.stiffness.stats.StiffnessMeasure;

/**
 * The README's "Embed the API" example as a program of its own, built against the installed
 * stiffness-core. The code between the README markers is the README's word for word
 * (ReadmeExampleTest checks it); the checks after it make a wrong result exit 1, so that CI fails
 * on a broken engine and not only on a broken build.
 */
public final class EmbedTheApi {
  private static final int N = 256;
  // Cosines come from float32 Gram entries: a diagonal of 1 +- 1e-5, as ReadmeExampleTest asks.
  private static final double TOLERANCE = 1e-5;

  private EmbedTheApi() {}

  public static void main(String[] args) throws IOException {
    Path out;
    // README-BEGIN
    try (NDManager manager = NDManager.newBaseManager()) {
      // Any initialised DJL Block; here the paper's fully connected 784-500-300-100-10 net.
      SequentialBlock model =
          new SequentialBlock()
              .add(Linear.builder().setUnits(500).build())
              .add(Activation::relu)
              .add(Linear.builder().setUnits(300).build())
              .add(Activation::relu)
              .add(Linear.builder().setUnits(100).build())
              .add(Activation::relu)
              .add(Linear.builder().setUnits(10).build());
      model.initialize(manager, DataType.FLOAT32, new Shape(1, 784));

      // Inputs exactly as fed to the model (N, 784) and labels (N).
      NDArray inputs = manager.randomNormal(new Shape(256, 784));
      NDArray labels = manager.randomInteger(0, 10, new Shape(256), DataType.INT32);
      Examples train = Examples.of(inputs, labels);

      try (StiffnessEngine engine =
          StiffnessEngine.builder(model)
              .device(Device.cpu()) // or Device.gpu(0) with the CUDA natives
              .options(GramOptions.defaults().withMemoryBudget(2L << 30)) // 2 GiB
              .build()) {
        GramMatrix k = engine.gram(train); // K = G G^T and its examples; G is never formed
        PairStiffness pairs = PairStiffness.of(k); // sign and cosine of every pair
        ClassStiffness c = ClassStiffness.of(pairs, 10); // C(a, b), self-pairs left out
        System.out.printf(
            "sign stiffness: within %.3f, between %.3f%n",
            c.withinClassStiffness(StiffnessMeasure.SIGN),
            c.betweenClassStiffness(StiffnessMeasure.SIGN));
        out = Files.createTempDirectory("stiffness").resolve("cosine.npy");
        NpyWriter.write(out, pairs.cosineValues(), k.rows(), k.cols()); // numpy.load reads it
      }
    }
    // README-END
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
