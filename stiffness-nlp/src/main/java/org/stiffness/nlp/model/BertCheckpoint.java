package org.stiffness.nlp.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Parameter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.stiffness.models.ParameterValues;

/**
 * HuggingFace BERT checkpoint directories: {@code config.json}, {@code model.safetensors} and (read
 * by the tokenisation code, not here) {@code tokenizer.json}.
 *
 * <p>Tensors map onto {@link BertClassifier} by name ({@link
 * BertClassifier#huggingFaceParameters()} after {@link CheckpointNames#canonical}). F32, F16 and
 * BF16 tensors are widened to float32 in Java. A checkpoint of a pre-trained encoder without
 * classifier loads with a fresh classifier; every other missing, unexpected or mis-shaped tensor is
 * listed in one {@link CheckpointMismatchException}, and nothing is loaded then.
 */
public final class BertCheckpoint {
  private static final Logger LOG = LoggerFactory.getLogger(BertCheckpoint.class);

  /** The HuggingFace model configuration file of a checkpoint folder. */
  public static final String CONFIG = "config.json";

  /** The weights file of a checkpoint folder. */
  public static final String WEIGHTS = "model.safetensors";

  /** The tokenizer file of a checkpoint folder. */
  public static final String TOKENIZER = "tokenizer.json";

  private BertCheckpoint() {}

  /**
   * A model read from a checkpoint directory.
   *
   * @param model the classifier, initialised and loaded
   * @param report what was loaded, left fresh and ignored
   */
  public record Loaded(BertClassifier model, LoadReport report) {
    /** The sizes from config.json. */
    public BertConfig config() {
      return model.config();
    }
  }

  /**
   * Builds the model described by {@code dir/config.json} in {@code manager} and loads {@code
   * dir/model.safetensors} into it.
   *
   * @param labels classifier outputs when config.json does not fix them ({@code id2label})
   */
  public static Loaded load(Path dir, NDManager manager, int labels) throws IOException {
    Path configFile = dir.resolve(CONFIG);
    Path weights = dir.resolve(WEIGHTS);
    for (Path required : new Path[] {configFile, weights}) {
      if (!Files.isRegularFile(required)) {
        throw new IllegalArgumentException(
            dir
                + ": not a HuggingFace BERT checkpoint directory, "
                + required.getFileName()
                + " is missing (expected "
                + CONFIG
                + " and "
                + WEIGHTS
                + ")");
      }
    }
    BertConfig config = BertConfig.fromConfigJson(configFile, labels);
    BertClassifier model = new BertClassifier(config);
    model.initialize(manager);
    return new Loaded(model, loadWeights(model, weights));
  }

  /**
   * Sets the parameters of an initialised model from a safetensors file.
   *
   * @throws CheckpointMismatchException listing every problem, before any parameter is changed
   */
  public static LoadReport loadWeights(BertClassifier model, Path safetensors) throws IOException {
    if (!model.isInitialized()) {
      throw new IllegalStateException(
          "initialise the model (model.initialize(manager)) before loading " + safetensors);
    }
    SafeTensors file = SafeTensors.open(safetensors);
    Map<String, Parameter> parameters = model.huggingFaceParameters();
    Map<String, SafeTensors.Entry> matched = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    List<String> ignored = new ArrayList<>();
    for (SafeTensors.Entry entry : file.entries().values()) {
      String name = CheckpointNames.canonical(entry.name());
      Parameter parameter = parameters.get(name);
      if (parameter == null) {
        if (CheckpointNames.ignorable(name)) {
          ignored.add(entry.name());
        } else {
          problems.add(
              "unexpected tensor " + entry.name() + " " + entry.dtype() + " " + entry.shapeText());
        }
        continue;
      }
      SafeTensors.Entry previous = matched.put(name, entry);
      if (previous != null) {
        problems.add(
            "tensors " + previous.name() + " and " + entry.name() + " both map to " + name);
      }
      long[] expected = parameter.getArray().getShape().getShape();
      if (!Arrays.equals(expected, entry.shape())) {
        problems.add(
            "shape mismatch for "
                + entry.name()
                + ": file "
                + entry.shapeText()
                + ", model "
                + Arrays.toString(expected));
      }
      if (!List.of("F32", "F16", "BF16", "F64").contains(entry.dtype())) {
        problems.add(
            "tensor "
                + entry.name()
                + " has dtype "
                + entry.dtype()
                + ", expected F32, F16 or BF16");
      }
    }
    List<String> fresh = new ArrayList<>();
    List<String> missingHead = new ArrayList<>();
    for (Map.Entry<String, Parameter> p : parameters.entrySet()) {
      if (matched.containsKey(p.getKey())) {
        continue;
      }
      String shape = Arrays.toString(p.getValue().getArray().getShape().getShape());
      if (CheckpointNames.classifierHead(p.getKey())) {
        missingHead.add(p.getKey());
      } else {
        problems.add("missing tensor " + p.getKey() + " " + shape);
      }
    }
    // A pre-trained encoder has no head at all; half a head is a broken checkpoint.
    long headSize = parameters.keySet().stream().filter(CheckpointNames::classifierHead).count();
    if (!missingHead.isEmpty() && missingHead.size() < headSize) {
      for (String name : missingHead) {
        problems.add(
            "missing tensor "
                + name
                + " "
                + Arrays.toString(parameters.get(name).getArray().getShape().getShape()));
      }
    } else {
      fresh.addAll(missingHead);
    }
    if (!problems.isEmpty()) {
      throw new CheckpointMismatchException(safetensors, problems);
    }
    List<String> loaded = new ArrayList<>();
    for (Map.Entry<String, SafeTensors.Entry> m : matched.entrySet()) {
      assign(parameters.get(m.getKey()), file.readFloats(m.getValue().name()));
      loaded.add(m.getKey());
    }
    if (!ignored.isEmpty()) {
      LOG.info(
          "{}: ignored {} tensors the classifier does not use: {}",
          safetensors,
          ignored.size(),
          ignored);
    }
    if (!fresh.isEmpty()) {
      LOG.info(
          "{}: no classifier head in the checkpoint, {} initialised afresh", safetensors, fresh);
    }
    return new LoadReport(safetensors, loaded, fresh, ignored);
  }

  private static void assign(Parameter parameter, float[] values) {
    NDArray array = parameter.getArray();
    try (NDManager scratch = array.getManager().newSubManager()) {
      ParameterValues.overwrite(array, scratch.create(values, array.getShape()));
    }
  }

  /**
   * Writes {@code dir/config.json} and {@code dir/model.safetensors} (float32, HuggingFace names of
   * {@code BertForSequenceClassification}), which {@link #load} and HuggingFace's {@code
   * from_pretrained} read back.
   */
  public static void save(BertClassifier model, Path dir) throws IOException {
    Files.createDirectories(dir);
    Map<String, SafeTensorsWriter.Tensor> tensors = new LinkedHashMap<>();
    for (Map.Entry<String, Parameter> p : model.huggingFaceParameters().entrySet()) {
      NDArray array = p.getValue().getArray();
      float[] values;
      if (array.getDataType() == DataType.FLOAT32) {
        values = array.toFloatArray();
      } else {
        try (NDArray narrowed = array.toType(DataType.FLOAT32, true)) {
          values = narrowed.toFloatArray();
        }
      }
      tensors.put(p.getKey(), new SafeTensorsWriter.Tensor(array.getShape().getShape(), values));
    }
    SafeTensorsWriter.write(dir.resolve(WEIGHTS), tensors);
    model.config().writeConfigJson(dir.resolve(CONFIG));
  }
}
