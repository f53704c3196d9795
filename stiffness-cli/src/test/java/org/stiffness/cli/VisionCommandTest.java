package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stiffness.StiffnessEngine;
import org.stiffness.datasets.FashionMnist;
import org.stiffness.gradients.Examples;
import org.stiffness.io.NpyArray;
import org.stiffness.io.NpyReader;
import org.stiffness.stats.ClassStiffness;
import org.stiffness.stats.PairStiffness;
import org.stiffness.stats.StiffnessMeasure;
import org.stiffness.vision.models.PaperModels;

/** {@code stiffness vision} on real Fashion-MNIST, and its bad-input errors. */
class VisionCommandTest {
  @TempDir Path temp;

  /**
   * The paper's robust findings on real data: after training has begun, within-class stiffness is
   * above between-class stiffness, and stiffness falls with input distance.
   */
  @Test
  void fashionMnistShowsThePapersRobustFindings() throws IOException {
    assumeTrue(
        FashionMnist.findDebianInstall().isPresent(),
        "Debian's dataset-fashion-mnist is not installed (.ci/run installs it)");
    Path out = temp.resolve("fashion");
    Run run =
        Run.of(
            "vision",
            "--dataset",
            "fashion-mnist",
            "--train-size",
            "3000",
            "--epochs",
            "1",
            "--subset-size",
            "300",
            "--points",
            "4",
            "--out",
            out.toString());
    assertEquals(0, run.exitCode(), run.err());
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertEquals(2, summary.get("runs").size());
    for (JsonNode r : summary.get("runs")) {
      JsonNode checkpoints = r.get("checkpoints");
      for (int c = 1; c < checkpoints.size(); c++) { // once training has begun
        for (String pairing : List.of("train-train", "train-val", "val-val")) {
          JsonNode p = checkpoints.get(c).get("pairings").get(pairing);
          String where = "lr " + r.get("lr") + " checkpoint " + c + " " + pairing;
          assertTrue(p.get("within_cos").asDouble() > p.get("between_cos").asDouble() + 0.2, where);
          assertTrue(
              p.get("within_sign").asDouble() > p.get("between_sign").asDouble() + 0.2, where);
          List<Double> means = new ArrayList<>();
          for (JsonNode bin : p.get("distance_profile")) {
            if (bin.get("pairs").asLong() > 100) {
              means.add(bin.get("mean_cos").asDouble());
            }
          }
          assertTrue(means.size() >= 6, where + ": " + means);
          double near = (means.get(0) + means.get(1) + means.get(2)) / 3;
          int n = means.size();
          double far = (means.get(n - 1) + means.get(n - 2) + means.get(n - 3)) / 3;
          assertTrue(near > far + 0.3, where + " stiffness vs distance " + means);
        }
      }
      JsonNode last = checkpoints.get(checkpoints.size() - 1);
      assertTrue(last.get("val_acc").asDouble() > 0.6, "training learned: " + last);
    }
  }

  @Test
  void savePairMatricesWritesEveryPairingsCosineAndSign() throws IOException {
    Path out = temp.resolve("digits");
    Run run =
        Run.of(
            "vision",
            "--dataset",
            "digits",
            "--lr",
            "1e-3",
            "--epochs",
            "0.5",
            "--subset-size",
            "60",
            "--steps",
            "7,0",
            "--save-pair-matrices",
            "--out",
            out.toString());
    assertEquals(0, run.exitCode(), run.err());
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    // --steps: measured exactly there, in order.
    assertEquals("[0,7]", summary.at("/config/measurement_steps").toString());
    assertEquals(2, summary.at("/runs/0/checkpoints").size());
    assertEquals(7, summary.at("/runs/0/checkpoints/1/step").asLong());
    for (JsonNode checkpoint : summary.at("/runs/0/checkpoints")) {
      for (String pairing : List.of("train-train", "train-val", "val-val")) {
        String classMatrix =
            checkpoint.get("pairings").get(pairing).get("class_sign_matrix").asText();
        String prefix = classMatrix.substring(0, classMatrix.length() - ".class-sign.npy".length());
        NpyArray cos = NpyReader.read(out.resolve(prefix + ".cos.npy"));
        NpyArray sign = NpyReader.read(out.resolve(prefix + ".sign.npy"));
        assertArrayEquals(new long[] {60, 60}, cos.shape(), pairing);
        assertArrayEquals(new long[] {60, 60}, sign.shape(), pairing);
        float[] c = cos.floats();
        byte[] s = sign.bytes();
        for (int k = 0; k < c.length; k++) {
          assertTrue(c[k] >= -1 && c[k] <= 1, "cosine in [-1, 1]");
          assertEquals(Math.signum(c[k]), (double) s[k], 0.0, "sign agrees with the cosine");
        }
      }
    }
  }

  @Test
  void chosenPairingsOnSubsetsOfTheirOwnSizes() throws IOException {
    Path out = temp.resolve("chosen");
    Run run =
        Run.of(
            "vision",
            "--dataset",
            "digits",
            "--lr",
            "1e-3",
            "--epochs",
            "0.3",
            "--points",
            "2",
            "--subset-size",
            "5000",
            "--val-subset-size",
            "30",
            "--pairings",
            "train-train,val-val",
            "--out",
            out.toString());
    assertEquals(0, run.exitCode(), run.err());
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    int train = summary.at("/config/train_size").asInt();
    // More than the training set was asked for: all of it, and a line saying so.
    assertEquals(train, summary.at("/config/train_subset_size").asInt());
    assertTrue(
        run.err().contains("the train subset has " + train + " examples, all of the training set"),
        run.err());
    assertEquals(30, summary.at("/config/val_subset_size").asInt());
    for (JsonNode checkpoint : summary.at("/runs/0/checkpoints")) {
      List<String> keys = new ArrayList<>();
      checkpoint.get("pairings").fieldNames().forEachRemaining(keys::add);
      assertEquals(List.of("train-train", "val-val"), keys);
    }
    assertTrue(Files.isRegularFile(out.resolve("report.html")), "a report without train-val");
    // Where the measurements' time went, split as docs/measurements.md reports it.
    assertTrue(
        run.err().contains("stiffness: measurements: ") && run.err().contains("s statistics"),
        run.err());
  }

  /**
   * From the exported subsets and parameters alone, a fresh model reproduces the recorded train-val
   * class stiffness of the last checkpoint.
   */
  @Test
  void exportReproducesTheRecordedStiffness() throws IOException {
    Path out = temp.resolve("export");
    Run run =
        Run.of(
            "vision",
            "--dataset",
            "digits",
            "--lr",
            "1e-2",
            "--epochs",
            "0.5",
            "--subset-size",
            "80",
            "--points",
            "2",
            "--export",
            "--out",
            out.toString());
    assertEquals(0, run.exitCode(), run.err());
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    JsonNode last = summary.at("/runs/0/checkpoints/1");
    String matrix = last.at("/pairings/train-val/class_sign_matrix").asText();
    Path checkpoint = out.resolve(matrix).getParent();
    try (NDManager manager = NDManager.newBaseManager()) {
      NDList subsets = read(manager, out.resolve("export/subsets.npz"));
      NDList parameters = read(manager, checkpoint.resolve("parameters.npz"));
      Block model = PaperModels.fullyConnected(10);
      model.initialize(manager, DataType.FLOAT32, new Shape(1, 1, 8, 8));
      for (var parameter : model.getParameters()) {
        parameter.getValue().getArray().set(parameters.get(parameter.getKey()).toFloatArray());
      }
      Examples train = examples(subsets, "train");
      Examples val = examples(subsets, "val");
      try (StiffnessEngine engine = StiffnessEngine.builder(model).build()) {
        PairStiffness pairs = PairStiffness.of(engine.gram(train, val));
        ClassStiffness c = ClassStiffness.of(pairs, 10);
        JsonNode recorded = last.at("/pairings/train-val");
        assertEquals(
            recorded.get("within_cos").asDouble(),
            c.withinClassStiffness(StiffnessMeasure.COSINE),
            1e-5);
        assertEquals(
            recorded.get("between_cos").asDouble(),
            c.betweenClassStiffness(StiffnessMeasure.COSINE),
            1e-5);
        assertEquals(
            recorded.get("between_sign").asDouble(),
            c.betweenClassStiffness(StiffnessMeasure.SIGN),
            1e-3);
      }
    }
  }

  /**
   * {@code --xi-measure sign} fits the sign of each pair: the all-pairs xi equals an ordinary least
   * squares fit, in plain float64, of the saved sign matrix on the cosine distances of the exported
   * inputs, and the summary's config names the measure.
   */
  @Test
  void xiMeasureSignFitsTheSignOfEveryPair() throws IOException {
    Path out = temp.resolve("sign");
    Run run =
        Run.of(
            "vision",
            "--dataset",
            "digits",
            "--lr",
            "1e-2",
            "--epochs",
            "0.5",
            "--subset-size",
            "60",
            "--steps",
            "0",
            "--pairings",
            "train-val",
            "--xi-measure",
            "sign",
            "--save-pair-matrices",
            "--export",
            "--out",
            out.toString());
    assertEquals(0, run.exitCode(), run.err());
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertEquals("sign", summary.at("/config/critical_length/measure").asText());
    JsonNode pairing = summary.at("/runs/0/checkpoints/0/pairings/train-val");
    String classMatrix = pairing.get("class_sign_matrix").asText();
    String prefix = classMatrix.substring(0, classMatrix.length() - ".class-sign.npy".length());
    byte[] sign = NpyReader.read(out.resolve(prefix + ".sign.npy")).bytes();
    float[][] train;
    float[][] val;
    try (NDManager manager = NDManager.newBaseManager()) {
      NDList subsets = read(manager, out.resolve("export/subsets.npz"));
      train = rows(subsets.get("train_inputs").toFloatArray(), 60);
      val = rows(subsets.get("val_inputs").toFloatArray(), 60);
    }
    // Train and val share no example, so every pair counts; a zero-gradient example (none at the
    // initial network) would show as a row of zeros.
    double n = 0;
    double sd = 0;
    double sy = 0;
    double sdd = 0;
    double sdy = 0;
    for (int i = 0; i < 60; i++) {
      for (int j = 0; j < 60; j++) {
        double d =
            1 - dot(train[i], val[j]) / Math.sqrt(dot(train[i], train[i]) * dot(val[j], val[j]));
        double y = sign[i * 60 + j];
        n++;
        sd += d;
        sy += y;
        sdd += d * d;
        sdy += d * y;
      }
    }
    double meanD = sd / n;
    double meanY = sy / n;
    double slope = (sdy - n * meanD * meanY) / (sdd - n * meanD * meanD);
    double xi = meanD - meanY / slope;
    JsonNode recorded = pairing.get("critical_length_all_pairs");
    assertTrue(recorded.get("value").isNumber(), "a crossing: " + recorded);
    assertEquals(xi, recorded.get("value").asDouble(), 1e-5);
  }

  private static float[][] rows(float[] flat, int n) {
    int p = flat.length / n;
    float[][] out = new float[n][];
    for (int i = 0; i < n; i++) {
      out[i] = Arrays.copyOfRange(flat, i * p, (i + 1) * p);
    }
    return out;
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      s += (double) a[k] * b[k];
    }
    return s;
  }

  private static NDList read(NDManager manager, Path npz) throws IOException {
    try (var in = Files.newInputStream(npz)) {
      return NDList.decode(manager, in);
    }
  }

  private static Examples examples(NDList subsets, String prefix) {
    return Examples.of(
        prefix,
        new NDList(subsets.get(prefix + "_inputs")),
        subsets.get(prefix + "_labels"),
        subsets.get(prefix + "_ids").toLongArray());
  }

  /**
   * A grouping file's within-group and across-group figures, in every pairing and checkpoint, are
   * the class matrices' cells pooled by group: recomputed here from the written class matrices
   * (mean times pair count per cell).
   */
  @Test
  void classGroupsFromAFileArePooledFromTheClassMatrices() throws IOException {
    Path groups = temp.resolve("strokes.txt");
    Files.writeString(
        groups, "# digits by stroke\nround: 0, 6, 8, 9\nstraight: 1, 4, 7\nbent: 2, 3, 5\n");
    int[] groupOf = {0, 1, 2, 2, 1, 2, 0, 1, 0, 0};
    Path out = temp.resolve("groups");
    Run run =
        Run.of(
            "vision",
            "--dataset",
            "digits",
            "--lr",
            "1e-2",
            "--epochs",
            "0.3",
            "--subset-size",
            "60",
            "--points",
            "2",
            "--class-groups",
            groups.toString(),
            "--out",
            out.toString());
    assertEquals(0, run.exitCode(), run.err());
    JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
    assertEquals("strokes.txt", summary.at("/config/class_groups/name").asText());
    for (JsonNode checkpoint : summary.at("/runs/0/checkpoints")) {
      for (String pairing : List.of("train-train", "train-val", "val-val")) {
        JsonNode p = checkpoint.get("pairings").get(pairing);
        JsonNode g = p.get("class_groups");
        assertEquals("[\"round\",\"straight\",\"bent\"]", g.get("group_names").toString());
        assertEquals("[0,1,2,2,1,2,0,1,0,0]", g.get("group_of_class").toString());
        double[] sign = NpyReader.read(out.resolve(p.get("class_sign_matrix").asText())).doubles();
        double[] cos = NpyReader.read(out.resolve(p.get("class_cos_matrix").asText())).doubles();
        long[] n = NpyReader.read(out.resolve(p.get("pair_count_matrix").asText())).longs();
        double[][] pooled = new double[2][3]; // within, across: pairs, sign sum, cosine sum
        double[][] cells = new double[9][3];
        for (int a = 0; a < 10; a++) {
          for (int b = 0; b < 10; b++) {
            int k = a * 10 + b;
            if (a == b || n[k] == 0) {
              continue;
            }
            double[] add = {n[k], sign[k] * n[k], cos[k] * n[k]};
            double[] into = pooled[groupOf[a] == groupOf[b] ? 0 : 1];
            double[] cell = cells[groupOf[a] * 3 + groupOf[b]];
            for (int q = 0; q < 3; q++) {
              into[q] += add[q];
              cell[q] += add[q];
            }
          }
        }
        String where = pairing + " step " + checkpoint.get("step");
        assertEquals((long) pooled[0][0], g.get("within_group_pairs").asLong(), where);
        assertEquals((long) pooled[1][0], g.get("across_group_pairs").asLong(), where);
        assertEquals(pooled[0][1] / pooled[0][0], g.get("within_group_sign").asDouble(), 1e-9);
        assertEquals(pooled[0][2] / pooled[0][0], g.get("within_group_cos").asDouble(), 1e-9);
        assertEquals(pooled[1][1] / pooled[1][0], g.get("across_group_sign").asDouble(), 1e-9);
        assertEquals(pooled[1][2] / pooled[1][0], g.get("across_group_cos").asDouble(), 1e-9);
        double[] groupCos =
            NpyReader.read(out.resolve(g.get("group_cos_matrix").asText())).doubles();
        long[] groupPairs =
            NpyReader.read(out.resolve(g.get("group_pair_count_matrix").asText())).longs();
        for (int k = 0; k < 9; k++) {
          assertEquals((long) cells[k][0], groupPairs[k], where);
          assertEquals(cells[k][2] / cells[k][0], groupCos[k], 1e-9, where);
        }
      }
    }
    String report = Files.readString(out.resolve("report.html"));
    assertTrue(
        report.contains("Classes grouped by <b>strokes.txt</b>: round (0, 6, 8, 9);"), report);
    assertTrue(
        Files.isRegularFile(out.resolve("plots/class-groups-cos-train-val-lr0.01.png")),
        "the group matrix is drawn");
  }

  @Test
  void aMalformedGroupingFileFailsNamingItsLineAndWritesNothing() throws IOException {
    Path groups = temp.resolve("groups.txt");
    Files.writeString(groups, "even: 0, 2, 4, 6, 8\nodd: 1, 3, 5, 7, 9, 4\n");
    Run run =
        Run.of(
            "vision",
            "--dataset",
            "digits",
            "--class-groups",
            groups.toString(),
            "--out",
            temp.resolve("out").toString());
    assertNotEquals(0, run.exitCode());
    assertEquals(1, run.err().strip().lines().count(), run.err());
    assertTrue(
        run.err().contains(groups + ":2: class '4' is already in group 'even' (line 1)"),
        run.err());
    assertFalse(temp.resolve("out").toFile().exists(), "no output directory on failure");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--dataset digits --class-groups fashion | groups the classes of fashion-mnist",
        "--dataset digits --class-groups /nonexistent/groups.txt | /nonexistent/groups.txt",
        "--dataset imagenet | imagenet",
        "--dataset mnist | --data-dir",
        "--dataset cifar10 --data-dir /nonexistent/cifar | /nonexistent/cifar",
        "--dataset digits --lr 0.1,-1 | -1",
        "--dataset digits --model vgg | vgg",
        "--dataset digits --optimizer rmsprop | rmsprop",
        "--dataset digits --xi-window 1,0.5 | --xi-window",
        "--dataset digits --xi-measure spearman | spearman",
        "--dataset digits --steps 0,-3 | --steps",
        "--dataset digits --epochs 0.1 --steps 0,999999 | 999999",
        "--dataset digits --pairings train-test | train-test",
        "--dataset digits --pairings train-val,train-val | twice",
      })
  void badInputFailsWithOneLineAndNoOutput(String args, String named) {
    List<String> argv = new ArrayList<>(List.of("vision"));
    argv.addAll(List.of(args.trim().split("\\s+")));
    argv.addAll(List.of("--out", temp.resolve("out").toString()));
    Run run = Run.of(argv.toArray(String[]::new));
    assertNotEquals(0, run.exitCode());
    assertEquals(1, run.err().strip().lines().count(), run.err());
    assertTrue(run.err().contains(named), run.err());
    assertFalse(temp.resolve("out").toFile().exists(), "no output directory on failure");
  }
}
