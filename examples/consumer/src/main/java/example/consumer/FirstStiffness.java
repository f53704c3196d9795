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
import org.stiffness.StiffnessEngine;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.GramMatrix;
import org.stiffness.gram.GramOptions;
import org.stiffness.io.NpyWriter;
import org.stiffness.stats.ClassStiffness;
import org.stiffness.stats.PairStiffness;
import org.stiffness.stats.StiffnessMeasure;

public final class FirstStiffness {
  public static void main(String[] args) throws IOException {
    Path out = Files.createTempDirectory("stiffness").resolve("cosine.npy");
    measure(Device.cpu(), out); // or Device.gpu(0) with the CUDA natives
    System.out.println("wrote " + out);
  }

  /** Stiffness of 256 random examples on a fresh fc net; every pair's cosine goes to out. */
  public static void measure(Device device, Path out) throws IOException {
    try (NDManager manager = NDManager.newBaseManager(device)) {
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

      // The loss is softmax cross-entropy on the logits unless .loss(...) names another.
      try (StiffnessEngine engine =
          StiffnessEngine.builder(model)
              .device(device)
              .options(GramOptions.defaults().withMemoryBudget(2L << 30)) // 2 GiB
              .build()) {
        GramMatrix k = engine.gram(train); // K = G G^T and its examples; G is never formed
        PairStiffness pairs = PairStiffness.of(k); // sign and cosine of every pair
        ClassStiffness c = ClassStiffness.of(pairs, 10); // C(a, b), self-pairs left out
        System.out.printf(
            "sign stiffness: within %.3f, between %.3f%n",
            c.withinClassStiffness(StiffnessMeasure.SIGN),
            c.betweenClassStiffness(StiffnessMeasure.SIGN));
        NpyWriter.write(out, pairs.cosineValues(), k.rows(), k.cols()); // numpy.load reads it
      }
    }
  }
}
