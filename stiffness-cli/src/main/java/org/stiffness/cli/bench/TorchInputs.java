package org.stiffness.cli.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.stiffness.gradients.Examples;
import org.stiffness.io.NpyWriter;

/**
 * Writes what the PyTorch script computes on, so that both sides of a comparison compute one thing:
 * the model's weights, the inputs and the labels, as {@code .npy} files, and a {@code
 * manifest.json} naming them.
 *
 * <p>Layout of {@code directory}: {@code inputs.npy} float32 {@code (N, D)} (the flattened inputs
 * the model is fed), {@code labels.npy} int64 {@code (N)}, {@code parameter-K.npy} float32, each
 * parameter flattened in the block's parameter order (DJL's dense and convolution layers keep
 * PyTorch's layouts and weight-then-bias order, so the script copies them in order, checking sizes
 * and names), and {@code manifest.json}: {@code {"model", "n", "inputs", "labels", "parameters":
 * [{"name", "file", "shape"}]}}.
 */
public final class TorchInputs {
  private TorchInputs() {}

  /**
   * @param model the script's name of the model ({@code fc}, {@code cnn})
   * @param block the initialised model
   * @param examples its inputs and class-index labels
   */
  public static void write(Path directory, String model, Block block, Examples examples)
      throws IOException {
    Files.createDirectories(directory);
    ObjectMapper json = new ObjectMapper();
    ObjectNode manifest = json.createObjectNode();
    manifest.put("model", model);
    manifest.put("n", examples.size());
    int n = examples.size();
    NpyWriter.write(
        directory.resolve("inputs.npy"), examples.flattenedInputs(), n, examples.inputWidth());
    long[] labels = new long[n];
    float[] given = examples.labels().toType(DataType.FLOAT32, false).toFloatArray();
    for (int i = 0; i < n; i++) {
      labels[i] = Math.round(given[i]);
    }
    NpyWriter.write(directory.resolve("labels.npy"), labels, n);
    manifest.put("inputs", "inputs.npy");
    manifest.put("labels", "labels.npy");
    ArrayNode parameters = manifest.putArray("parameters");
    int k = 0;
    for (Pair<String, Parameter> p : block.getParameters()) {
      NDArray value = p.getValue().getArray();
      String file = String.format(Locale.ROOT, "parameter-%03d.npy", k++);
      float[] values = value.toType(DataType.FLOAT32, false).toFloatArray();
      NpyWriter.write(directory.resolve(file), values, values.length);
      ObjectNode entry = parameters.addObject();
      entry.put("name", p.getKey());
      entry.put("file", file);
      ArrayNode shape = entry.putArray("shape");
      for (long d : value.getShape().getShape()) {
        shape.add(d);
      }
    }
    json.writeValue(directory.resolve("manifest.json").toFile(), manifest);
  }
}
