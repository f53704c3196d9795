package org.stiffness.experiments;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.GramOptions;
import org.stiffness.gram.LayerStrategy;
import org.stiffness.gram.Precision;
import org.stiffness.io.JsonFields;
import org.stiffness.io.JsonRecords;
import org.stiffness.io.JsonSummary;
import org.stiffness.io.Sha256;
import org.stiffness.models.ParameterValues;
import org.stiffness.stats.ClassGroups;
import org.stiffness.stats.CriticalLength;
import org.stiffness.stats.DistanceBins;
import org.stiffness.stats.StiffnessMeasure;
import org.stiffness.stats.tiles.Grouping;
import org.stiffness.summary.PairingSpec;

/**
 * A measured checkpoint saved so that its measurement can be recomputed without the dataset or the
 * training: a directory with
 *
 * <ul>
 *   <li>{@code parameters.npz}: every parameter of the frozen model under its DJL name;
 *   <li>{@code subsets.npz}: the measured sets exactly as fed ({@code <set>_inputs}, or {@code
 *       <set>_input_ids}, ... for several inputs, {@code <set>_labels}, {@code <set>_ids}, {@code
 *       <set>_group_<grouping>}), see {@link Export#subsets};
 *   <li>{@code architecture.json}: the block tree, for people;
 *   <li>{@code checkpoint.json}, written last (its presence marks a complete checkpoint): the
 *       learning rate and step of the run at the checkpoint, the model kind, classes, input shape
 *       and (for kinds such as BERT) {@code model.config} to rebuild the block, the input distance
 *       by name with its parameters, the sets with their input names, the extra groupings with
 *       their group names, the grouping of the classes ({@code class_groups}: its name and each
 *       group's name and class indices), the pairings, the statistics settings and the Gram
 *       options.
 * </ul>
 *
 * <p>A reader rebuilds model kinds and input distances through a {@link CheckpointKinds} registry
 * given by the application: the library does not know the BERT encoder.
 *
 * <p>The subsets are the same at every checkpoint of an experiment: later checkpoints hard-link the
 * first one's file (a copy where links are not possible), so each directory stays self-contained.
 */
public final class SavedCheckpoint implements AutoCloseable {
  /** The description file. */
  public static final String DESCRIPTION = "checkpoint.json";

  /** The paper's vision measurement: one input, cosine-of-inputs, no groupings, no model config. */
  static final String FORMAT = "stiffness-checkpoint/1";

  /**
   * Adds several named inputs per set, extra groupings, {@code model.config} and {@code
   * input_distance_parameters}; used only by checkpoints that need one of them.
   */
  static final String FORMAT_2 = "stiffness-checkpoint/2";

  private static final String PARAMETERS = "parameters.npz";
  private static final String SUBSETS = "subsets.npz";

  /** The loss the recorded gradients are of: the one loss the engine computes. */
  private static final String LOSS = "softmax-cross-entropy";

  private final Path directory;
  private final JsonNode descriptionJson;
  private final CheckpointDescription description;
  private final NDManager manager;
  private final Block model;
  private final Measured measured;

  private SavedCheckpoint(
      Path directory,
      JsonNode descriptionJson,
      CheckpointDescription description,
      NDManager manager,
      Block model,
      Measured measured) {
    this.directory = directory;
    this.descriptionJson = descriptionJson;
    this.description = description;
    this.manager = manager;
    this.model = model;
    this.measured = measured;
  }

  /** {@code checkpoints/lr=.../step=...} for the matrices directory {@code matrices/lr=...}. */
  static String directoryOf(String checkpointDir) {
    return checkpointDir.startsWith("matrices/")
        ? "checkpoints/" + checkpointDir.substring("matrices/".length())
        : "checkpoints/" + checkpointDir;
  }

  /**
   * What a measurement is made of, as saved with a checkpoint.
   *
   * @param sets the measured sets, in order
   * @param pairings the pairings, in summary order
   * @param groupings extra groupings every set carries
   * @param distance the input distance (its name and parameters are recorded)
   * @param settings statistics settings and Gram options
   */
  record Measured(
      List<MeasuredSet> sets,
      List<PairingSpec> pairings,
      List<Grouping> groupings,
      InputDistance distance,
      MeasurementSettings settings) {}

  /**
   * Writes a checkpoint directory.
   *
   * @param at the run's learning rate and step, recorded in {@code checkpoint.json} (a reader never
   *     takes them from the directory's name, which a copy may change)
   * @param subsetsToLink an earlier checkpoint's {@code subsets.npz} of the same sets, or null
   * @return the {@code subsets.npz} written (to pass as {@code subsetsToLink} next time)
   */
  static Path save(
      Path dir,
      Block model,
      CheckpointModel modelKind,
      int classes,
      Measured measured,
      CheckpointId at,
      Path subsetsToLink)
      throws IOException {
    List<MeasuredSet> sets = measured.sets();
    MeasurementSettings settings = measured.settings();
    Files.createDirectories(dir);
    Export.parameters(dir.resolve(PARAMETERS), model);
    Path subsets = dir.resolve(SUBSETS);
    if (subsetsToLink == null || !link(subsets, subsetsToLink)) {
      Export.subsets(subsets, sets);
    }
    Export.architecture(
        dir.resolve("architecture.json"), model, sets.get(0).examples(), modelKind.kind());

    ObjectNode modelConfig = modelKind.config(model);
    ObjectNode distanceParameters = measured.distance().parameters();
    boolean multiInput = sets.get(0).examples().inputs().size() > 1;
    // Version 1 where a version-1 reader reads the file right (the paper's vision measurement);
    // version 2 for groupings and class groups, which such a reader would silently drop, and the
    // other additions.
    boolean v1 =
        modelConfig == null
            && distanceParameters == null
            && !multiInput
            && measured.groupings().isEmpty()
            && settings.classGroups() == null
            && InputDistance.COSINE_OF_INPUTS.equals(measured.distance().name());
    List<CheckpointDescription.SetEntry> setEntries = new ArrayList<>();
    for (MeasuredSet s : sets) {
      setEntries.add(
          new CheckpointDescription.SetEntry(
              s.name(),
              s.examples().size(),
              multiInput ? Export.inputNames(s.examples().inputs()) : null));
    }
    List<CheckpointDescription.GroupingEntry> groupings = null;
    if (!measured.groupings().isEmpty()) {
      groupings = new ArrayList<>();
      for (Grouping g : measured.groupings()) {
        groupings.add(new CheckpointDescription.GroupingEntry(g.name(), g.groupNames()));
      }
    }
    CriticalLength.Config cl = settings.criticalLength();
    GramOptions g = settings.gram();
    CheckpointDescription root =
        new CheckpointDescription(
            v1 ? FORMAT : FORMAT_2,
            at.checkpointDir(),
            at.lr(),
            at.step(),
            new CheckpointDescription.Model(
                modelKind.kind(),
                classes,
                sets.get(0).examples().inputs().head().getShape().slice(1).getShape(),
                modelConfig),
            LOSS,
            measured.distance().name(),
            distanceParameters,
            setEntries,
            groupings,
            settings.classGroups() == null
                ? null
                : CheckpointDescription.ClassGroupsEntry.of(settings.classGroups()),
            measured.pairings(),
            new CheckpointDescription.Statistics(
                settings.bins().edges(),
                new CheckpointDescription.CriticalLengthEntry(
                    cl.measure().name().toLowerCase(Locale.ROOT),
                    cl.windowLo(),
                    cl.windowHi(),
                    cl.resamples(),
                    cl.confidence(),
                    cl.seed(),
                    cl.minPairs()),
                settings.pairMatrices()),
            new CheckpointDescription.Gram(
                g.memoryBudgetBytes(),
                g.precision().name().toLowerCase(Locale.ROOT),
                g.strategy().name().toLowerCase(Locale.ROOT),
                g.blockSize(),
                g.passSize()),
            List.of(
                new CheckpointDescription.FileEntry(PARAMETERS, Sha256.of(dir.resolve(PARAMETERS))),
                new CheckpointDescription.FileEntry(SUBSETS, Sha256.of(subsets))));
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
   * Reads a checkpoint directory: rebuilds the model with the saved parameters, the sets with their
   * groupings, and the input distance, on the CPU (the engine copies what it needs to its device).
   *
   * @param kinds the model kinds and input distances this reader knows
   * @throws IOException naming the file and what is wrong with it (for {@code checkpoint.json} the
   *     field)
   */
  public static SavedCheckpoint load(Path dir, CheckpointKinds kinds) throws IOException {
    Path file = dir.resolve(DESCRIPTION);
    if (!Files.isRegularFile(file)) {
      throw new IOException(
          dir
              + " is not a saved checkpoint: "
              + DESCRIPTION
              + " is missing (vision or nlp"
              + " --save-checkpoints writes checkpoints/lr=.../step=.../)");
    }
    JsonNode root = JsonSummary.read(file);
    JsonFields f = new JsonFields(file, root);
    String format = f.text("format");
    if (!FORMAT.equals(format) && !FORMAT_2.equals(format)) {
      throw f.bad("format", "'" + FORMAT + "' or '" + FORMAT_2 + "'", "'" + format + "'");
    }
    CheckpointDescription d = JsonRecords.read(f, CheckpointDescription.class);
    checkFiles(f, dir, d.files());
    requireNonEmpty(f, "model.input_shape", d.model().inputShape().length);
    for (long extent : d.model().inputShape()) {
      if (extent < 1) {
        throw f.bad(
            "model.input_shape", "positive integers", root.at("/model/input_shape").toString());
      }
    }
    requireNonEmpty(f, "sets", d.sets().size());
    requireNonEmpty(f, "pairings", d.pairings().size());
    requireNonEmpty(f, "statistics.distance_bin_edges", d.statistics().distanceBinEdges().length);
    List<Grouping> groupings = new ArrayList<>();
    if (d.groupings() != null) { // version 1: none
      for (int k = 0; k < d.groupings().size(); k++) {
        CheckpointDescription.GroupingEntry g = d.groupings().get(k);
        requireNonEmpty(f, "groupings." + k + ".groups", g.groups().size());
        groupings.add(new Grouping(g.name(), g.groups()));
      }
    }
    InputDistance distance = kinds.buildDistance(f);
    MeasurementSettings settings =
        settings(f, d.statistics(), d.gram())
            .withClassGroups(classGroups(f, d.model().classes(), d.classGroups()));
    Block model = kinds.buildModel(f);
    NDManager manager = NDManager.newBaseManager(Device.cpu());
    try {
      List<MeasuredSet> sets = loadSets(dir.resolve(SUBSETS), d.sets(), groupings, manager);
      NDList first = sets.get(0).examples().inputs();
      Shape inputShape = new Shape(d.model().inputShape());
      if (!first.head().getShape().slice(1).equals(inputShape)) {
        throw f.bad(
            "model.input_shape",
            "the shape of one example of " + SUBSETS + " " + first.head().getShape().slice(1),
            inputShape.toString());
      }
      // One (1, ...) shape per model input, as the saved arrays have them (BERT has three).
      Shape[] shapes = new Shape[first.size()];
      for (int k = 0; k < shapes.length; k++) {
        shapes[k] = new Shape(1).addAll(first.get(k).getShape().slice(1));
      }
      model.initialize(manager, DataType.FLOAT32, shapes);
      loadParameters(dir.resolve(PARAMETERS), model, manager);
      return new SavedCheckpoint(
          dir,
          root,
          d,
          manager,
          model,
          new Measured(sets, d.pairings(), groupings, distance, settings));
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * Checks each data file against the SHA-256 {@code checkpoint.json} records for it, before any is
   * decoded: a truncation or a flipped byte is named here instead of surfacing as a decoder's error
   * or, worse, as a slightly different model. A checkpoint saved before the hashes were recorded
   * ({@code files} absent) is read unchecked.
   */
  private static void checkFiles(
      JsonFields f, Path dir, List<CheckpointDescription.FileEntry> files) throws IOException {
    if (files == null) {
      return;
    }
    List<String> names = new ArrayList<>();
    for (int k = 0; k < files.size(); k++) {
      CheckpointDescription.FileEntry e = files.get(k);
      if (!e.name().equals(PARAMETERS) && !e.name().equals(SUBSETS)) {
        throw f.bad("files." + k + ".name", PARAMETERS + " or " + SUBSETS, "'" + e.name() + "'");
      }
      names.add(e.name());
      Path file = dir.resolve(e.name());
      if (!Files.isRegularFile(file)) {
        throw new IOException(file + " is missing (" + DESCRIPTION + " lists it)");
      }
      String actual = Sha256.of(file);
      if (!actual.equalsIgnoreCase(e.sha256())) {
        throw new IOException(
            file
                + ": damaged or changed since it was saved: its SHA-256 is "
                + actual
                + ", "
                + DESCRIPTION
                + " records "
                + e.sha256());
      }
    }
    if (!names.containsAll(List.of(PARAMETERS, SUBSETS))) {
      throw f.bad("files", "the SHA-256 of " + PARAMETERS + " and " + SUBSETS, names.toString());
    }
  }

  /**
   * An {@code .npz} file decoded, or an error naming it: DJL's decoder says only "Invalid NDArray
   * input" for a truncated or damaged file.
   */
  private static NDList decodeNpz(Path file, NDManager manager) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    try {
      return NDList.decode(manager, bytes);
    } catch (RuntimeException e) {
      throw new IOException(
          file
              + ": not a readable .npz ("
              + bytes.length
              + " bytes; truncated or damaged: "
              + e.getMessage()
              + ")",
          e);
    }
  }

  /**
   * The recorded grouping of the classes, or null (none recorded): every class of {@code
   * model.classes} in exactly one group.
   */
  private static ClassGroups classGroups(
      JsonFields f, int classes, CheckpointDescription.ClassGroupsEntry entry) throws IOException {
    if (entry == null) {
      return null;
    }
    requireNonEmpty(f, "class_groups.groups", entry.groups().size());
    List<String> names = new ArrayList<>();
    int[] groupOf = new int[classes];
    Arrays.fill(groupOf, -1);
    for (int g = 0; g < entry.groups().size(); g++) {
      String field = "class_groups.groups." + g + ".classes";
      CheckpointDescription.ClassGroupEntry group = entry.groups().get(g);
      names.add(group.name());
      if (group.classes().length == 0) {
        throw f.bad(field, "at least one class", "[]");
      }
      for (int c : group.classes()) {
        if (c < 0 || c >= classes) {
          throw f.bad(field, "classes 0.." + (classes - 1), Integer.toString(c));
        }
        if (groupOf[c] >= 0) {
          throw f.bad(
              field,
              "each class in one group",
              "class " + c + " again (it is in group " + groupOf[c] + ")");
        }
        groupOf[c] = g;
      }
    }
    for (int c = 0; c < classes; c++) {
      if (groupOf[c] < 0) {
        throw f.bad("class_groups.groups", "every class in a group", "class " + c + " in none");
      }
    }
    try {
      return new ClassGroups(entry.name(), names, groupOf);
    } catch (IllegalArgumentException e) {
      throw f.bad("class_groups.groups", "distinct, non-blank group names", e.getMessage());
    }
  }

  private static Precision precision(JsonFields f, String value) throws IOException {
    try {
      return Precision.parse(value);
    } catch (IllegalArgumentException e) {
      throw f.bad("gram.precision", "a precision", "'" + value + "' (" + e.getMessage() + ")");
    }
  }

  private static void requireNonEmpty(JsonFields f, String path, int length) throws IOException {
    if (length == 0) {
      throw f.bad(path, "a non-empty array", "[]");
    }
  }

  /**
   * The constant of {@code type} named {@code value} in lower case ({@code cosine}, {@code auto}).
   */
  private static <E extends Enum<E>> E parse(JsonFields f, String path, Class<E> type, String value)
      throws IOException {
    for (E e : type.getEnumConstants()) {
      if (e.name().toLowerCase(Locale.ROOT).equals(value.toLowerCase(Locale.ROOT))) {
        return e;
      }
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) {
      names.add(e.name().toLowerCase(Locale.ROOT));
    }
    throw f.bad(path, "one of " + names, "'" + value + "'");
  }

  private static MeasurementSettings settings(
      JsonFields f, CheckpointDescription.Statistics statistics, CheckpointDescription.Gram g)
      throws IOException {
    CheckpointDescription.CriticalLengthEntry xi = statistics.criticalLength();
    CriticalLength.Config cl =
        new CriticalLength.Config(
            parse(f, "statistics.critical_length.measure", StiffnessMeasure.class, xi.measure()),
            xi.windowLo(),
            xi.windowHi(),
            xi.resamples(),
            xi.confidence(),
            xi.seed(),
            xi.minPairs());
    GramOptions gram =
        new GramOptions(
            g.memoryBudget(),
            precision(f, g.precision()),
            parse(f, "gram.strategy", LayerStrategy.class, g.strategy()),
            g.blockSize(),
            g.passSize());
    DistanceBins bins;
    try {
      bins = DistanceBins.of(statistics.distanceBinEdges());
    } catch (IllegalArgumentException e) {
      throw f.bad(
          "statistics.distance_bin_edges",
          "at least 2 finite, strictly increasing edges",
          Arrays.toString(statistics.distanceBinEdges()));
    }
    return new MeasurementSettings(bins, cl, gram, statistics.pairMatrices(), false, null, null);
  }

  private static void loadParameters(Path file, Block model, NDManager manager) throws IOException {
    NDList saved = decodeNpz(file, manager);
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
      ParameterValues.overwrite(target, value);
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

  private static List<MeasuredSet> loadSets(
      Path file,
      List<CheckpointDescription.SetEntry> entries,
      List<Grouping> groupings,
      NDManager manager)
      throws IOException {
    NDList arrays = decodeNpz(file, manager);
    List<MeasuredSet> out = new ArrayList<>();
    for (CheckpointDescription.SetEntry s : entries) {
      String name = s.name();
      // Version 1 sets have one input, <set>_inputs; several are named in sets[k].inputs.
      List<String> inputNames = s.inputs() != null ? s.inputs() : List.of("inputs");
      NDList inputs = new NDList();
      for (String input : inputNames) {
        NDArray a = require(file, arrays, name + "_" + input);
        if (a.getShape().get(0) != s.size()) {
          throw new IOException(
              file
                  + ": "
                  + name
                  + "_"
                  + input
                  + " has "
                  + a.getShape()
                  + ", the checkpoint says "
                  + s.size()
                  + " examples");
        }
        if (inputNames.size() > 1) {
          a.setName(input); // as the run fed it: distances find input_ids by name
        }
        inputs.add(a);
      }
      NDArray labels = require(file, arrays, name + "_labels");
      long[] ids = require(file, arrays, name + "_ids").toLongArray();
      Map<String, int[]> groups = new LinkedHashMap<>();
      for (Grouping g : groupings) {
        groups.put(
            g.name(),
            require(file, arrays, name + "_group_" + g.name())
                .toType(DataType.INT32, false)
                .toIntArray());
      }
      Examples examples = Examples.of(name, inputs, labels, ids);
      out.add(new MeasuredSet(examples, labels.toType(DataType.INT32, false).toIntArray(), groups));
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

  /** {@code checkpoint.json} as read, a JSON tree (copied into a shard's configuration). */
  public JsonNode descriptionJson() {
    return descriptionJson;
  }

  /** {@code checkpoint.json} as the record it was read into. */
  CheckpointDescription description() {
    return description;
  }

  /** The model kind recorded (for example {@code fc}). */
  public String modelKind() {
    return description.model().kind();
  }

  /** Number of classes n_c. */
  public int classes() {
    return description.model().classes();
  }

  /** Where the measurement wrote this checkpoint's matrices ({@code matrices/lr=.../step=...}). */
  public String checkpointDir() {
    return description.checkpointDir();
  }

  /**
   * The learning rate of the run the checkpoint was saved from, or null when {@code
   * checkpoint.json} does not record it (saved by a stiffness before it did).
   */
  public Double lr() {
    return description.lr();
  }

  /**
   * The optimiser steps taken before the checkpoint, or null when {@code checkpoint.json} does not
   * record them (saved by a stiffness before it did).
   */
  public Long step() {
    return description.step();
  }

  /** The frozen model with the saved parameters. */
  public Block model() {
    return model;
  }

  /** The measured sets exactly as they were fed. */
  public List<MeasuredSet> sets() {
    return measured.sets();
  }

  /** The pairings, in summary order. */
  public List<PairingSpec> pairings() {
    return measured.pairings();
  }

  /** The extra groupings recorded (e.g. genre), empty for a vision checkpoint. */
  public List<Grouping> groupings() {
    return measured.groupings();
  }

  /** The input distance rebuilt from its recorded name and parameters. */
  public InputDistance inputDistance() {
    return measured.distance();
  }

  /** The statistics settings and Gram options recorded (no export, no further checkpoints). */
  public MeasurementSettings settings() {
    return measured.settings();
  }

  /**
   * The design of the saved measurement (its sets, pairings, groupings, input distance and
   * statistics specs), on the CPU; the sets stay owned by this checkpoint, which must outlive it.
   */
  public MeasurementDesign design() {
    return new MeasurementDesign(
        m -> measured.sets(),
        measured.pairings(),
        measured.groupings(),
        measured.distance(),
        classes(),
        Device.cpu(),
        measured.settings().statistics(),
        false);
  }

  @Override
  public void close() {
    manager.close();
  }
}
