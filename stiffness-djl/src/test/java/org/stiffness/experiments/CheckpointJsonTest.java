package org.stiffness.experiments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.stiffness.io.JsonFields;
import org.stiffness.io.JsonRecords;
import org.stiffness.io.JsonSummary;
import org.stiffness.summary.PairingSpec;

/**
 * {@code checkpoint.json} and {@code measurement.json} as Jackson records: what is written is read
 * back as it was, a version-1 file (no optional fields) still reads, and a missing or ill-typed
 * field is refused naming the file and the field's dotted path.
 */
class CheckpointJsonTest {
  @TempDir Path dir;

  /** A version-2 description with every optional field, as an nlp run writes it. */
  private static CheckpointDescription full() {
    ObjectNode config = JsonSummary.mapper().createObjectNode().put("hidden_size", 32);
    ObjectNode parameters = JsonSummary.mapper().createObjectNode();
    parameters.putArray("ignored_token_ids").add(0).add(2);
    return new CheckpointDescription(
        SavedCheckpoint.FORMAT_2,
        "matrices/lr=0.0001/step=000006",
        1e-4,
        6L,
        new CheckpointDescription.Model("bert", 3, new long[] {48}, config),
        "softmax-cross-entropy",
        "bag-of-tokens",
        parameters,
        List.of(
            new CheckpointDescription.SetEntry(
                "train", 6, List.of("input_ids", "token_type_ids", "attention_mask")),
            new CheckpointDescription.SetEntry(
                "val_mismatched", 6, List.of("input_ids", "token_type_ids", "attention_mask"))),
        List.of(new CheckpointDescription.GroupingEntry("genre", List.of("fiction", "slate"))),
        new CheckpointDescription.ClassGroupsEntry(
            "agreement",
            List.of(
                new CheckpointDescription.ClassGroupEntry("entailment", new int[] {0}),
                new CheckpointDescription.ClassGroupEntry("other", new int[] {1, 2}))),
        List.of(new PairingSpec("train", "train"), new PairingSpec("train", "val_mismatched")),
        new CheckpointDescription.Statistics(
            new double[] {0, 0.5, 1},
            new CheckpointDescription.CriticalLengthEntry("cosine", 0, 2, 200, 0.95, 7, 10),
            true),
        new CheckpointDescription.Gram(0, "fp32", "auto", 2, 2),
        List.of(new CheckpointDescription.FileEntry("parameters.npz", "00ff")));
  }

  private JsonFields written(Object record) throws IOException {
    Path file = dir.resolve("checkpoint.json");
    JsonSummary.write(file, record);
    return new JsonFields(file, JsonSummary.mapper().readTree(file.toFile()));
  }

  @Test
  void aWrittenDescriptionReadsBackAsItWas() throws IOException {
    CheckpointDescription d = full();
    JsonFields f = written(d);
    CheckpointDescription back = JsonRecords.read(f, CheckpointDescription.class);
    // The records hold arrays (compared by reference), so compare what they write.
    assertEquals(JsonSummary.toTree(d), JsonSummary.toTree(back));
    assertEquals(48, back.model().inputShape()[0]);
    assertEquals(new PairingSpec("train", "val_mismatched"), back.pairings().get(1));
  }

  @Test
  void theFileHasTheLayoutOfTheHandWrittenVersion() throws IOException {
    JsonNode root = written(full()).root();
    assertEquals(
        List.of(
            "format",
            "checkpoint_dir",
            "lr",
            "step",
            "model",
            "loss",
            "input_distance",
            "input_distance_parameters",
            "sets",
            "groupings",
            "class_groups",
            "pairings",
            "statistics",
            "gram",
            "files"),
        names(root));
    assertEquals(
        "[{\"name\":\"parameters.npz\",\"sha256\":\"00ff\"}]", root.get("files").toString());
    assertEquals(List.of("kind", "classes", "input_shape", "config"), names(root.get("model")));
    assertEquals(
        List.of("distance_bin_edges", "critical_length", "pair_matrices"),
        names(root.get("statistics")));
    assertEquals(
        List.of(
            "measure", "window_lo", "window_hi", "resamples", "confidence", "seed", "min_pairs"),
        names(root.get("statistics").get("critical_length")));
    assertEquals(
        List.of("memory_budget", "precision", "strategy", "block_size", "pass_size"),
        names(root.get("gram")));
    assertEquals(List.of("rows", "cols"), names(root.get("pairings").get(0)));
    assertEquals(
        "{\"name\":\"other\",\"classes\":[1,2]}",
        root.get("class_groups").get("groups").get(1).toString());
  }

  @Test
  void aVersionOneDescriptionLeavesTheOptionalFieldsOut() throws IOException {
    CheckpointDescription full = full();
    CheckpointDescription v1 =
        new CheckpointDescription(
            SavedCheckpoint.FORMAT,
            full.checkpointDir(),
            full.lr(),
            full.step(),
            new CheckpointDescription.Model("fc", 10, new long[] {64}, null),
            full.loss(),
            InputDistance.COSINE_OF_INPUTS,
            null,
            List.of(new CheckpointDescription.SetEntry("train", 100, null)),
            null,
            null,
            List.of(new PairingSpec("train", "train")),
            full.statistics(),
            full.gram(),
            null);
    JsonFields f = written(v1);
    for (String absent :
        List.of(
            "input_distance_parameters",
            "groupings",
            "class_groups",
            "model.config",
            "sets.0.inputs",
            "files")) {
      assertFalse(f.has(absent), absent);
    }
    CheckpointDescription back = JsonRecords.read(f, CheckpointDescription.class);
    assertNull(back.groupings());
    assertNull(back.sets().get(0).inputs());
    assertNull(back.files(), "a checkpoint saved before the hashes reads without them");
  }

  @Test
  void theLearningRateAndStepAreFieldsOfTheirOwn() throws IOException {
    JsonNode root = written(full()).root();
    assertEquals(1e-4, root.get("lr").doubleValue());
    assertTrue(root.get("step").isIntegralNumber());
    assertEquals(6, root.get("step").longValue());
  }

  @Test
  void aDescriptionWrittenBeforeTheLearningRateAndStepWereRecordedReadsWithoutThem()
      throws IOException {
    JsonFields f = written(full());
    ((ObjectNode) f.root()).remove(List.of("lr", "step"));
    CheckpointDescription back = JsonRecords.read(f, CheckpointDescription.class);
    assertNull(back.lr());
    assertNull(back.step());
    assertEquals(full().checkpointDir(), back.checkpointDir());
  }

  @Test
  void aStepThatIsNotAnIntegerIsRefused() throws IOException {
    JsonFields f = written(full());
    ((ObjectNode) f.root()).put("step", 6.5);
    IOException e =
        assertThrows(IOException.class, () -> JsonRecords.read(f, CheckpointDescription.class));
    assertEquals(f.file() + ": field 'step': expected an integer, found 6.5", e.getMessage());
  }

  @Test
  void aMissingFieldIsNamedWithItsFile() throws IOException {
    JsonFields f = written(full());
    ((ObjectNode) f.root().get("gram")).remove("block_size");
    IOException e =
        assertThrows(IOException.class, () -> JsonRecords.read(f, CheckpointDescription.class));
    assertEquals(f.file() + ": field 'gram.block_size' is missing", e.getMessage());
  }

  @Test
  void anIllTypedFieldIsNamedWithWhatWasExpectedAndFound() throws IOException {
    JsonFields f = written(full());
    ((ObjectNode) f.root().get("sets").get(1)).put("size", "six");
    IOException e =
        assertThrows(IOException.class, () -> JsonRecords.read(f, CheckpointDescription.class));
    assertEquals(
        f.file() + ": field 'sets.1.size': expected an integer, found \"six\"", e.getMessage());
  }

  @Test
  void aNumberWhereTextIsExpectedIsRefusedNotCoerced() throws IOException {
    JsonFields f = written(full());
    ((ObjectNode) f.root().get("model")).put("kind", 7);
    IOException e =
        assertThrows(IOException.class, () -> JsonRecords.read(f, CheckpointDescription.class));
    assertEquals(f.file() + ": field 'model.kind': expected a string, found 7", e.getMessage());
  }

  @Test
  void aSetNameWithThePairingSeparatorIsRefusedAtItsField() throws IOException {
    JsonFields f = written(full());
    ((ObjectNode) f.root().get("pairings").get(1)).put("cols", "val-mismatched");
    IOException e =
        assertThrows(IOException.class, () -> JsonRecords.read(f, CheckpointDescription.class));
    assertEquals(
        f.file()
            + ": field 'pairings.1': set name 'val-mismatched' cannot be paired: set names are"
            + " non-empty and have no '-', which separates the two sets in a pairing key"
            + " (train-val)",
        e.getMessage());
  }

  @Test
  void fieldsOfALaterVersionAreIgnored() throws IOException {
    JsonFields f = written(full());
    ((ObjectNode) f.root()).putObject("a_later_field").put("name", "coarse");
    assertEquals(
        JsonSummary.toTree(full()),
        JsonSummary.toTree(JsonRecords.read(f, CheckpointDescription.class)));
  }

  @Test
  void aMeasurementDescriptionReadsBackAsItWas() throws IOException {
    MeasurementDescription m =
        new MeasurementDescription(
            TiledMeasurement.FORMAT,
            "ab12",
            "/runs/checkpoints/lr=0.01/step=000041",
            "cpu",
            "cpu; PyTorch 2.7.1; oneDNN ISA AVX",
            "probe",
            "host",
            false,
            "fp32",
            "auto",
            2L << 30,
            0.0,
            2,
            List.of(
                new MeasurementDescription.PlannedPairing(
                    "train-val", "train", "val", 100, 60, false, 40, 40, 6, 0)),
            6);
    Path file = dir.resolve(TiledMeasurement.FILE);
    JsonSummary.write(file, m);
    JsonNode root = JsonSummary.mapper().readTree(file.toFile());
    assertEquals(
        List.of(
            "format",
            "config_hash",
            "checkpoint",
            "device_type",
            "device",
            "method",
            "reduction",
            "gram_tiles",
            "precision",
            "strategy",
            "memory_budget",
            "norm_tolerance",
            "shards",
            "pairings",
            "jobs"),
        names(root));
    assertEquals(
        List.of(
            "key",
            "rows",
            "cols",
            "row_count",
            "col_count",
            "symmetric",
            "block_size",
            "pass_size",
            "tiles",
            "first_job"),
        names(root.get("pairings").get(0)));
    MeasurementDescription back =
        JsonRecords.read(new JsonFields(file, root), MeasurementDescription.class);
    assertEquals(m, back);
    assertEquals(60, back.pairings().get(0).plan().cols());
  }

  private static List<String> names(JsonNode object) {
    List<String> out = new ArrayList<>();
    object.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
