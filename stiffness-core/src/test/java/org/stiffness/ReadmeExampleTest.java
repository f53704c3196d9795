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
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import java.io.DataOutputStream;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.gradients.Checkpoint;
import org.stiffness.gradients.Examples;
import org.stiffness.influence.InfluenceResult;
import org.stiffness.influence.TracIn;
import org.stiffness.io.NpyArray;
import org.stiffness.io.NpyReader;
import org.stiffness.stats.ClassStiffness;
import org.stiffness.stats.PairStiffness;
import org.stiffness.stats.StiffnessMeasure;
import org.stiffness.stats.tiles.PairingStatistics;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The README's Java blocks, each a whole source file, compiled as written against the modules and
 * run; the consumer project (examples/consumer) holds the first one verbatim.
 */
class ReadmeExampleTest {
  private static final Path README = Path.of("../README.md");
  private static final Path ROOT_POM = Path.of("../pom.xml");
  // examples/consumer, a project of its own that .ci/consumer-check.sh builds against the
  // installed modules: it runs the README's first program, so it must hold it verbatim.
  private static final Path CONSUMER =
      Path.of("../examples/consumer/src/main/java/example/consumer/FirstStiffness.java");
  private static final Path CONSUMER_POM = Path.of("../examples/consumer/pom.xml");
  private static final Pattern JAVA_BLOCK = Pattern.compile("```java\n(.*?)\n```", Pattern.DOTALL);
  private static final Pattern PUBLIC_CLASS = Pattern.compile("public final class (\\w+)");

  @TempDir static Path classes;

  /** The README's programs, compiled into {@link #classes}, by class name. */
  private static Map<String, String> programs;

  private static ClassLoader loader;

  @BeforeAll
  static void compileTheReadmesPrograms(@TempDir Path sources) throws IOException {
    programs = javaBlocks(Files.readString(README));
    assertEquals(
        List.of("FirstStiffness", "TileStatistics", "FirstInfluence"),
        List.copyOf(programs.keySet()),
        "README.md's Java blocks");
    List<File> files = new ArrayList<>();
    for (Map.Entry<String, String> p : programs.entrySet()) {
      Path file = sources.resolve(p.getKey() + ".java");
      Files.writeString(file, p.getValue() + "\n");
      files.add(file.toFile());
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, null, null)) {
      boolean ok =
          javac
              .getTask(
                  null,
                  fm,
                  diagnostics,
                  List.of(
                      "--release",
                      "17",
                      "-Xlint:all",
                      "-Werror",
                      "-proc:none",
                      "-classpath",
                      classPath(),
                      "-d",
                      classes.toString()),
                  null,
                  fm.getJavaFileObjectsFromFiles(files))
              .call();
      assertTrue(
          ok, "README.md's Java blocks do not compile as written: " + diagnostics.getDiagnostics());
    }
    loader =
        new URLClassLoader(
            new URL[] {classes.toUri().toURL()}, ReadmeExampleTest.class.getClassLoader());
  }

  @Test
  void theFirstProgramWritesEveryPairsCosine(@TempDir Path temp) throws Exception {
    Path out = temp.resolve("cosine.npy");
    Method measure =
        loader.loadClass("FirstStiffness").getMethod("measure", Device.class, Path.class);
    measure.invoke(null, Device.cpu(), out);
    NpyArray written = NpyReader.read(out);
    assertArrayEquals(new long[] {256, 256}, written.shape());
    float[] cosines = written.floats();
    for (int i = 0; i < 256; i++) {
      // cos(g_i, g_i) = 1 by definition, whatever the gradients.
      assertEquals(1.0, cosines[i * 256 + i], 1e-5, "cos of example " + i + " with itself");
      for (int j = 0; j < i; j++) {
        assertEquals(
            cosines[i * 256 + j], cosines[j * 256 + i], 1e-6, "symmetric at " + i + ", " + j);
      }
    }
  }

  @Test
  void theTileStatisticsAgreeWithTheWholeMatrix() throws Exception {
    Method of =
        loader
            .loadClass("TileStatistics")
            .getMethod("of", Block.class, Examples.class, Device.class);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      SequentialBlock model =
          new SequentialBlock()
              .add(Linear.builder().setUnits(30).build())
              .add(Activation::relu)
              .add(Linear.builder().setUnits(10).build());
      model.initialize(manager, DataType.FLOAT32, new Shape(1, 784));
      NDArray inputs = manager.randomNormal(new Shape(256, 784));
      NDArray labels = manager.randomInteger(0, 10, new Shape(256), DataType.INT32);
      Examples train = Examples.of(inputs, labels);
      PairingStatistics s = (PairingStatistics) of.invoke(null, model, train, Device.cpu());
      assertEquals(256L * 255, s.consideredPairs(), "every pair but the self-pairs");
      // The other path: the whole Gram matrix and its class matrix.
      ClassStiffness whole;
      try (StiffnessEngine engine = StiffnessEngine.builder(model).device(Device.cpu()).build()) {
        whole = ClassStiffness.of(PairStiffness.of(engine.gram(train)), 10);
      }
      for (StiffnessMeasure m : StiffnessMeasure.values()) {
        assertEquals(
            whole.withinClassStiffness(m),
            s.classes().withinClassStiffness(m),
            1e-9,
            "within " + m);
        assertEquals(
            whole.betweenClassStiffness(m),
            s.classes().betweenClassStiffness(m),
            1e-9,
            "between " + m);
      }
    }
  }

  /**
   * The influence program on checkpoint files written by {@code saveParameters} gives the bits of
   * the same checkpoints taken as snapshots.
   */
  @Test
  void theInfluenceProgramReadsSavedCheckpoints(@TempDir Path temp) throws Exception {
    Method of =
        loader
            .loadClass("FirstInfluence")
            .getMethod(
                "of",
                Block.class,
                List.class,
                double.class,
                long.class,
                Examples.class,
                Examples.class,
                NDManager.class);
    try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
      manager.getEngine().setRandomSeed(3);
      SequentialBlock model =
          new SequentialBlock()
              .add(Linear.builder().setUnits(12).build())
              .add(Activation::relu)
              .add(Linear.builder().setUnits(4).build());
      model.initialize(manager, DataType.FLOAT32, new Shape(1, 20));
      List<Path> files = new ArrayList<>();
      List<Checkpoint> snapshots = new ArrayList<>();
      for (int c = 0; c < 3; c++) {
        for (var p : model.getParameters()) {
          NDArray array = p.getValue().getArray();
          array.set(manager.randomNormal(array.getShape()).toFloatArray());
        }
        Path file = temp.resolve("step=" + (c + 1) * 50 + ".params");
        try (DataOutputStream out = new DataOutputStream(Files.newOutputStream(file))) {
          model.saveParameters(out);
        }
        files.add(file);
        snapshots.add(Checkpoint.snapshot(file.getFileName().toString(), 0.01 * 50, model));
      }
      Examples train =
          Examples.of(
              manager.randomNormal(new Shape(40, 20)),
              manager.randomInteger(0, 4, new Shape(40), DataType.INT32));
      Examples test =
          Examples.of(
              manager.randomNormal(new Shape(7, 20)),
              manager.randomInteger(0, 4, new Shape(7), DataType.INT32));
      InfluenceResult fromFiles =
          (InfluenceResult) of.invoke(null, model, files, 0.01, 50L, train, test, manager);
      try (TracIn tracIn = TracIn.builder(model).checkpoints(snapshots).topK(5).build()) {
        InfluenceResult fromSnapshots = tracIn.influence(train, test);
        assertTrue(fromFiles.sameBits(fromSnapshots), "files and snapshots differ");
      }
      assertEquals(5, fromFiles.k());
      assertEquals(
          List.of("step=50.params", "step=100.params", "step=150.params"), fromFiles.checkpoints());
    }
  }

  @Test
  void theConsumerRunsTheFirstProgramVerbatim() throws IOException {
    assertEquals(
        "package example.consumer;\n\n" + programs.get("FirstStiffness") + "\n",
        Files.readString(CONSUMER),
        CONSUMER + " must be README.md's first program in package example.consumer");
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

  /** Each ```java block of {@code markdown}, by the public class it declares, in order. */
  static Map<String, String> javaBlocks(String markdown) {
    Map<String, String> blocks = new LinkedHashMap<>();
    Matcher m = JAVA_BLOCK.matcher(markdown);
    while (m.find()) {
      Matcher name = PUBLIC_CLASS.matcher(m.group(1));
      assertTrue(name.find(), "a README Java block declares no public class:\n" + m.group(1));
      blocks.put(name.group(1), m.group(1));
    }
    return blocks;
  }

  /**
   * The test's class path for the compiler: surefire may pass it in the manifest of a one-jar class
   * path, as file URLs.
   */
  private static String classPath() throws IOException {
    String path = System.getProperty("java.class.path");
    String[] entries = path.split(File.pathSeparator);
    if (entries.length == 1 && entries[0].endsWith(".jar")) {
      URI base = Path.of(entries[0]).toAbsolutePath().getParent().toUri();
      try (JarFile jar = new JarFile(entries[0])) {
        Manifest manifest = jar.getManifest();
        String listed =
            manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
        if (listed != null) {
          List<String> files = new ArrayList<>();
          for (String url : listed.trim().split("\\s+")) {
            files.add(Path.of(base.resolve(url)).toString());
          }
          return String.join(File.pathSeparator, files);
        }
      }
    }
    return path;
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
