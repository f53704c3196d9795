package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.io.NpyArray;
import org.stiffness.io.NpyReader;
import org.stiffness.oracle.OracleNet;
import org.stiffness.vision.models.PaperModels;

/**
 * {@code stiffness influence} end to end on tiny real-format data: the files and their shapes, the
 * scores against a float64 TracIn reference computed from the exported sets and checkpoints, the
 * detection figures against counting pairs, and bad input.
 */
class InfluenceCommandTest {
  @TempDir Path temp;

  private static final int TRAIN = 40;
  private static final int TEST = 12;
  private static final int TOP_K = 4;

  /**
   * 40 training digits, 10 of them flipped, 2 epochs of 2 steps, 3 checkpoints at steps 1, 3, 4
   * (weights 0.1, 0.2, 0.1): every score is the float64 sum over the exported checkpoints of the
   * weighted per-example gradient products of the exported sets, and the lists are a full sort.
   */
  @Test
  void scoresAreTracInOfTheExportedCheckpointsInFloat64() throws IOException {
    Path out = temp.resolve("digits");
    Run run =
        Run.of(
            "influence",
            "--dataset",
            "digits",
            "--train-size",
            String.valueOf(TRAIN),
            "--test-size",
            String.valueOf(TEST),
            "--epochs",
            "2",
            "--checkpoints",
            "3",
            "--top-k",
            String.valueOf(TOP_K),
            "--flip-labels",
            "0.25",
            "--lr",
            "0.1",
            "--export",
            "--out",
            out.toString());
    assertEquals(0, run.exitCode(), run.err());
    JsonNode summary = new ObjectMapper().readTree(out.resolve("influence.json").toFile());
    JsonNode checkpoints = summary.get("checkpoints");
    assertEquals(3, checkpoints.size());
    long[] steps = {1, 3, 4};
    double[] weights = {0.1, 0.2, 0.1};
    for (int k = 0; k < 3; k++) {
      assertEquals(steps[k], checkpoints.get(k).get("step").asLong());
      assertEquals(weights[k], checkpoints.get(k).get("weight").asDouble(), 1e-12);
    }

    double[][] self = new double[1][TRAIN];
    double[][] scores = new double[TRAIN][TEST];
    try (NDManager manager = NDManager.newBaseManager()) {
      NDList sets = NDList.decode(manager, Files.readAllBytes(out.resolve("export/subsets.npz")));
      double[][] trainX = rows(sets.get("train_inputs"));
      double[][] testX = rows(sets.get("test_inputs"));
      int[] trainY = sets.get("train_labels").toType(DataType.INT32, false).toIntArray();
      int[] testY = sets.get("test_labels").toType(DataType.INT32, false).toIntArray();
      assertEquals(TRAIN, trainX.length);
      assertEquals(TEST, testX.length);
      for (int k = 0; k < 3; k++) {
        OracleNet net =
            oracle(
                manager,
                out.resolve("checkpoints").resolve(checkpoints.get(k).get("name").asText()));
        double[][] gTrain = gradients(net, trainX, trainY);
        double[][] gTest = gradients(net, testX, testY);
        for (int i = 0; i < TRAIN; i++) {
          self[0][i] += weights[k] * dot(gTrain[i], gTrain[i]);
          for (int j = 0; j < TEST; j++) {
            scores[i][j] += weights[k] * dot(gTrain[i], gTest[j]);
          }
        }
      }
    }

    double[] selfInfluence = NpyReader.read(out.resolve("self_influence.npy")).doubles();
    assertEquals(TRAIN, selfInfluence.length);
    for (int i = 0; i < TRAIN; i++) {
      assertEquals(self[0][i], selfInfluence[i], 1e-4 * self[0][i], "self-influence of " + i);
    }
    double scale =
        Arrays.stream(scores).flatMapToDouble(Arrays::stream).map(Math::abs).max().orElse(1);
    long[] pro = shaped(out.resolve("proponents.npy"), TEST, TOP_K).longs();
    float[] proScores = shaped(out.resolve("proponents_scores.npy"), TEST, TOP_K).floats();
    long[] opp = shaped(out.resolve("opponents.npy"), TEST, TOP_K).longs();
    float[] oppScores = shaped(out.resolve("opponents_scores.npy"), TEST, TOP_K).floats();
    for (int j = 0; j < TEST; j++) {
      int test = j;
      Integer[] order = IntStream.range(0, TRAIN).boxed().toArray(Integer[]::new);
      Arrays.sort(order, Comparator.comparingDouble((Integer i) -> -scores[i][test]));
      for (int r = 0; r < TOP_K; r++) {
        int expected = order[r];
        int expectedOpp = order[TRAIN - 1 - r];
        assertEquals(expected, pro[j * TOP_K + r], "proponent " + r + " of test " + j);
        assertEquals(expectedOpp, opp[j * TOP_K + r], "opponent " + r + " of test " + j);
        assertEquals(scores[expected][j], proScores[j * TOP_K + r], 1e-4 * scale);
        assertEquals(scores[expectedOpp][j], oppScores[j * TOP_K + r], 1e-4 * scale);
      }
    }

    // The detection figure counted pair by pair from the files.
    long[] flipped = NpyReader.read(out.resolve("flipped.npy")).longs();
    assertEquals(10, flipped.length);
    boolean[] isFlipped = new boolean[TRAIN];
    for (long f : flipped) {
      isFlipped[(int) f] = true;
    }
    assertEquals(
        pairwiseAuc(selfInfluence, isFlipped), summary.get("auc_self_influence").asDouble(), 1e-12);
    float[] finalLoss = NpyReader.read(out.resolve("final_loss.npy")).floats();
    assertEquals(TRAIN, finalLoss.length);
    double[] loss = new double[TRAIN];
    for (int i = 0; i < TRAIN; i++) {
      loss[i] = finalLoss[i];
    }
    assertEquals(pairwiseAuc(loss, isFlipped), summary.get("auc_loss").asDouble(), 1e-12);
  }

  /**
   * {@code --layers} of the last dense layer: self-influence is the float64 weighted squared norm
   * of that layer's slice of the gradient alone (its weight and bias, 100 x 10 + 10 parameters).
   */
  @Test
  void layersRestrictTheGradientsToThoseParameters() throws IOException {
    String last;
    try (NDManager manager = NDManager.newBaseManager()) {
      Block model = PaperModels.fullyConnected(10);
      model.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 8, 8));
      List<String> keys = new ArrayList<>();
      model.getParameters().forEach(p -> keys.add(p.getKey()));
      last = keys.get(keys.size() - 1).replace("_bias", ""); // e.g. 08Linear
    }
    Path out = temp.resolve("layers");
    Run run =
        Run.of(
            "influence",
            "--dataset",
            "digits",
            "--train-size",
            "20",
            "--test-size",
            "4",
            "--epochs",
            "2",
            "--checkpoints",
            "2",
            "--layers",
            last,
            "--export",
            "--out",
            out.toString());
    assertEquals(0, run.exitCode(), run.err());
    JsonNode summary = new ObjectMapper().readTree(out.resolve("influence.json").toFile());
    assertEquals("[\"" + last + "\"]", summary.at("/settings/layers").toString());
    double[] expected = new double[20];
    try (NDManager manager = NDManager.newBaseManager()) {
      NDList sets = NDList.decode(manager, Files.readAllBytes(out.resolve("export/subsets.npz")));
      double[][] x = rows(sets.get("train_inputs"));
      int[] y = sets.get("train_labels").toType(DataType.INT32, false).toIntArray();
      for (JsonNode c : summary.get("checkpoints")) {
        OracleNet net = oracle(manager, out.resolve("checkpoints").resolve(c.get("name").asText()));
        int from = net.parameterOffset(6); // W4 (10, 100), then b4 (10): the last layer
        double[][] g = gradients(net, x, y);
        for (int i = 0; i < 20; i++) {
          double norm = 0;
          for (int p = from; p < net.parameterCount(); p++) {
            norm += g[i][p] * g[i][p];
          }
          expected[i] += c.get("weight").asDouble() * norm;
        }
      }
    }
    double[] self = NpyReader.read(out.resolve("self_influence.npy")).doubles();
    for (int i = 0; i < 20; i++) {
      assertEquals(expected[i], self[i], 1e-4 * expected[i], "self-influence of " + i);
    }
  }

  /** The share of flipped-clean pairs in which the flipped example scores higher, ties 1/2. */
  private static double pairwiseAuc(double[] score, boolean[] flipped) {
    double wins = 0;
    long pairs = 0;
    for (int i = 0; i < score.length; i++) {
      for (int j = 0; j < score.length; j++) {
        if (flipped[i] && !flipped[j]) {
          pairs++;
          wins += score[i] > score[j] ? 1 : score[i] == score[j] ? 0.5 : 0;
        }
      }
    }
    return wins / pairs;
  }

  private static NpyArray shaped(Path file, long... shape) throws IOException {
    NpyArray a = NpyReader.read(file);
    assertArrayEquals(shape, a.shape(), file.getFileName().toString());
    return a;
  }

  private static double[][] rows(NDArray inputs) {
    int n = (int) inputs.getShape().get(0);
    float[] flat = inputs.toFloatArray();
    int d = flat.length / n;
    double[][] out = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < d; f++) {
        out[i][f] = flat[i * d + f];
      }
    }
    return out;
  }

  /** The paper's fc model as a float64 oracle net with the checkpoint's parameters. */
  private static OracleNet oracle(NDManager manager, Path checkpoint) throws IOException {
    NDList saved = NDList.decode(manager, Files.readAllBytes(checkpoint.resolve("parameters.npz")));
    Block model = PaperModels.fullyConnected(10);
    model.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 8, 8));
    List<float[]> values = new ArrayList<>();
    for (Pair<String, Parameter> p : model.getParameters()) {
      values.add(saved.get(p.getKey()).toFloatArray());
    }
    OracleNet net =
        OracleNet.builder(64)
            .linear(500)
            .relu()
            .linear(300)
            .relu()
            .linear(100)
            .relu()
            .linear(10)
            .build();
    net.setParameters(values);
    return net;
  }

  private static double[][] gradients(OracleNet net, double[][] x, int[] y) {
    double[][] g = new double[x.length][];
    for (int i = 0; i < x.length; i++) {
      g[i] = net.perExampleGradient(x[i], y[i]);
    }
    return g;
  }

  private static double dot(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  /**
   * Random-pixel Fashion-MNIST-format files: every file there, with its shape, and the pictures.
   */
  @Test
  void writesEveryFileWithItsShapeFromIdxFiles() throws IOException {
    Path data =
        IdxFixture.write(
            temp.resolve("idx"), IdxFixture.cycling(60, 10), IdxFixture.cycling(20, 10), 3);
    Path out = temp.resolve("fashion");
    Run run =
        Run.of(
            "influence",
            "--dataset",
            "fashion-mnist",
            "--data-dir",
            data.toString(),
            "--test-size",
            "10",
            "--epochs",
            "1",
            "--batch-size",
            "8",
            "--checkpoints",
            "2",
            "--flip-labels",
            "0.1",
            "--out",
            out.toString());
    assertEquals(0, run.exitCode(), run.err());
    assertTrue(run.out().contains("report.html"), run.out());
    assertArrayEquals(new long[] {60}, NpyReader.read(out.resolve("self_influence.npy")).shape());
    assertArrayEquals(new long[] {60}, NpyReader.read(out.resolve("total_influence.npy")).shape());
    assertArrayEquals(new long[] {60}, NpyReader.read(out.resolve("final_loss.npy")).shape());
    assertArrayEquals(new long[] {6}, NpyReader.read(out.resolve("flipped.npy")).shape());
    for (String f : List.of("proponents", "opponents", "proponents_scores", "opponents_scores")) {
      assertArrayEquals(new long[] {10, 10}, NpyReader.read(out.resolve(f + ".npy")).shape(), f);
    }
    for (String png : List.of("self_influence.png", "detection.png", "proponents.png")) {
      assertTrue(Files.size(out.resolve("plots").resolve(png)) > 1000, png);
    }
    assertTrue(Files.readString(out.resolve("report.html")).contains("plots/proponents.png"));
    JsonNode summary = new ObjectMapper().readTree(out.resolve("influence.json").toFile());
    assertTrue(summary.get("auc_self_influence").isNumber(), summary.toString());
    assertTrue(summary.get("auc_loss").isNumber(), summary.toString());
    assertEquals(8, summary.at("/settings/steps_per_epoch").asLong()); // ceil(60 / 8)
    double sum = 0;
    for (JsonNode c : summary.get("checkpoints")) {
      sum += c.get("weight").asDouble();
    }
    assertEquals(0.1 * 8, sum, 1e-12, "the weights sum to lr x steps");
    assertFalse(Files.exists(out.resolve(".partial")), "the staging area is gone");
  }

  @Test
  void withoutFlippedLabelsTheDetectionFiguresAreNull() throws IOException {
    Path out = temp.resolve("clean");
    Run run =
        Run.of(
            "influence",
            "--dataset",
            "digits",
            "--train-size",
            "30",
            "--test-size",
            "5",
            "--epochs",
            "1",
            "--checkpoints",
            "1",
            "--out",
            out.toString());
    assertEquals(0, run.exitCode(), run.err());
    JsonNode summary = new ObjectMapper().readTree(out.resolve("influence.json").toFile());
    assertTrue(summary.get("auc_self_influence").isNull());
    assertTrue(summary.get("auc_loss").isNull());
    assertArrayEquals(new long[] {0}, NpyReader.read(out.resolve("flipped.npy")).shape());
  }

  /**
   * A run that fails after it began (training diverges) leaves nothing behind: no staging area, no
   * file that looks complete, and the directory it created is gone.
   */
  @Test
  void aFailedRunLeavesNoFileBehind() {
    Path out = temp.resolve("diverged");
    Run run =
        Run.of(
            "influence",
            "--dataset",
            "digits",
            "--train-size",
            "64",
            "--test-size",
            "5",
            "--epochs",
            "3",
            "--checkpoints",
            "2",
            "--lr",
            "1e30",
            "--out",
            out.toString());
    assertEquals(1, run.exitCode(), run.err());
    assertTrue(run.err().contains("diverged"), run.err());
    assertFalse(Files.exists(out), "left " + out);
  }

  @Test
  void badInputIsOneLineAndWritesNothing() throws IOException {
    String[][] cases = {
      {"--flip-labels", "1.5", "--flip-labels"},
      {"--checkpoints", "9", "--checkpoints"}, // 30 examples, batch 32: 1 step
      {"--top-k", "0", "--top-k"},
      {"--optimizer", "rmsprop", "rmsprop"},
      {"--layers", "no-such-layer", "no-such-layer"},
      {"--train-size", "5000", "--train-size"},
    };
    for (String[] c : cases) {
      Path out = temp.resolve("bad" + c[0]);
      List<String> args =
          new ArrayList<>(List.of("influence", "--dataset", "digits", "--epochs", "1"));
      for (String[] d :
          new String[][] {{"--train-size", "30"}, {"--test-size", "5"}, {"--checkpoints", "1"}}) {
        if (!d[0].equals(c[0])) {
          args.addAll(List.of(d));
        }
      }
      args.addAll(List.of(c[0], c[1], "--out", out.toString()));
      Run run = Run.of(args.toArray(String[]::new));
      assertEquals(2, run.exitCode(), String.join(" ", c) + ": " + run.err());
      assertEquals(1, run.err().strip().lines().count(), run.err());
      assertTrue(run.err().contains(c[2]), run.err());
      assertFalse(Files.exists(out), c[0] + " left " + out);
    }
  }
}
