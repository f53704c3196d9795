package org.stiffness.experiments;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.stiffness.experiments.StiffnessMeasurement.MeasuredSet;
import org.stiffness.experiments.StiffnessMeasurement.PairingSpec;
import org.stiffness.experiments.StiffnessMeasurement.Settings;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.GramOptions;
import org.stiffness.gram.LayerStrategy;
import org.stiffness.gram.Precision;
import org.stiffness.io.JsonSummary;
import org.stiffness.stats.CriticalLength;
import org.stiffness.stats.DistanceBins;
import org.stiffness.stats.StiffnessMeasure;

/**
 * A measured checkpoint saved so that its measurement can be recomputed without the dataset or the
 * training: a directory with
 *
 * <ul>
 *   <li>{@code parameters.npz}: every parameter of the frozen model under its DJL name;
 *   <li>{@code subsets.npz}: the measured sets exactly as fed ({@code <set>_inputs}, {@code
 *       <set>_labels}, {@code <set>_ids}), see {@link Export#subsets};
 *   <li>{@code architecture.json}: the block tree, for people;
 *   <li>{@code checkpoint.json}, written last (its presence marks a complete checkpoint): the model
 *       kind, classes and input shape to rebuild the block, the sets, the pairings, the statistics
 *       settings and the Gram options.
 * </ul>
 *
 * <p>The subsets are the same at every checkpoint of an experiment: later checkpoints hard-link the
 * first one's file (a copy where links are not possible), so each directory stays self-contained.
 */
public final class SavedCheckpoint implements AutoCloseable {
  /** The description file. */
  public static final String DESCRIPTION = "checkpoint.json";

  static final String FORMAT = "stiffness-checkpoint/1";
  private static final String PARAMETERS = "parameters.npz";
  private static final String SUBSETS = "subsets.npz";

  /** Makes an uninitialised model of a recorded kind, e.g. {@code (fc, 10) -> PaperModels...}. */
  @FunctionalInterface
  public interface Models {
    /**
     * @throws IllegalArgumentException for an unknown kind
     */
    Block build(String kind, int classes);
  }

  private final Path directory;
  private final JsonNode description;
  private final NDManager manager;
  private final Block model;
  private final List<MeasuredSet> sets;
  private final List<PairingSpec> pairings;
  private final Settings settings;

  private SavedCheckpoint(
      Path directory,
      JsonNode description,
      NDManager manager,
      Block model,
      List<MeasuredSet> sets,
      List<PairingSpec> pairings,
      Settings settings) {
    this.directory = directory;
    this.description = description;
    this.manager = manager;
    this.model = model;
    this.sets = sets;
    this.pairings = pairings;
    this.settings = settings;
  }

  /** {@code checkpoints/lr=.../step=...} for the matrices directory {@code matrices/lr=...}. */
  static String directoryOf(String checkpointDir) {
    return checkpointDir.startsWith("matrices/")
        ? "checkpoints/" + checkpointDir.substring("matrices/".length())
        : "checkpoints/" + checkpointDir;
  }

  /**
   * Writes a checkpoint directory.
   *
   * @param subsetsToLink an earlier checkpoint's {@code subsets.npz} of the same sets, or null
   * @return the {@code subsets.npz} written (to pass as {@code subsetsToLink} next time)
   */
  static Path save(
      Path dir,
      Block model,
      String modelKind,
      int classes,
      List<MeasuredSet> sets,
      List<PairingSpec> pairings,
      Settings settings,
      String checkpointDir,
      Path subsetsToLink)
      throws IOException {
    Files.createDirectories(dir);
    Export.parameters(dir.resolve(PARAMETERS), model);
    Path subsets = dir.resolve(SUBSETS);
    if (subsetsToLink == null || !link(subsets, subsetsToLink)) {
      List<Examples> all = new ArrayList<>();
      sets.forEach(s -> all.add(s.examples()));
      Export.subsets(subsets, all);
    }
    Export.architecture(dir.resolve("architecture.json"), model, sets.get(0).examples(), modelKind);

    ObjectNode root = JsonSummary.mapper().createObjectNode();
    root.put("format", FORMAT);
    root.put("checkpoint_dir", checkpointDir);
    ObjectNode m = root.putObject("model");
    m.put("kind", modelKind);
    m.put("classes", classes);
    ArrayNode shape = m.putArray("input_shape");
    for (long d : sets.get(0).examples().inputs().head().getShape().slice(1).getShape()) {
      shape.add(d);
    }
    root.put("loss", "softmax-cross-entropy");
    root.put("input_distance", StiffnessMeasurement.COSINE_OF_INPUTS);
    ArrayNode setList = root.putArray("sets");
    for (MeasuredSet s : sets) {
      setList.addObject().put("name", s.name()).put("size", s.examples().size());
    }
    ArrayNode pairingList = root.putArray("pairings");
    for (PairingSpec p : pairings) {
      pairingList.addObject().put("rows", p.rows()).put("cols", p.cols());
    }
    ObjectNode stats = root.putObject("statistics");
    ArrayNode edges = stats.putArray("distance_bin_edges");
    for (double e : settings.bins().edges()) {
      edges.add(e);
    }
    CriticalLength.Config cl = settings.criticalLength();
    stats
        .putObject("critical_length")
        .put("measure", cl.measure().name().toLowerCase(Locale.ROOT))
        .put("window_lo", cl.windowLo())
        .put("window_hi", cl.windowHi())
        .put("resamples", cl.resamples())
        .put("confidence", cl.confidence())
        .put("seed", cl.seed())
        .put("min_pairs", cl.minPairs());
    stats.put("pair_matrices", settings.pairMatrices());
    GramOptions g = settings.gram();
    root.putObject("gram")
        .put("memory_budget", g.memoryBudgetBytes())
        .put("precision", g.precision().name().toLowerCase(Locale.ROOT))
        .put("strategy", g.strategy().name().toLowerCase(Locale.ROOT))
        .put("block_size", g.blockSize())
        .put("pass_size", g.passSize());
    JsonSummary.write(dir.resolve(DESCRIPTION), root);
    return subsets;
  }

  private static boolean link(Path target, Path existing) {
    try {
      Files.createLink(target, existing);
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false; // another file system, or no hard links: write a copy instead
    }
  }

  /**
   * Reads a checkpoint directory: rebuilds the model with the saved parameters and the sets, on the
   * CPU (the engine copies what it needs to its device).
   *
   * @throws IOException naming the file and what is wrong with it
   */
  public static SavedCheckpoint load(Path dir, Models models) throws IOException {
    Path file = dir.resolve(DESCRIPTION);
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          dir
              + " is not a saved checkpoint: "
              + DESCRIPTION
              + " is missing (vision"
              + " --save-checkpoints writes checkpoints/lr=.../step=.../)");
    }
    JsonNode root = JsonSummary.mapper().readTree(file.toFile());
    Fields f = new Fields(file, root);
    if (!FORMAT.equals(f.text("format"))) {
      throw f.bad("format", "'" + FORMAT + "'", root.path("format").toString());
    }
    if (!StiffnessMeasurement.COSINE_OF_INPUTS.equals(f.text("input_distance"))) {
      throw f.bad(
          "input_distance",
          "'" + StiffnessMeasurement.COSINE_OF_INPUTS + "'",
          f.text("input_distance"));
    }
    String kind = f.text("model.kind");
    int classes = f.integer("model.classes");
    long[] inputShape = f.longs("model.input_shape");
    Settings settings = settings(f);
    List<PairingSpec> pairings = new ArrayList<>();
    for (JsonNode p : f.array("pairings")) {
      pairings.add(new PairingSpec(p.path("rows").asText(), p.path("cols").asText()));
    }
    NDManager manager = NDManager.newBaseManager(ai.djl.Device.cpu());
    try {
      Block model;
      try {
        model = models.build(kind, classes);
      } catch (IllegalArgumentException e) {
        throw f.bad("model.kind", "a known model", kind + " (" + e.getMessage() + ")");
      }
      model.initialize(manager, DataType.FLOAT32, new Shape(1).addAll(new Shape(inputShape)));
      loadParameters(dir.resolve(PARAMETERS), model, manager);
      List<MeasuredSet> sets = loadSets(dir.resolve(SUBSETS), f, manager);
      return new SavedCheckpoint(dir, root, manager, model, sets, pairings, settings);
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  private static Settings settings(Fields f) throws IOException {
    JsonNode edges = f.array("statistics.distance_bin_edges");
    double[] e = new double[edges.size()];
    for (int k = 0; k < e.length; k++) {
      e[k] = edges.get(k).asDouble();
    }
    CriticalLength.Config cl =
        new CriticalLength.Config(
            StiffnessMeasure.valueOf(
                f.text("statistics.critical_length.measure").toUpperCase(Locale.ROOT)),
            f.number("statistics.critical_length.window_lo"),
            f.number("statistics.critical_length.window_hi"),
            f.integer("statistics.critical_length.resamples"),
            f.number("statistics.critical_length.confidence"),
            f.node("statistics.critical_length.seed").asLong(),
            f.node("statistics.critical_length.min_pairs").asLong());
    GramOptions gram =
        new GramOptions(
            f.node("gram.memory_budget").asLong(),
            Precision.parse(f.text("gram.precision")),
            LayerStrategy.valueOf(f.text("gram.strategy").toUpperCase(Locale.ROOT)),
            f.integer("gram.block_size"),
            f.integer("gram.pass_size"));
    return new Settings(
        DistanceBins.of(e), cl, gram, f.node("statistics.pair_matrices").asBoolean(), false, null);
  }

  private static void loadParameters(Path file, Block model, NDManager manager) throws IOException {
    NDList saved = NDList.decode(manager, Files.readAllBytes(file));
    for (Pair<String, Parameter> p : model.getParameters()) {
      NDArray target = p.getValue().getArray();
      NDArray value = saved.get(p.getKey());
      if (value == null) {
        throw new IOException(file + ": no parameter " + p.getKey() + " (the model has it)");
      }
      if (!value.getShape().equals(target.getShape())
          || value.getDataType() != target.getDataType()) {
        throw new IOException(
            file
                + ": parameter "
                + p.getKey()
                + " is "
                + value.getDataType()
                + " "
                + value.getShape()
                + ", the model expects "
                + target.getDataType()
                + " "
                + target.getShape());
      }
      target.set(value.toByteBuffer());
    }
    if (saved.size() != model.getParameters().size()) {
      throw new IOException(
          file
              + ": "
              + saved.size()
              + " arrays for a model with "
              + model.getParameters().size()
              + " parameters");
    }
  }

  private static List<MeasuredSet> loadSets(Path file, Fields f, NDManager manager)
      throws IOException {
    NDList arrays = NDList.decode(manager, Files.readAllBytes(file));
    List<MeasuredSet> out = new ArrayList<>();
    for (JsonNode s : f.array("sets")) {
      String name = s.path("name").asText();
      NDArray inputs = require(file, arrays, name + "_inputs");
      NDArray labels = require(file, arrays, name + "_labels");
      long[] ids = require(file, arrays, name + "_ids").toLongArray();
      if (inputs.getShape().get(0) != s.path("size").asLong()) {
        throw new IOException(
            file
                + ": "
                + name
                + "_inputs has "
                + inputs.getShape()
                + ", the checkpoint says "
                + s.path("size").asLong()
                + " examples");
      }
      Examples examples = Examples.of(name, new NDList(inputs), labels, ids);
      out.add(
          new MeasuredSet(examples, labels.toType(DataType.INT32, false).toIntArray(), Map.of()));
    }
    return out;
  }

  private static NDArray require(Path file, NDList arrays, String name) throws IOException {
    NDArray a = arrays.get(name);
    if (a == null) {
      throw new IOException(file + ": no array " + name);
    }
    return a;
  }

  /** The checkpoint's directory. */
  public Path directory() {
    return directory;
  }

  /** {@code checkpoint.json} as read. */
  public JsonNode description() {
    return description;
  }

  /** The model kind recorded (for example {@code fc}). */
  public String modelKind() {
    return description.path("model").path("kind").asText();
  }

  /** Number of classes n_c. */
  public int classes() {
    return description.path("model").path("classes").asInt();
  }

  /** Where the measurement wrote this checkpoint's matrices ({@code matrices/lr=.../step=...}). */
  public String checkpointDir() {
    return description.path("checkpoint_dir").asText();
  }

  /** The frozen model with the saved parameters. */
  public Block model() {
    return model;
  }

  /** The measured sets exactly as they were fed. */
  public List<MeasuredSet> sets() {
    return sets;
  }

  /** The pairings, in summary order. */
  public List<PairingSpec> pairings() {
    return pairings;
  }

  /** The statistics settings and Gram options recorded (no export, no further checkpoints). */
  public Settings settings() {
    return settings;
  }

  /**
   * The measurement of the saved sets, writing its matrices under {@code experimentDir}; the sets
   * stay owned by this checkpoint, which must outlive it.
   */
  public StiffnessMeasurement measurement(Path experimentDir, Settings with) {
    return new StiffnessMeasurement(
        m -> sets,
        pairings,
        List.of(),
        StiffnessMeasurement.InputDistance.cosineOfInputs(),
        classes(),
        ai.djl.Device.cpu(),
        experimentDir,
        with);
  }

  @Override
  public void close() {
    manager.close();
  }

  /** Typed access to {@code checkpoint.json} with errors naming the file and the field. */
  private record Fields(Path file, JsonNode root) {
    JsonNode node(String path) throws IOException {
      JsonNode n = root;
      for (String part : path.split("\\.")) {
        n = n.path(part);
      }
      if (n.isMissingNode() || n.isNull()) {
        throw new IOException(file + ": field '" + path + "' is missing");
      }
      return n;
    }

    String text(String path) throws IOException {
      JsonNode n = node(path);
      if (!n.isTextual()) {
        throw bad(path, "a string", n.toString());
      }
      return n.asText();
    }

    int integer(String path) throws IOException {
      JsonNode n = node(path);
      if (!n.isInt()) {
        throw bad(path, "an integer", n.toString());
      }
      return n.asInt();
    }

    double number(String path) throws IOException {
      JsonNode n = node(path);
      if (!n.isNumber()) {
        throw bad(path, "a number", n.toString());
      }
      return n.asDouble();
    }

    JsonNode array(String path) throws IOException {
      JsonNode n = node(path);
      if (!n.isArray() || n.isEmpty()) {
        throw bad(path, "a non-empty array", n.toString());
      }
      return n;
    }

    long[] longs(String path) throws IOException {
      JsonNode n = array(path);
      long[] out = new long[n.size()];
      for (int k = 0; k < out.length; k++) {
        if (!n.get(k).canConvertToLong() || n.get(k).asLong() < 1) {
          throw bad(path, "positive integers", n.toString());
        }
        out[k] = n.get(k).asLong();
      }
      return out;
    }

    IOException bad(String path, String expected, String found) {
      return new IOException(
          file + ": field '" + path + "': expected " + expected + ", found " + found);
    }
  }
}
