package org.stiffness.nlp.mnli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GenreTest {

  @Test
  void theTenFileNamesHaveStableIndicesMatchedFirst() {
    List<String> names =
        List.of(
            "fiction",
            "government",
            "slate",
            "telephone",
            "travel",
            "facetoface",
            "letters",
            "nineeleven",
            "oup",
            "verbatim");
    assertEquals(names.size(), Genre.values().length);
    for (int k = 0; k < names.size(); k++) {
      Genre genre = Genre.parse(names.get(k));
      assertEquals(k, genre.index(), names.get(k));
      assertEquals(names.get(k), genre.fileName());
      assertEquals(k < 5, genre.matched(), names.get(k));
      assertEquals(genre, Genre.fromIndex(k));
    }
  }

  @Test
  void unknownGenreIsAnErrorListingTheTen() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Genre.parse("news"));
    assertTrue(e.getMessage().contains("\"news\""), e.getMessage());
    assertTrue(e.getMessage().contains("nineeleven"), e.getMessage());
  }
}
