package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every command's {@code --help}: lines within the width, no word split across lines, each option's
 * default on the option's own line, and list options shown once, as {@code --lr=LR[,LR...]}.
 */
class HelpTextTest {

  /** The top-level command ("") and every subcommand but picocli's {@code help}. */
  private static List<String> commands() {
    List<String> names = new ArrayList<>(List.of(""));
    names.addAll(StiffnessCli.commandLine().getSubcommands().keySet());
    names.remove("help");
    return names;
  }

  private static CommandLine command(CommandLine root, String name) {
    return name.isEmpty() ? root : root.getSubcommands().get(name);
  }

  private static String help(String name) {
    return command(StiffnessCli.commandLine(), name).getUsageMessage();
  }

  /**
   * The same help from picocli alone (not {@link StiffnessCli#commandLine()}, whose wrapping is
   * under test), never wrapped: its words are the words the wrapped help may show.
   */
  private static Set<String> unwrappedWords(String name) {
    CommandLine plain = new CommandLine(new StiffnessCli());
    plain.setUsageHelpWidth(HelpWrapping.UNWRAPPED);
    return new HashSet<>(Arrays.asList(command(plain, name).getUsageMessage().split("\\s+")));
  }

  @Test
  void noLineIsWiderThanTheHelpWidth() {
    for (String name : commands()) {
      for (String line : help(name).split("\\R")) {
        assertTrue(
            line.length() <= StiffnessCli.HELP_WIDTH,
            "stiffness " + name + " --help: " + line.length() + " columns: " + line);
      }
    }
  }

  /** Picocli's own wrapping printed "docs/engine." on one line and "md" on the next. */
  @Test
  void noWordIsSplitAcrossLines() {
    for (String name : commands()) {
      Set<String> words = unwrappedWords(name);
      for (String line : help(name).split("\\R")) {
        for (String word : line.strip().split("\\s+")) {
          if (!word.isEmpty()) {
            assertTrue(
                words.contains(word),
                "stiffness " + name + " --help splits a word, '" + word + "' in: " + line);
          }
        }
      }
    }
  }

  @Test
  void everyOptionWithADefaultShowsItOnItsOwnLine() {
    int checked = 0;
    for (String name : commands()) {
      CommandLine c = command(StiffnessCli.commandLine(), name);
      String[] lines = c.getUsageMessage().split("\\R");
      for (OptionSpec o : c.getCommandSpec().options()) {
        if (o.arity().max() == 0 || o.hidden() || o.required() || o.defaultValue() == null) {
          continue;
        }
        String line = optionLine(lines, o.longestName());
        assertTrue(
            line.contains("(default: " + o.defaultValue()),
            "stiffness "
                + name
                + " "
                + o.longestName()
                + ": no '(default: "
                + o.defaultValue()
                + "' on its line: "
                + line);
        checked++;
      }
    }
    // vision and nlp alone have more than twenty options with defaults.
    assertTrue(checked > 40, "only " + checked + " options checked");
  }

  /** {@code --lr} of vision and nlp names each command's own default rates. */
  @Test
  void learningRatesShowEachCommandsDefault() {
    String[] vision = help("vision").split("\\R");
    assertTrue(optionLine(vision, "--lr").contains("(default: 1e-3,1e-2)"), help("vision"));
    String nlp = optionLine(help("nlp").split("\\R"), "--lr");
    assertTrue(nlp.contains("(default: 2e-5,1e-4 with"), nlp);
    assertFalse(help("vision").contains("see the command's help"), help("vision"));
  }

  @Test
  void listOptionsShowTheirSyntaxOnce() {
    for (String name : List.of("demo", "vision", "nlp")) {
      String help = help(name);
      assertTrue(help.contains("[--lr=LR[,LR...]]..."), help);
      assertTrue(optionLine(help.split("\\R"), "--lr").strip().startsWith("--lr=LR[,LR...] "));
      assertFalse(help.contains("[,LR[,LR...]...]"), help);
    }
    assertFalse(help("vision").contains("[,P[,P...]...]"), help("vision"));
  }

  /** Repeating --lr still adds rates (the synopsis hides the syntax, not the behaviour). */
  @Test
  void repeatedLearningRatesAccumulate() {
    VisionCommand vision = new VisionCommand();
    new CommandLine(vision)
        .parseArgs("--lr", "1e-3,1e-2", "--lr", "0.1", "--dataset", "digits", "--out", "o");
    assertEquals(List.of(1e-3, 1e-2, 0.1), vision.learningRates);
  }

  @Test
  void theTopLevelHelpSaysWhereToStart() {
    String help = help("");
    assertTrue(help.contains("Start with `stiffness demo`"), help);
    // One line per command in the list.
    for (String name : commands()) {
      if (!name.isEmpty()) {
        String line = optionLine(help.split("\\R"), name);
        String next = help.split("\\R")[Arrays.asList(help.split("\\R")).indexOf(line) + 1];
        assertFalse(next.startsWith("               "), "two lines for " + name + ": " + next);
      }
    }
  }

  @Test
  void visionModelListsTheModels() {
    String line = optionLine(help("vision").split("\\R"), "--model");
    assertTrue(line.contains("(default: fc)"), line);
    String help = String.join(" ", help("vision").split("\\s+"));
    for (String model : List.of("fc:", "cnn:", "resnet20:")) {
      assertTrue(help.contains(model), help);
    }
  }

  /** The line where an option (or a listed command) starts. */
  private static String optionLine(String[] lines, String name) {
    for (String line : lines) {
      String s = line.strip();
      if (s.startsWith(name + "=")
          || s.startsWith(name + " ")
          || s.matches("-\\w, " + Pattern.quote(name) + "[= ].*")) {
        return line;
      }
    }
    throw new AssertionError("no line for " + name + " in:\n" + String.join("\n", lines));
  }
}
