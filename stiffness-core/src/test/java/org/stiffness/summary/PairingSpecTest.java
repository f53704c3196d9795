package org.stiffness.summary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Pairing keys: one format, split back into exactly the set names they were made of. */
class PairingSpecTest {
  @Test
  void theKeysOnDiskAreRowsDashCols() {
    assertEquals("train-val_mismatched", new PairingSpec("train", "val_mismatched").key());
    assertEquals("train-train", Pairing.TRAIN_TRAIN.key());
    assertEquals("train-val", Pairing.TRAIN_VAL.key());
    assertEquals("val-val", Pairing.VAL_VAL.key());
  }

  @Test
  void aKeyParsesBackIntoItsSets() {
    for (PairingSpec p :
        new PairingSpec[] {
          new PairingSpec("train", "val"),
          new PairingSpec("val_mismatched", "val_mismatched"),
          Pairing.TRAIN_TRAIN.spec()
        }) {
      assertEquals(p, PairingSpec.parse(p.key()));
    }
  }

  @Test
  void aSetNameWithTheSeparatorIsRefusedSoNoKeySplitsWrongly() {
    // "a-b" paired with "c" and "a" with "b-c" would both be "a-b-c".
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> new PairingSpec("a-b", "c"));
    assertTrue(e.getMessage().contains("'a-b'"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new PairingSpec("a", "b-c"));
    assertThrows(IllegalArgumentException.class, () -> new PairingSpec("", "val"));
  }

  @Test
  void aKeyOfOtherThanTwoSetsIsRefused() {
    for (String key : new String[] {"train", "a-b-c", "-val", "train-"}) {
      assertThrows(IllegalArgumentException.class, () -> PairingSpec.parse(key), key);
    }
  }

  @Test
  void onlyEqualSetNamesMakeASymmetricPairing() {
    assertTrue(Pairing.VAL_VAL.spec().symmetric());
    assertFalse(Pairing.TRAIN_VAL.spec().symmetric());
  }
}
