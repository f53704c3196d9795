package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's quoted figures are the regions scripts/refresh-figures writes, and each names the
 * commit and the date it was measured at: a figure edited by hand, or left from another commit
 * without saying so, fails here.
 */
class ReadmeFiguresTest {
  private static final Path README = Path.of("../README.md");
  private static final Path SCRIPT = Path.of("../scripts/refresh-figures");
  private static final Pattern REGION =
      Pattern.compile("<!-- figure:([a-z]+) -->(.*?)<!-- /figure:\\1 -->", Pattern.DOTALL);
  private static final Pattern COMMIT = Pattern.compile("commit `[0-9a-f]{7,40}`");
  private static final Pattern DATE = Pattern.compile("\\b20\\d\\d-\\d\\d-\\d\\d\\b");

  @Test
  void everyQuotedFigureNamesItsCommitAndDate() throws IOException {
    String readme = Files.readString(README);
    Matcher m = REGION.matcher(readme);
    List<String> names = new ArrayList<>();
    while (m.find()) {
      names.add(m.group(1));
      String body = m.group(2);
      assertTrue(COMMIT.matcher(body).find(), "figure:" + m.group(1) + " names no commit: " + body);
      assertTrue(DATE.matcher(body).find(), "figure:" + m.group(1) + " names no date: " + body);
      assertTrue(!body.contains("-dirty"), "figure:" + m.group(1) + " was measured off a commit");
    }
    assertEquals(List.of("demo", "fashion", "bench", "reproduce"), names, "README.md's figures");
    String script = Files.readString(SCRIPT);
    for (String name : names) {
      assertTrue(script.contains("wants " + name), "scripts/refresh-figures makes figure:" + name);
    }
  }
}
