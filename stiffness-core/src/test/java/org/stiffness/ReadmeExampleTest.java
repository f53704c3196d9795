package org.stiffness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import java.util.List;
import java.util.stream.Collectors;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.GramMatrix;
import org.stiffness.gram.GramOptions;
import org.stiffness.io.NpyArray;
import org.stiffness.io.NpyReader;
import org.stiffness.io.NpyWriter;
import org.stiffness.stats.ClassStiffness;
import org.stiffness.stats.CosineTileDistances;
import org.stiffness.stats.PairStiffness;
import org.stiffness.stats.StiffnessMeasure;
import org.stiffness.stats.tiles.PairingSide;
import org.stiffness.stats.tiles.PairingStatistics;
import org.stiffness.stats.tiles.StatisticsOptions;
import org.stiffness.stats.tiles.StatisticsSpec;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The README's embedding example, compiled and run; the README must quote it verbatim. */
class ReadmeExampleTest {
  private static final Path SOURCE = Path.of("src/test/java/org/stiffness/ReadmeExampleTest.java");
  private static final Path README = Path.of("../README.md");
  private static final Path ROOT_POM = Path.of("../pom.xml");
  // examples/consumer, a project of its own that .ci/consumer-check.sh builds against the
  // installed modules: it runs the same example, so it must quote it verbatim too.
  private static final Path CONSUMER =
      Path.of("../examples/consumer/src/main/java/example/consumer/EmbedTheApi.java");
  private static final Path CONSUMER_POM = Path.of("../examples/consumer/pom.xml");

  @Test
  void readmeExampleRuns() throws IOException {
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
    assertArrayEquals(new long[] {256, 256}, written.shape());
    float[] cosines = written.floats();
    for (int i = 0; i < 256; i++) {
      // cos(g_i, g_i) = 1 by definition, whatever the gradients.
      assertEquals(1.0, cosines[i * 256 + i], 1e-5, "cos of example " + i + " with itself");
    }
  }

  @Test
  void readmeStreamingExampleRuns() {
    try (NDManager manager = NDManager.newBaseManager()) {
      SequentialBlock model =
          new SequentialBlock()
              .add(Linear.builder().setUnits(30).build())
              .add(Activation::relu)
              .add(Linear.builder().setUnits(10).build());
      model.initialize(manager, DataType.FLOAT32, new Shape(1, 784));
      NDArray inputs = manager.randomNormal(new Shape(256, 784));
      NDArray labels = manager.randomInteger(0, 10, new Shape(256), DataType.INT32);
      Examples train = Examples.of(inputs, labels);
      // README-STREAM-BEGIN
      float[] x = train.flattenedInputs(); // the input distance: cosine of the inputs as fed
      PairingSide side = PairingSide.of(train); // ids and labels, on the host
      PairingStatistics s;
      try (StiffnessEngine engine = StiffnessEngine.builder(model).device(Device.cpu()).build();
          CosineTileDistances distances = new CosineTileDistances(x, 256, x, 256, 784, manager)) {
        StatisticsSpec spec =
            new StatisticsSpec(side, side, 10, List.of(), distances, StatisticsOptions.defaults());
        s = engine.statistics(train, train, spec); // tile by tile: no N x N array anywhere
        System.out.printf(
            "sign stiffness: within %.3f, between %.3f; xi: %s%n",
            s.classes().withinClassStiffness(StiffnessMeasure.SIGN),
            s.classes().betweenClassStiffness(StiffnessMeasure.SIGN),
            s.criticalLengthAllPairs());
      }
      // README-STREAM-END
      assertTrue(s.consideredPairs() == 256L * 255, "every pair but the self-pairs");
    }
  }

  @Test
  void readmeQuotesTheExamplesVerbatim() throws IOException {
    String readme = Files.readString(README);
    for (String marker : List.of("README", "README-STREAM")) {
      String snippet = snippet(SOURCE, marker);
      assertTrue(
          readme.contains("```java\n" + snippet + "\n```"),
          "README.md must quote the example of " + SOURCE + " verbatim:\n" + snippet);
    }
  }

  @Test
  void consumerRunsTheReadmeExampleVerbatim() throws IOException {
    assertEquals(
        snippet(SOURCE, "README"),
        snippet(CONSUMER, "README"),
        CONSUMER + " must hold the example of " + SOURCE + " verbatim");
  }

  /**
   * The versions a user copies from the README's "Use it from your own project", and those the
   * consumer project builds with, are the build's: a release or a DJL upgrade that forgets them
   * fails here rather than in a user's build.
   */
  @Test
  void readmeAndConsumerNameTheBuildsVersions() throws Exception {
    Element project =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(ROOT_POM.toFile())
            .getDocumentElement();
    Element properties = child(project, "properties");
    String version = child(project, "version").getTextContent().trim();
    String djl = child(properties, "djl.version").getTextContent().trim();
    String jni = child(properties, "pytorch.jni.version").getTextContent().trim();
    String natives = child(properties, "pytorch.native.version").getTextContent().trim();

    String readme = Files.readString(README);
    for (String coordinates :
        List.of(
            "org.stiffness:stiffness-core:" + version,
            "ai.djl.pytorch:pytorch-engine:" + djl,
            "ai.djl.pytorch:pytorch-jni:" + jni,
            "ai.djl.pytorch:pytorch-native-cpu:" + natives + ":linux-x86_64")) {
      assertTrue(readme.contains("\"" + coordinates + "\""), "README.md must name " + coordinates);
    }
    for (String xml :
        List.of(
            "<version>" + version + "</version>",
            "<version>" + djl + "</version>",
            "<version>" + jni + "</version>",
            "<version>" + natives + "</version>")) {
      assertTrue(readme.contains(xml), "README.md must name " + xml);
    }

    String consumer = Files.readString(CONSUMER_POM);
    for (String property :
        List.of(
            "<stiffness.version>" + version + "</stiffness.version>",
            "<djl.version>" + djl + "</djl.version>",
            "<pytorch.version>" + natives + "</pytorch.version>")) {
      assertTrue(consumer.contains(property), CONSUMER_POM + " must set " + property);
    }
    assertEquals(
        natives + "-" + djl, jni, "the consumer's pytorch-jni is pytorch.version-djl.version");
  }

  /** The lines between a marker's BEGIN and END comments, less the BEGIN comment's indent. */
  private static String snippet(Path source, String marker) throws IOException {
    List<String> lines = Files.readAllLines(source);
    int begin = indexOf(lines, "// " + marker + "-BEGIN", source);
    int end = indexOf(lines, "// " + marker + "-END", source);
    String indent = lines.get(begin).substring(0, lines.get(begin).indexOf("//"));
    return lines.subList(begin + 1, end).stream()
        .map(line -> line.startsWith(indent) ? line.substring(indent.length()) : line)
        .collect(Collectors.joining("\n"));
  }

  private static int indexOf(List<String> lines, String marker, Path source) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).trim().equals(marker)) {
        return i;
      }
    }
    throw new AssertionError(marker + " not found in " + source);
  }

  private static Element child(Element parent, String name) {
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e && e.getTagName().equals(name)) {
        return e;
      }
    }
    throw new AssertionError("<" + name + "> not found in <" + parent.getTagName() + ">");
  }
}
