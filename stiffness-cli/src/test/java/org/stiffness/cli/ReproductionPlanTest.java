package org.stiffness.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The experiments {@code reproduce} plans are typed requests; reproduction.json shows each as a
 * command line. Here the two are held to each other: the command line, parsed by {@code vision} or
 * {@code nlp} itself, must give the very request that runs, defaults included.
 */
class ReproductionPlanTest {
  @TempDir Path temp;

  /** The request {@code stiffness ARGS} parses into, without running it. */
  private static ExperimentRequest parsed(List<String> args) {
    CommandLine cli = StiffnessCli.commandLine();
    Object command =
        cli.parseArgs(args.toArray(String[]::new)).subcommand().commandSpec().userObject();
    return command instanceof VisionCommand v ? v.request() : ((NlpCommand) command).request();
  }

  @Test
  void everyExperimentsCommandLineParsesIntoTheRequestThatRuns() throws IOException {
    Path data = temp.resolve("data");
    IdxFixture.write(
        data.resolve("fashion-mnist"), IdxFixture.cycling(150, 10), IdxFixture.cycling(60, 10), 3);
    IdxFixture.write(
        data.resolve("mnist"), IdxFixture.cycling(400, 10), IdxFixture.cycling(60, 10), 4);
    Files.createDirectories(data.resolve("cifar-10-batches-bin"));
    Files.writeString(data.resolve("cifar-10-batches-bin/batches.meta.txt"), "airplane\n");
    Files.createDirectories(data.resolve("cifar-100-binary"));
    Files.writeString(data.resolve("cifar-100-binary/fine_label_names.txt"), "apple\n");
    Path mnli = Files.createDirectories(temp.resolve("mnli"));
    Path tokenizer = Files.writeString(temp.resolve("tokenizer.json"), "{}");
    CommandLine cli = StiffnessCli.commandLine();
    ReproduceCommand options =
        (ReproduceCommand)
            cli.parseArgs(
                    "reproduce",
                    "--out",
                    temp.resolve("out").toString(),
                    "--data-dir",
                    data.toString(),
                    "--mnli-dir",
                    mnli.toString(),
                    "--tokenizer",
                    tokenizer.toString(),
                    "--scale",
                    "0.3",
                    "--seed",
                    "7")
                .subcommand()
                .commandSpec()
                .userObject();
    ReproductionPlan plan = new ReproductionPlan(options, Device.gpu(1));
    List<PlannedExperiment> experiments = plan.experiments(new PrintWriter(new StringWriter()));

    List<String> names = new ArrayList<>();
    for (PlannedExperiment p : experiments) {
      names.add(p.name());
      List<String> args = new ArrayList<>(p.request().arguments());
      assertEquals(
          "stiffness " + String.join(" ", args) + " --out DIR/" + p.name(), p.command(), p.name());
      Path out = temp.resolve("runs").resolve(p.name());
      args.addAll(List.of("--out", out.toString()));
      assertEquals(p.request().into(out), parsed(args), p.name());
    }
    assertEquals(
        List.of(
            "fashion-mnist-fc",
            "fashion-mnist-cnn",
            "fashion-mnist-overfit",
            "mnist-fc",
            "mnist-cnn",
            "cifar10-cnn",
            "cifar100-cnn",
            "mnli"),
        names);
    // Spot checks of the sizes at scale 0.3: fc asks for 6000 of fashion-mnist's 150 examples;
    // CIFAR-100 measures 300 of its 1000 at scale 1; MNLI trains on 600 pairs.
    VisionRequest fc = (VisionRequest) experiments.get(0).request();
    assertEquals(150, fc.trainSize());
    assertEquals(List.of(1e-4, 1e-3, 1e-2), fc.learningRates());
    assertEquals(2, fc.sweep().epochs());
    assertEquals(300, ((VisionRequest) experiments.get(6).request()).subsetSize());
    assertEquals(600, ((NliRequest) experiments.get(7).request()).trainSize());
    assertTrue(
        experiments.get(0).command().contains(" --lr 1e-4,1e-3,1e-2 --points 4 "),
        experiments.get(0).command());
    assertTrue(
        experiments
            .get(0)
            .command()
            .endsWith(" --seed 7 --device gpu1 --out DIR/fashion-mnist-fc"));
  }
}
