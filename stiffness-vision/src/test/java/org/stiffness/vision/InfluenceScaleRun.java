package org.stiffness.vision;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.stiffness.datasets.FashionMnist;
import org.stiffness.datasets.LabelledImages;
import org.stiffness.datasets.TrainTestSplit;
import org.stiffness.gradients.Checkpoint;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.GramOptions;
import org.stiffness.gram.GramReport;
import org.stiffness.influence.InfluenceResult;
import org.stiffness.influence.TracIn;
import org.stiffness.jobs.ProcessMemory;
import org.stiffness.models.ParameterValues;
import org.stiffness.vision.models.PaperModels;

/**
 * The influence scale figure (issue 22 item 5): exact, all-parameter TracInCP of the paper's fc net
 * on Fashion-MNIST, N training x M test examples, K checkpoints, timed from the engine's build
 * (checkpoints loaded) to the result, with the process's peak RSS. Not a test: run its {@code main}
 * with the test class path, {@code N M K [budget-MiB]}. The checkpoints are K parameter draws (the
 * computation's cost does not depend on the values).
 */
public final class InfluenceScaleRun {
  private InfluenceScaleRun() {}

  /**
   * @param args N, M, K and optionally the memory budget in MiB
   */
  public static void main(String[] args) throws Exception {
    int n = Integer.parseInt(args[0]);
    int m = Integer.parseInt(args[1]);
    int k = Integer.parseInt(args[2]);
    long budget = args.length > 3 ? Long.parseLong(args[3]) << 20 : 0;
    TrainTestSplit data =
        FashionMnist.fromDirectory(FashionMnist.findDebianInstall().orElseThrow());
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      Examples train = examples(manager, "train", data.train(), n);
      Examples test = examples(manager, "test", data.test(), m);
      manager.getEngine().setRandomSeed(1);
      SequentialBlock model = PaperModels.fullyConnected(10);
      model.initialize(manager, DataType.FLOAT32, new Shape(1, 784));
      List<Checkpoint> checkpoints = new ArrayList<>();
      for (int c = 0; c < k; c++) {
        for (var p : model.getParameters()) {
          NDArray array = p.getValue().getArray();
          try (NDArray noise = manager.randomNormal(0, 0.05f, array.getShape(), DataType.FLOAT32)) {
            ParameterValues.overwrite(array, array.add(noise));
          }
        }
        checkpoints.add(Checkpoint.snapshot("c" + c, 0.1 * 100, model));
      }
      long start = System.nanoTime();
      InfluenceResult r;
      GramReport report;
      try (TracIn tracIn =
          TracIn.builder(model)
              .checkpoints(checkpoints)
              .options(GramOptions.defaults().withMemoryBudget(budget))
              .topK(10)
              .progress(
                  (done, total) -> {
                    if (done % 50 == 0 || done == total) {
                      System.err.printf(
                          Locale.ROOT,
                          "%d/%d tiles, %.1f s%n",
                          done,
                          total,
                          (System.nanoTime() - start) * 1e-9);
                    }
                  })
              .build()) {
        r = tracIn.influence(train, test);
        report = tracIn.lastReport();
      }
      double seconds = (System.nanoTime() - start) * 1e-9;
      System.out.printf(
          Locale.ROOT,
          "influence N=%d M=%d K=%d: %.1f s (gradients %.1f s, products %.1f s, reduction %.1f s),"
              + " block %d, %d tiles, peak RSS %s; proponent 0 of test 0: %d (%.4g)%n",
          n,
          m,
          k,
          seconds,
          report.extractionSeconds(),
          report.productSeconds(),
          report.consumerSeconds(),
          report.blockSize(),
          report.tiles(),
          ProcessMemory.format(ProcessMemory.peakRssBytes()),
          r.proponents(0)[0],
          r.proponentScores(0)[0]);
    }
  }

  private static Examples examples(NDManager manager, String name, LabelledImages set, int n) {
    float[] pixels = new float[n * 784];
    set.pixels().get(pixels);
    float[] labels = new float[n];
    long[] ids = new long[n];
    for (int i = 0; i < n; i++) {
      labels[i] = set.label(i);
      ids[i] = i;
    }
    return Examples.of(
        name, new NDList(manager.create(pixels, new Shape(n, 784))), manager.create(labels), ids);
  }
}
