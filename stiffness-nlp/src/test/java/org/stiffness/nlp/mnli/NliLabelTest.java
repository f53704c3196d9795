package org.stiffness.nlp.mnli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NliLabelTest {

  @Test
  void fileStringsParseToIndicesZeroToTwo() {
    assertEquals(0, NliLabel.parse("entailment").index());
    assertEquals(1, NliLabel.parse("neutral").index());
    assertEquals(2, NliLabel.parse("contradiction").index());
  }

  @Test
  void fromIndexInvertsIndex() {
    for (NliLabel label : NliLabel.values()) {
      assertEquals(label, NliLabel.fromIndex(label.index()));
    }
    assertThrows(IllegalArgumentException.class, () -> NliLabel.fromIndex(3));
  }

  @Test
  void noGoldMarkerAndUnknownStringsAreNotLabels() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> NliLabel.parse("Entailment"));
    assertTrue(e.getMessage().contains("\"Entailment\""), e.getMessage());
    assertTrue(e.getMessage().contains("entailment, neutral, contradiction"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> NliLabel.parse("-"));
  }
}
