package org.stiffness.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.gram.GramOptions;
import org.stiffness.io.JsonSummary;
import org.stiffness.jobs.Shard;
import org.stiffness.summary.ExperimentSummary;

/**
 * A merged measurement says which learning rate and step it measured from what {@code
 * checkpoint.json} records, never from the checkpoint's directory name, which a copy or a rename
 * changes; a checkpoint saved before those fields existed still merges, with them unknown.
 */
class MergedCheckpointTest {
  @TempDir static Path saved;
  @TempDir Path temp;
  private static Path checkpoint;

  @BeforeAll
  static void saveACheckpointAtLearningRate003Step7() throws IOException {
    MeasurementSettings settings =
        MeasurementSettings.defaults()
            .withGram(GramOptions.defaults().withBlockSize(16))
            .withCheckpoints("mlp");
    checkpoint = SmallCheckpoint.save(saved, settings, 0.03, 7);
  }

  /** A copy of the saved checkpoint under a path that names another learning rate and step. */
  private Path misleadingCopy() throws IOException {
    Path copy = temp.resolve("copied/lr=0.5/step=000999");
    Files.createDirectories(copy);
    try (var files = Files.list(checkpoint)) {
      for (Path f : files.toList()) {
        Files.copy(f, copy.resolve(f.getFileName()));
      }
    }
    return copy;
  }

  /**
   * measure (one shard) and merge of {@code from}, the merge's status lines into {@code status}.
   */
  private ExperimentSummary measureAndMerge(Path from, List<String> status) throws IOException {
    Path out = temp.resolve("measurement");
    CheckpointKinds kinds = CheckpointKinds.of((kind, classes) -> SmallCheckpoint.model(classes));
    try (SavedCheckpoint c = SavedCheckpoint.load(from, kinds)) {
      TiledMeasurement.measure(
          c,
          c.settings().gram(),
          Device.cpu(),
          out,
          Shard.ALL,
          TiledMeasurement.Outputs.defaults(),
          (done, of) -> {});
    }
    return TiledMeasurement.merge(out, null, kinds, status::add);
  }

  @Test
  void theLearningRateAndStepComeFromCheckpointJsonWhereverTheDirectoryIs() throws IOException {
    List<String> status = new ArrayList<>();
    ExperimentSummary summary = measureAndMerge(misleadingCopy(), status);
    assertEquals(0.03, summary.runs().get(0).lr());
    assertEquals(7L, summary.runs().get(0).checkpoints().get(0).step());
    assertTrue(status.stream().noneMatch(l -> l.contains("records no")), status.toString());
  }

  @Test
  void aCheckpointSavedBeforeTheyWereRecordedMergesWithThemUnknown() throws IOException {
    Path copy = misleadingCopy();
    Path description = copy.resolve(SavedCheckpoint.DESCRIPTION);
    ObjectNode root = (ObjectNode) JsonSummary.mapper().readTree(description.toFile());
    root.remove(List.of("lr", "step"));
    Files.writeString(description, root.toPrettyString());
    List<String> status = new ArrayList<>();
    ExperimentSummary summary = measureAndMerge(copy, status);
    assertTrue(Double.isNaN(summary.runs().get(0).lr()));
    assertNull(summary.runs().get(0).checkpoints().get(0).step());
    List<String> said = status.stream().filter(l -> l.contains("records no")).toList();
    assertEquals(1, said.size(), status.toString());
    assertTrue(said.get(0).startsWith(description.toString()), said.get(0));
    // In summary.json both are null, as the loss and accuracy a checkpoint cannot give.
    JsonNode written =
        JsonSummary.mapper().readTree(temp.resolve("measurement/summary.json").toFile());
    assertTrue(written.at("/runs/0/lr").isNull(), written.at("/runs/0").toString());
    assertTrue(written.at("/runs/0/checkpoints/0/step").isNull());
    assertTrue(written.at("/runs/0/checkpoints/0/train_loss").isNull());
  }
}
