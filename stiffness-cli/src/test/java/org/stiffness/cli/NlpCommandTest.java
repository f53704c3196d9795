package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.stiffness.io.JsonSummary;
import org.stiffness.nlp.mnli.MnliFixtures;
import org.stiffness.nlp.model.BertCheckpoint;
import org.stiffness.nlp.model.BertClassifier;
import org.stiffness.nlp.model.BertConfig;
import org.stiffness.nlp.text.WordPieceVocabulary;

/** The whole {@code nlp} command on tiny MNLI files in both published formats. */
class NlpCommandTest {
  @TempDir static Path temp;
  static Path glue;
  static Path jsonl;
  static Path tokenizer;

  @BeforeAll
  static void write() throws IOException {
    glue = MnliFixtures.writeGlueDirectory(Files.createDirectories(temp.resolve("glue")));
    jsonl = MnliFixtures.writeMultiNliDirectory(Files.createDirectories(temp.resolve("jsonl")));
    tokenizer =
        WordPieceVocabulary.writeTokenizerJson(
            temp.resolve("tokenizer.json"), MnliFixtures.vocabulary());
  }

  /** The fixture-sized training and measurement options, writing to {@code out}. */
  static List<String> common(Path out) {
    return List.of(
        "--epochs",
        "2",
        "--batch-size",
        "2",
        "--train-size",
        "0",
        "--val-size",
        "0",
        "--subset-size",
        "6",
        "--points",
        "2",
        "--max-length",
        "48",
        "--out",
        out.toString());
  }

  private static JsonNode runOk(List<String> args) throws IOException {
    Run run = Run.of(args.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.err());
    Path out = Path.of(args.get(args.indexOf("--out") + 1));
    assertTrue(run.out().contains("report.html"), run.out());
    assertTrue(Files.isRegularFile(out.resolve("report.html")));
    return JsonSummary.mapper().readTree(out.resolve("summary.json").toFile());
  }

  @Test
  void trainsFromScratchOnGlueTsvAndMultiNliJsonlAlike() throws IOException {
    JsonNode[] summaries = new JsonNode[2];
    Path[] dirs = {glue, jsonl};
    for (int k = 0; k < 2; k++) {
      List<String> args = new ArrayList<>(List.of("nlp", "--mnli-dir", dirs[k].toString()));
      args.addAll(List.of("--tokenizer", tokenizer.toString(), "--model-size", "tiny"));
      args.addAll(List.of("--lr", "1e-4", "--initializer-range", "0.1"));
      if (k == 1) {
        // The JSONL run measures in fp16 under a small budget: the numbers must not move far.
        args.addAll(List.of("--precision", "fp16", "--memory-budget", "256m"));
      }
      args.addAll(common(temp.resolve("out" + k)));
      summaries[k] = runOk(args);
      // The genre grouping is plotted next to the label heatmaps and shown in the report.
      Path out = temp.resolve("out" + k);
      String png = "genre-cos-train-train-lr0.0001.png";
      assertTrue(Files.isRegularFile(out.resolve("plots").resolve(png)), png);
      assertTrue(Files.readString(out.resolve("report.html")).contains("plots/" + png));
    }
    for (int k = 0; k < 2; k++) {
      JsonNode config = summaries[k].get("config");
      assertEquals(
          "MNLI in directory " + dirs[k].toAbsolutePath().normalize(),
          config.get("data_source").asText());
      assertFalse(config.get("synthetic").asBoolean());
    }
    for (JsonNode s : summaries) {
      JsonNode config = s.get("config");
      assertEquals("nlp", config.get("command").asText());
      // The fixtures hold two labelled pairs per label and one "-" line in each split.
      assertEquals(6, config.get("train_size").asInt());
      assertEquals(1, config.get("skipped_without_gold_label").get("train").asInt());
      assertEquals(0.1, config.get("initializer_range").asDouble(), 1e-7);
      JsonNode run = s.get("runs").get(0);
      assertEquals(1e-4, run.get("lr").asDouble());
      JsonNode pairings = run.get("checkpoints").get(0).get("pairings");
      assertEquals(5, pairings.size());
      assertTrue(pairings.get("train-val_mismatched").has("groupings"));
    }
    assertEquals("fp32", summaries[0].get("config").get("precision").asText());
    assertTrue(summaries[0].get("config").get("memory_budget_bytes").isNull());
    assertEquals("fp16", summaries[1].get("config").get("precision").asText());
    assertEquals(256L << 20, summaries[1].get("config").get("memory_budget_bytes").asLong());
    // Same pairs, same seed, same weights: the two formats give the same training and, up to fp16
    // rounding of the Gram operands, the same stiffness.
    JsonNode a = summaries[0].get("runs").get(0).get("checkpoints");
    JsonNode b = summaries[1].get("runs").get(0).get("checkpoints");
    assertEquals(a.size(), b.size());
    for (int c = 0; c < a.size(); c++) {
      assertEquals(a.get(c).get("train_loss").asDouble(), b.get(c).get("train_loss").asDouble());
      for (String pairing : List.of("train-train", "train-val", "val-val")) {
        for (String key : List.of("within_cos", "between_cos")) {
          assertEquals(
              a.get(c).get("pairings").get(pairing).get(key).asDouble(),
              b.get(c).get("pairings").get(pairing).get(key).asDouble(),
              2e-2,
              pairing + " " + key);
        }
      }
    }
  }

  @Test
  void fineTunesAHuggingFaceCheckpointWithItsOwnTokenizer() throws IOException {
    Path checkpoint = tinyCheckpoint(temp.resolve("bert"));
    List<String> args = new ArrayList<>(List.of("nlp", "--mnli-dir", glue.toString()));
    args.addAll(List.of("--bert-checkpoint", checkpoint.toString()));
    args.add("--export");
    args.addAll(common(temp.resolve("tuned")));
    JsonNode s = runOk(args);
    // The measured subsets are exported under the model inputs' own names, as fed (N, T).
    try (NDManager manager = NDManager.newBaseManager();
        var in = Files.newInputStream(temp.resolve("tuned/export/subsets.npz"))) {
      NDList subsets = NDList.decode(manager, in);
      Map<String, NDArray> byName = new HashMap<>();
      subsets.forEach(a -> byName.put(a.getName(), a));
      for (String set : List.of("train", "val", "val_mismatched")) {
        for (String input : List.of("input_ids", "token_type_ids", "attention_mask")) {
          var array = byName.get(set + "_" + input);
          assertTrue(array != null, set + "_" + input + " in " + byName.keySet());
          assertEquals(6, array.getShape().get(0));
          assertEquals(2, array.getShape().dimension());
        }
        assertEquals(6, byName.get(set + "_labels").getShape().get(0));
      }
    }
    assertEquals(
        checkpoint.toAbsolutePath().toString(), s.get("config").get("bert_checkpoint").asText());
    // Without --lr a checkpoint is fine-tuned at 2e-5 and 1e-4.
    assertEquals(2, s.get("runs").size());
    assertEquals(2e-5, s.get("runs").get(0).get("lr").asDouble());
  }

  @Test
  void subsetsLargerThanTheDataAreMeasuredWholeAndSaidSo() throws IOException {
    Path out = temp.resolve("whole");
    List<String> args = new ArrayList<>(List.of("nlp", "--mnli-dir", glue.toString()));
    args.addAll(List.of("--tokenizer", tokenizer.toString(), "--model-size", "tiny"));
    args.addAll(List.of("--lr", "1e-4", "--epochs", "1", "--batch-size", "6", "--points", "2"));
    args.addAll(List.of("--train-size", "0", "--val-size", "0", "--subset-size", "100000"));
    args.addAll(List.of("--max-length", "48", "--out", out.toString()));
    Run run = Run.of(args.toArray(String[]::new));
    assertEquals(0, run.exitCode(), run.err());
    // Every split of the fixtures holds two labelled pairs per label.
    for (String set : List.of("train", "val", "val_mismatched")) {
      String file =
          set.equals("train") ? "train" : set.equals("val") ? "dev_matched" : "dev_mismatched";
      assertTrue(
          run.err()
              .contains(
                  "stiffness: the "
                      + set
                      + " subset has 6 pairs, not the 100000 asked for: the 6 pairs read from "
                      + file
                      + ".tsv hold only 2 entailment, 2 neutral and 2 contradiction pairs\n"),
          run.err());
    }
    JsonNode sizes = JsonSummary.mapper().readTree(out.resolve("summary.json").toFile());
    assertEquals(6, sizes.at("/config/subset_sizes/train").asInt());
  }

  /**
   * Loading a checkpoint printed libtorch's long "AutoNonVariableTypeMode is deprecated" warning
   * (DJL's {@code NDArray.set(Buffer)}, see {@code ParameterValues}). Run in a process of its own:
   * libtorch writes to the native stderr, which an in-process run does not capture.
   */
  @Test
  void fineTuningACheckpointPrintsNoLibtorchDeprecationWarning() throws Exception {
    Path checkpoint = tinyCheckpoint(temp.resolve("bert-quiet"));
    List<String> args = new ArrayList<>(List.of("nlp", "--mnli-dir", glue.toString()));
    args.addAll(List.of("--bert-checkpoint", checkpoint.toString(), "--lr", "1e-4"));
    args.addAll(common(temp.resolve("quiet")));
    String err = inOwnProcess(args);
    int marker = err.indexOf(LibtorchWarningProbe.MARKER);
    assertTrue(marker >= 0, err);
    String warning = "AutoNonVariableTypeMode is deprecated";
    assertFalse(err.substring(0, marker).contains(warning), err);
    // Printed once per process: after the command it shows the capture sees libtorch's warnings.
    assertTrue(err.substring(marker).contains(warning), err);
    assertTrue(Files.isRegularFile(temp.resolve("quiet/report.html")), err);
  }

  /** A from-scratch tiny BERT saved as a HuggingFace directory, with the fixtures' tokenizer. */
  private static Path tinyCheckpoint(Path dir) throws IOException {
    Files.createDirectories(dir);
    int vocabulary = MnliFixtures.vocabulary().size() + WordPieceVocabulary.SPECIAL_TOKENS.size();
    try (NDManager manager = NDManager.newBaseManager()) {
      BertClassifier model = new BertClassifier(BertConfig.tiny().withVocabSize(vocabulary));
      model.initialize(manager);
      BertCheckpoint.save(model, dir);
    }
    Files.copy(tokenizer, dir.resolve("tokenizer.json"));
    return dir;
  }

  /** The stderr of {@link LibtorchWarningProbe} run with {@code args}, which must succeed. */
  private static String inOwnProcess(List<String> args) throws Exception {
    Path err = Files.createTempFile(temp, "stderr", ".txt");
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true",
                "-Djava.awt.headless=true",
                "-cp",
                System.getProperty("java.class.path"),
                LibtorchWarningProbe.class.getName()));
    command.addAll(args);
    Process process =
        new ProcessBuilder(command)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .redirectError(err.toFile())
            .start();
    // Only a guard against a hung child; nothing is timed.
    if (!process.waitFor(5, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail("the probe did not finish: " + Files.readString(err));
    }
    assertEquals(0, process.exitValue(), Files.readString(err));
    return Files.readString(err);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "--mnli-dir /nonexistent/mnli --model-size tiny | /nonexistent/mnli",
        "--mnli-dir GLUE --model-size huge | huge",
        "--mnli-dir GLUE | --tokenizer",
        "--mnli-dir GLUE --model-size tiny --bert-checkpoint GLUE | not both",
        "--mnli-dir GLUE --bert-checkpoint GLUE --tokenizer TOK | model.safetensors",
        "--mnli-dir TOKDIR --model-size tiny | train.tsv",
        "--mnli-dir GLUE --model-size tiny --max-length 1000 | --max-length",
        "--mnli-dir GLUE --model-size tiny --lr 0 | 0",
        "--mnli-dir GLUE --model-size tiny --memory-budget lots | lots",
        "--mnli-dir GLUE --model-size tiny --initializer-range -1 | --initializer-range",
        "--mnli-dir GLUE --model-size tiny --precision bf16 | bf16",
      })
  void badInputFailsWithOneLineAndNoOutput(String args, String named) {
    List<String> argv = new ArrayList<>(List.of("nlp"));
    for (String a : args.trim().split("\\s+")) {
      argv.add(
          switch (a) {
            case "GLUE" -> glue.toString();
            case "TOK" -> tokenizer.toString();
            case "TOKDIR" -> temp.toString();
            default -> a;
          });
    }
    if (!named.equals("--tokenizer")
        && !args.contains("--tokenizer")
        && !args.contains("--bert-checkpoint")) {
      argv.addAll(List.of("--tokenizer", tokenizer.toString()));
    }
    Path out = temp.resolve("bad-out");
    argv.addAll(List.of("--out", out.toString()));
    Run run = Run.of(argv.toArray(String[]::new));
    assertNotEquals(0, run.exitCode());
    assertEquals(1, run.err().strip().lines().count(), run.err());
    assertTrue(run.err().contains(named), run.err());
    assertFalse(Files.exists(out), "no output directory on failure");
  }
}
