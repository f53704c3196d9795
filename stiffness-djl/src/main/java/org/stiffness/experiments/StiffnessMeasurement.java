package org.stiffness.experiments;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.stiffness.StiffnessEngine;
import org.stiffness.gradients.Examples;
import org.stiffness.gram.DeviceTile;
import org.stiffness.gram.PhaseTiming;
import org.stiffness.stats.tiles.Grouping;
import org.stiffness.stats.tiles.PairMatrixWriter;
import org.stiffness.stats.tiles.PairingStatistics;
import org.stiffness.summary.ExperimentSummary.PairingSummary;
import org.stiffness.summary.Pairing;
import org.stiffness.summary.PairingSpec;

/**
 * Stiffness of a frozen model at each checkpoint of a training run, in one process, on fixed
 * example sets: for the paper's three pairings train-train, train-val and val-val (or any pairings
 * of named sets), class matrices, S_within / S_between, stiffness vs input distance and the
 * critical length xi.
 *
 * <p>Three parts: the {@link MeasurementDesign} (sets, pairings, input distances and statistics
 * specs, built once for every checkpoint), the engine's statistics ({@code
 * StiffnessEngine.statistics}: each Gram tile reduced where it is computed and freed, nothing N x M
 * held) and the {@link SummaryWriter} (summaries and matrices). Around them it exports the subsets
 * and parameters and saves checkpoints when the settings ask for it. Val examples get ids that no
 * train example has, so a train-val pair is never taken for a self-pair.
 */
public final class StiffnessMeasurement implements AutoCloseable {
  private final Device device;
  private final MeasurementSettings settings;
  private final Path experimentDir;
  private final MeasurementDesign design;
  private final SummaryWriter writer;
  private final MeasurementTimes times = new MeasurementTimes();
  private Path savedSubsets;

  /**
   * The general measurement: any named sets, any pairings of them, extra groupings and input
   * distance. Sets must carry disjoint ids unless they share examples on purpose (a shared id is a
   * self-pair).
   *
   * @param sets builds the sets on the measurement's own manager (which owns them until {@link
   *     #close()})
   * @param pairings what to measure, in summary order; every name must be a set's
   * @param groupings extra groupings present in every set
   * @param distance input distance of each pairing, computed once here
   * @param classes number of classes n_c
   * @param device where the Gram matrices are computed
   * @param experimentDir the directory the matrix paths are relative to
   * @param settings statistics settings
   */
  public StiffnessMeasurement(
      Function<NDManager, List<MeasuredSet>> sets,
      List<PairingSpec> pairings,
      List<Grouping> groupings,
      InputDistance distance,
      int classes,
      Device device,
      Path experimentDir,
      MeasurementSettings settings) {
    this.device = Objects.requireNonNull(device, "device");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.experimentDir = Objects.requireNonNull(experimentDir, "experimentDir");
    this.design =
        new MeasurementDesign(
            sets, pairings, groupings, distance, classes, device, settings.statistics(), true);
    try {
      this.writer = new SummaryWriter(design, experimentDir, settings);
    } catch (RuntimeException e) {
      design.close();
      throw e;
    }
  }

  /** train-train, train-val, val-val. */
  public static List<PairingSpec> standardPairings() {
    List<PairingSpec> out = new ArrayList<>();
    for (Pairing p : Pairing.values()) {
      out.add(p.spec());
    }
    return out;
  }

  /** The fixed train subset as fed to the engine. */
  public Examples trainExamples() {
    return design.set("train").examples();
  }

  /** The fixed val subset as fed to the engine (ids offset past the train ids). */
  public Examples valExamples() {
    return design.set("val").examples();
  }

  /** The sets, pairings, input distances and statistics specs measured at every checkpoint. */
  public MeasurementDesign design() {
    return design;
  }

  /**
   * Measures every pairing of the model as it is now.
   *
   * @param model the model at this checkpoint (not modified; the engine snapshots it)
   * @param at the run's learning rate and step, and where this checkpoint's matrices go
   * @return summaries keyed by pairing ({@code train-train}, {@code train-val}, {@code val-val},
   *     ...), in pairing order
   * @throws IOException when a matrix cannot be written
   */
  public Map<String, PairingSummary> measure(Block model, CheckpointId at) throws IOException {
    String checkpointDir = at.checkpointDir();
    if (settings.export()) {
      export(model, checkpointDir);
    }
    if (settings.checkpointModel() != null) {
      save(model, at);
    }
    try (StiffnessEngine engine =
        StiffnessEngine.builder(model)
            .device(device)
            .options(settings.gram())
            .timing(PhaseTiming.synced()) // the measurement's times split the phases truly
            .build()) {
      Map<String, PairingSummary> out = new LinkedHashMap<>();
      for (PairingSpec pairing : design.pairings()) {
        double distancesBefore = design.distanceSeconds();
        PairingStatistics statistics;
        try (PairMatrixWriter pairs = writer.pairMatrices(pairing, checkpointDir)) {
          statistics =
              engine.statistics(
                  design.rows(pairing),
                  design.cols(pairing),
                  design.spec(pairing),
                  tile -> {
                    if (pairs != null) {
                      write(pairs, tile);
                    }
                  });
          if (pairs != null) {
            pairs.commit();
          }
        }
        times.add(engine.lastReport(), design.distanceSeconds() - distancesBefore);
        out.put(pairing.key(), writer.writeSummary(pairing, statistics, checkpointDir));
      }
      return out;
    }
  }

  private void export(Block model, String checkpointDir) throws IOException {
    Path exportDir = experimentDir.resolve("export");
    if (!Files.exists(exportDir.resolve("subsets.npz"))) {
      List<MeasuredSet> all = design.sets();
      Export.subsets(exportDir.resolve("subsets.npz"), all);
      Export.architecture(
          exportDir.resolve("architecture.json"),
          model,
          all.get(0).examples(),
          model.getClass().getName());
    }
    Export.parameters(experimentDir.resolve(checkpointDir).resolve("parameters.npz"), model);
  }

  private void save(Block model, CheckpointId at) throws IOException {
    if (InputDistance.CUSTOM.equals(design.distance().name())) {
      // A reader could not recompute the distances, so the statistics would not reproduce.
      throw new IllegalStateException(
          "saved checkpoints need an input distance with a name a reader can rebuild; this"
              + " measurement's distance is '"
              + InputDistance.CUSTOM
              + "'");
    }
    savedSubsets =
        SavedCheckpoint.save(
            experimentDir.resolve(SavedCheckpoint.directoryOf(at.checkpointDir())),
            model,
            settings.checkpointModel(),
            design.classes(),
            new SavedCheckpoint.Measured(
                design.sets(), design.pairings(), design.groupings(), design.distance(), settings),
            at,
            savedSubsets);
  }

  private static void write(PairMatrixWriter pairs, DeviceTile tile) {
    try {
      pairs.write(tile.toHost(), tile.mirrored());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Gradient, product and statistics time of every Gram computation of this measurement. */
  public MeasurementTimes times() {
    return times;
  }

  @Override
  public void close() {
    design.close();
  }
}
