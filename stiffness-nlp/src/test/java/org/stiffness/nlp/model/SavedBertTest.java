package org.stiffness.nlp.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.stiffness.io.JsonFields;
import org.stiffness.io.JsonSummary;

class SavedBertTest {
  private static final Path FILE = Path.of("/saved/checkpoint.json");

  private static JsonFields recorded(ObjectNode config) {
    ObjectNode root = JsonSummary.mapper().createObjectNode();
    root.putObject("model").put("kind", SavedBert.KIND).put("classes", 3).set("config", config);
    return new JsonFields(FILE, root);
  }

  @Test
  void everyFieldOfTheConfigurationSurvivesTheRecord() throws IOException {
    // No field at its preset value, floats that are not round in binary: a dropped or swapped
    // field, or a float that does not narrow back exactly, changes the record.
    BertConfig c = new BertConfig(101, 24, 3, 4, 40, 77, 3, 1.7e-7f, 3, 0.13f);
    assertEquals(c, SavedBert.read(3, recorded(SavedBert.describe(c))));
  }

  @Test
  void aMissingFieldOrOtherLabelCountNamesTheFileAndTheField() {
    ObjectNode config = SavedBert.describe(BertConfig.tiny());
    config.remove("num_attention_heads");
    IOException missing =
        assertThrows(IOException.class, () -> SavedBert.read(3, recorded(config)));
    assertEquals(
        FILE + ": field 'model.config.num_attention_heads' is missing", missing.getMessage());

    IOException labels =
        assertThrows(
            IOException.class,
            () -> SavedBert.read(10, recorded(SavedBert.describe(BertConfig.tiny()))));
    assertTrue(
        labels.getMessage().startsWith(FILE + ": field 'model.config.num_labels'"),
        labels.getMessage());

    ObjectNode odd = SavedBert.describe(BertConfig.tiny()).put("num_attention_heads", 5);
    IOException invalid = assertThrows(IOException.class, () -> SavedBert.read(3, recorded(odd)));
    assertTrue(
        invalid.getMessage().startsWith(FILE + ": field 'model.config': invalid BERT"),
        invalid.getMessage());
  }
}
