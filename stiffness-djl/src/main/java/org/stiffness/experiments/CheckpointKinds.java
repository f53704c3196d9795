package org.stiffness.experiments;

import ai.djl.nn.Block;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.stiffness.io.JsonFields;

/**
 * The model kinds and input distances a reader of saved checkpoints knows, by the names {@code
 * checkpoint.json} records ({@code model.kind}, {@code input_distance}). The library cannot know
 * every model (the BERT encoder lives in a module that depends on this one), so the application
 * registers them; {@code cosine-of-inputs} is always known. The one registry {@link
 * SavedCheckpoint#load} reads checkpoints with: models by name ({@link #model}), the rest by kind
 * and class count ({@link ClassCountModels}), and distances by name.
 */
public final class CheckpointKinds {
  /**
   * Makes an uninitialised model from its kind and class count alone, e.g. {@code (fc, 10) ->}
   * stiffness-vision's {@code PaperModels...}: the kinds not registered by name.
   */
  @FunctionalInterface
  public interface ClassCountModels {
    /**
     * @throws IllegalArgumentException for an unknown kind
     */
    Block build(String kind, int classes);
  }

  /** Builds an uninitialised model of one kind from the checkpoint's description. */
  @FunctionalInterface
  public interface ModelBuilder {
    /**
     * @param classes the recorded number of classes ({@code model.classes})
     * @param fields {@code checkpoint.json}, e.g. to read {@code model.config.*}
     * @throws IOException naming the file and the field when a needed field is missing or bad
     */
    Block build(int classes, JsonFields fields) throws IOException;
  }

  /** Rebuilds an input distance from the checkpoint's description. */
  @FunctionalInterface
  public interface DistanceBuilder {
    /**
     * @param fields {@code checkpoint.json}, e.g. to read {@code input_distance_parameters.*}
     * @throws IOException naming the file and the field when a needed field is missing or bad
     */
    InputDistance build(JsonFields fields) throws IOException;
  }

  private final ClassCountModels classModels;
  private final Map<String, ModelBuilder> models = new LinkedHashMap<>();
  private final Map<String, DistanceBuilder> distances = new LinkedHashMap<>();

  private CheckpointKinds(ClassCountModels classModels) {
    this.classModels = classModels;
    distances.put(InputDistance.COSINE_OF_INPUTS, f -> InputDistance.cosineOfInputs());
  }

  /**
   * A registry whose unregistered model kinds go to {@code classModels} (kind and class count, the
   * vision models), or to nothing with null.
   */
  public static CheckpointKinds of(ClassCountModels classModels) {
    return new CheckpointKinds(classModels);
  }

  /** Registers a model kind (it takes precedence over the class-count models). */
  public CheckpointKinds model(String kind, ModelBuilder builder) {
    models.put(Objects.requireNonNull(kind, "kind"), Objects.requireNonNull(builder, "builder"));
    return this;
  }

  /** Registers an input distance by its {@link InputDistance#name()}. */
  public CheckpointKinds distance(String name, DistanceBuilder builder) {
    distances.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(builder, "builder"));
    return this;
  }

  Block buildModel(JsonFields f) throws IOException {
    String kind = f.text("model.kind");
    int classes = f.integer("model.classes");
    ModelBuilder builder = models.get(kind);
    if (builder != null) {
      return builder.build(classes, f);
    }
    if (classModels == null) {
      throw f.bad("model.kind", "one of " + models.keySet(), "'" + kind + "'");
    }
    try {
      return classModels.build(kind, classes);
    } catch (IllegalArgumentException e) {
      throw f.bad("model.kind", "a known model kind", "'" + kind + "' (" + e.getMessage() + ")");
    }
  }

  InputDistance buildDistance(JsonFields f) throws IOException {
    String name = f.text("input_distance");
    DistanceBuilder builder = distances.get(name);
    if (builder == null) {
      throw f.bad("input_distance", "one of " + distances.keySet(), "'" + name + "'");
    }
    return builder.build(f);
  }
}
