package org.stiffness.experiments;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import org.stiffness.StiffnessEngine;
import org.stiffness.gram.GramOptions;
import org.stiffness.gram.GramTile;
import org.stiffness.gram.LayerStrategy;
import org.stiffness.gram.MemoryBudget;
import org.stiffness.gram.PhaseTiming;
import org.stiffness.gram.Precision;
import org.stiffness.gram.TilePlan;
import org.stiffness.io.JsonFields;
import org.stiffness.io.JsonRecords;
import org.stiffness.io.JsonSummary;
import org.stiffness.jobs.ConfigurationHash;
import org.stiffness.jobs.DeviceIdentity;
import org.stiffness.jobs.InMemorySums;
import org.stiffness.jobs.PairingTiles;
import org.stiffness.jobs.ProcessMemory;
import org.stiffness.jobs.Shard;
import org.stiffness.jobs.ShardReport;
import org.stiffness.jobs.SumsReplay;
import org.stiffness.jobs.TilePipeline;
import org.stiffness.jobs.TileStore;
import org.stiffness.jobs.TileStoreSink;
import org.stiffness.stats.CriticalLength;
import org.stiffness.stats.tiles.PairMatrixWriter;
import org.stiffness.stats.tiles.PairingStatistics;
import org.stiffness.stats.tiles.TileReducer;
import org.stiffness.summary.ExperimentSummary;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.PairingSummary;
import org.stiffness.summary.ExperimentSummary.Run;
import org.stiffness.summary.PairingSpec;

/**
 * The measurement of a {@link SavedCheckpoint} as independent tile jobs: {@link #measure} runs one
 * shard's tiles through the {@link TilePipeline} (each reduced to its statistics' sums where it was
 * computed) into a {@link TileStoreSink}, which writes the sums (and, on request or for pair
 * matrices, the Gram tile) into {@code DIR/tiles/} and skips the tiles already there and verified;
 * {@link #merge} replays the sums of every tile in plan order ({@link SumsReplay}) and writes the
 * statistics with the {@link SummaryWriter} of an unsharded measurement ({@code DIR/summary.json},
 * {@code DIR/matrices/...}). A one-process measurement is the same pipeline into memory, adding the
 * same sums in the same order, so the two are bitwise equal. Both use the checkpoint's {@link
 * MeasurementDesign}.
 *
 * <p>Jobs are numbered across pairings in pairing order, tiles of each pairing in {@link TilePlan}
 * order; shard {@code i/k} computes jobs {@code i, i + k, ...}. {@code DIR/measurement.json}, made
 * by whichever shard starts first, holds the configuration hash, the tile plans and the shard count
 * k; a shard with another hash or another k is refused.
 */
public final class TiledMeasurement {
  /** The description of a tiled measurement in its directory. */
  public static final String FILE = "measurement.json";

  /**
   * Budget that plans the tiles on a CPU when neither the options nor the checkpoint fix one: the
   * plan must not follow the free memory of whichever node runs a shard, or shards would cut
   * different tiles.
   */
  public static final long DEFAULT_BUDGET = 2L << 30;

  /**
   * The same on a GPU: 2 GiB would cut a BERT-base measurement into blocks of a few examples (each
   * example's materialised gradient is about 440 MB); 16 GiB fits the GPUs of current clusters
   * beside the model. A card with less than 32 GiB gets half its total memory instead (read once
   * per process, {@link MemoryBudget.Defaults#fixedBudgetFor}).
   */
  public static final long DEFAULT_GPU_BUDGET = 16L << 30;

  /**
   * Version 4: tiles hold their statistics' sums in the wire order of {@link StatisticsSums}, from
   * float32 input distances rechecked in float64 at every bin and window edge; the configuration
   * hash names the device ({@link DeviceIdentity}), and {@code measurement.json} records it with
   * the tolerance of the squared norms. Directories of earlier versions are refused by {@link
   * #merge} with the advice to measure again.
   */
  static final String FORMAT = "stiffness-tiled-measurement/4";

  static final String FORMAT_3 = "stiffness-tiled-measurement/3";

  static final String FORMAT_1 = "stiffness-tiled-measurement/1";

  static final String FORMAT_2 = "stiffness-tiled-measurement/2";

  /**
   * What one {@link #measure} call did.
   *
   * @param shard the shard
   * @param computed tiles computed (no file before)
   * @param recomputed tiles whose files failed verification and were computed again
   * @param skipped tiles already there and verified
   * @param total tiles of the whole measurement
   * @param report time and peak memory, as written to {@code DIR/shards/}
   */
  public record ShardResult(
      Shard shard, int computed, int recomputed, int skipped, int total, ShardReport report) {}

  /** Called after each tile of the shard. */
  @FunctionalInterface
  public interface Progress {
    /** {@code done} tiles of the {@code ofShard} this shard computes are finished. */
    void tileDone(int done, int ofShard);
  }

  private TiledMeasurement() {}

  /**
   * What a shard writes besides the sums of its tiles.
   *
   * @param gramTiles also write each Gram tile ({@code tile-N.npy}); always done when the
   *     checkpoint asks for pair matrices, which {@link #merge} writes from the Gram tiles
   */
  public record Outputs(boolean gramTiles) {
    /** Sums only. */
    public static Outputs defaults() {
      return new Outputs(false);
    }
  }

  /**
   * Computes the tiles of one shard.
   *
   * @param checkpoint what is measured
   * @param options Gram options; a zero memory budget is replaced by the checkpoint's, else {@link
   *     #DEFAULT_BUDGET} ({@link #DEFAULT_GPU_BUDGET} on a GPU, at most half the card), so that
   *     every shard plans the same tiles
   * @param device where the tiles are computed and reduced
   * @param out the measurement directory (created)
   * @param shard which tiles
   * @param outputs Gram tiles or not
   * @throws IllegalArgumentException when {@code out} holds another configuration or another shard
   *     count, or a tile of another configuration
   */
  public static ShardResult measure(
      SavedCheckpoint checkpoint,
      GramOptions options,
      Device device,
      Path out,
      Shard shard,
      Outputs outputs,
      Progress progress)
      throws IOException {
    long started = System.nanoTime();
    GramOptions planned = deterministic(options, checkpoint, device);
    MeasurementSettings settings = checkpoint.settings();
    boolean gramTiles = outputs.gramTiles() || settings.pairMatrices();
    try (StiffnessEngine engine =
            StiffnessEngine.builder(checkpoint.model())
                .device(device)
                .options(planned)
                .timing(PhaseTiming.synced()) // the shard report's split is true on a GPU
                .build();
        MeasurementDesign design = checkpoint.design()) {
      Map<String, TilePlan> plans = new LinkedHashMap<>();
      for (PairingSpec p : design.pairings()) {
        plans.put(p.key(), engine.tilePlan(design.rows(p), design.cols(p)));
      }
      TileReducer reducer = new TileReducer();
      String identity = DeviceIdentity.of(device);
      double normTolerance = 0;
      for (PairingSpec p : design.pairings()) {
        normTolerance =
            Math.max(normTolerance, engine.normTolerance(design.rows(p), design.cols(p)));
      }
      String hash =
          hash(
              checkpoint,
              device.getDeviceType(),
              identity,
              planned.precision(),
              planned.strategy(),
              engine.method(),
              reducer.name(),
              plans);
      MeasurementDescription record =
          describe(
              checkpoint,
              device.getDeviceType(),
              identity,
              normTolerance,
              planned,
              engine.method(),
              reducer,
              gramTiles,
              plans,
              hash,
              shard.count());
      claim(out, record, shard);

      TileStoreSink sink = new TileStoreSink(new TileStore(out.resolve("tiles")), hash, gramTiles);
      TilePipeline.Report r =
          new TilePipeline(engine)
              .run(
                  tiles(design, plans),
                  shard,
                  sink,
                  (done, ofShard) -> progress.tileDone((int) done, (int) ofShard));
      ShardReport report =
          new ShardReport(
              shard.toString(),
              device.toString(),
              ShardReport.hostName(),
              (System.nanoTime() - started) / 1e9,
              ProcessMemory.peakRssBytes(),
              r.computed(),
              r.recomputed(),
              r.skipped(),
              r.gradientSeconds(),
              r.productSeconds(),
              r.reductionSeconds(),
              design.distanceSeconds(),
              sink.bytesWritten());
      report.write(out);
      return new ShardResult(shard, r.computed(), r.recomputed(), r.skipped(), r.total(), report);
    }
  }

  /** Every pairing of the design cut into its planned tiles, in job order. */
  private static List<PairingTiles> tiles(MeasurementDesign design, Map<String, TilePlan> plans) {
    List<PairingTiles> out = new ArrayList<>();
    for (PairingSpec p : design.pairings()) {
      out.add(design.tiles(p, plans.get(p.key())));
    }
    return out;
  }

  /**
   * Adds up the sums of every tile of a measurement directory and writes the statistics as an
   * unsharded measurement does: {@code out/summary.json} (one run, one checkpoint, with the
   * learning rate and step {@code checkpoint.json} records, NaN and null when it records none), the
   * class matrices under {@code out/<checkpoint dir>/} and, when the checkpoint asks for them, the
   * pair matrices (from the Gram tiles, one tile at a time).
   *
   * @param checkpointOverride the checkpoint to read, or null for the one {@code measurement.json}
   *     names
   * @throws IllegalArgumentException listing missing, corrupt or foreign tiles
   */
  public static ExperimentSummary merge(Path out, Path checkpointOverride, CheckpointKinds models)
      throws IOException {
    return merge(out, checkpointOverride, models, line -> {});
  }

  /**
   * {@link #merge(Path, Path, CheckpointKinds)}, telling {@code status} what it is doing (reading
   * the sums of each pairing, the pair matrices, the summary), and once that the checkpoint records
   * no learning rate or step.
   */
  public static ExperimentSummary merge(
      Path out, Path checkpointOverride, CheckpointKinds models, Consumer<String> status)
      throws IOException {
    return merge(out, out, checkpointOverride, models, status);
  }

  /**
   * {@link #merge(Path, Path, CheckpointKinds, Consumer)} reading the tiles of {@code out} and
   * writing {@code summary.json} and the matrices to {@code writeTo} instead, e.g. a staging area
   * whose contents replace the previous merge's only once complete.
   */
  public static ExperimentSummary merge(
      Path out,
      Path writeTo,
      Path checkpointOverride,
      CheckpointKinds models,
      Consumer<String> status)
      throws IOException {
    long started = System.nanoTime();
    Path file = out.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          out + " holds no " + FILE + ": not a directory written by stiffness measure");
    }
    JsonNode tree = JsonSummary.read(file);
    MeasurementDescription record = read(file);
    Path checkpointDir =
        checkpointOverride != null ? checkpointOverride : Path.of(record.checkpoint());
    String hash = record.configHash();
    int shards = record.shards();
    try (SavedCheckpoint checkpoint = SavedCheckpoint.load(checkpointDir, models)) {
      Map<String, TilePlan> plans = new LinkedHashMap<>();
      for (MeasurementDescription.PlannedPairing p : record.pairings()) {
        plans.put(p.key(), p.plan());
      }
      Precision precision = Precision.parse(record.precision());
      LayerStrategy strategy = LayerStrategy.valueOf(record.strategy().toUpperCase(Locale.ROOT));
      MeasurementSettings settings = checkpoint.settings();
      String again =
          hash(
              checkpoint,
              record.deviceType(),
              record.device(),
              precision,
              strategy,
              record.method(),
              record.reduction(),
              plans);
      if (!again.equals(hash)) {
        throw new IllegalArgumentException(
            "checkpoint "
                + checkpointDir
                + " hashes to "
                + again.substring(0, 12)
                + "..., but the tiles in "
                + out
                + " were computed for "
                + hash.substring(0, 12)
                + "...: it is another checkpoint, or it changed");
      }
      Map<String, PairingSummary> pairings = new LinkedHashMap<>();
      try (MeasurementDesign design = checkpoint.design()) {
        SummaryWriter writer = new SummaryWriter(design, writeTo, settings);
        TileStore store = new TileStore(out.resolve("tiles"));
        List<PairingTiles> tiles = tiles(design, plans);
        InMemorySums sums = new InMemorySums(tiles, record.normTolerance());
        SumsReplay.replay(store, hash, shards, tiles, sums, status);
        for (int k = 0; k < tiles.size(); k++) {
          PairingSpec p = design.pairings().get(k);
          status.accept("statistics of " + p.key());
          PairingStatistics statistics = sums.finish(tiles.get(k));
          if (settings.pairMatrices()) {
            status.accept("pair matrices of " + p.key());
            writePairMatrices(store, p, plans.get(p.key()), writer, checkpoint, hash);
          }
          pairings.put(p.key(), writer.writeSummary(p, statistics, checkpoint.checkpointDir()));
        }
      }
      // Loss and accuracy need the dataset, which a checkpoint does not hold: NaN, null in JSON.
      double lr = checkpoint.lr() != null ? checkpoint.lr() : Double.NaN;
      Long step = checkpoint.step();
      if (checkpoint.lr() == null || step == null) {
        status.accept(
            checkpointDir.resolve(SavedCheckpoint.DESCRIPTION)
                + " records no learning rate or step (saved before stiffness recorded them):"
                + " the summary leaves them null");
      }
      Checkpoint c =
          new Checkpoint(
              step, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, pairings);
      ObjectNode config = JsonSummary.mapper().createObjectNode();
      config.put("command", "merge");
      config.put("checkpoint", checkpointDir.toAbsolutePath().toString());
      config.set("measurement", tree);
      config.set("saved_checkpoint", checkpoint.descriptionJson());
      config.set("resources", resources(out, started));
      ExperimentSummary summary = new ExperimentSummary(config, List.of(new Run(lr, List.of(c))));
      JsonSummary.write(writeTo.resolve("summary.json"), summary);
      return summary;
    }
  }

  /** A pairing's full cosine and sign matrices, written from its Gram tiles one at a time. */
  private static void writePairMatrices(
      TileStore store,
      PairingSpec p,
      TilePlan plan,
      SummaryWriter summaries,
      SavedCheckpoint checkpoint,
      String hash)
      throws IOException {
    try (PairMatrixWriter writer = summaries.pairMatrices(p, checkpoint.checkpointDir())) {
      for (TilePlan.Tile t : plan.tiles()) {
        TileStore.State<GramTile> state = store.check(p.key(), plan, t.index(), hash);
        if (!(state instanceof TileStore.Present<GramTile> present)) {
          throw new IllegalArgumentException(
              "the pair matrices need every Gram tile, and "
                  + p.key()
                  + " "
                  + t
                  + " is "
                  + state
                  + ": rerun stiffness measure on its shard");
        }
        writer.write(present.content(), plan.symmetric() && t.rowBlock() != t.colBlock());
      }
      writer.commit();
    }
  }

  /**
   * Time and peak memory of every shard that reported (DIR/shards/) and of this merge, so that a
   * measurement spread over many processes still says what it cost.
   */
  private static ObjectNode resources(Path out, long mergeStarted) throws IOException {
    List<ShardReport> reports = ShardReport.readAll(out);
    ObjectNode r = JsonSummary.mapper().createObjectNode();
    r.set("shards", JsonSummary.toTree(reports));
    r.put("shard_seconds_total", reports.stream().mapToDouble(ShardReport::seconds).sum());
    r.put(
        "shard_peak_rss_bytes_max",
        reports.stream().mapToLong(ShardReport::peakRssBytes).max().orElse(-1));
    r.putObject("merge")
        .put("seconds", (System.nanoTime() - mergeStarted) / 1e9)
        .put("peak_rss_bytes", ProcessMemory.peakRssBytes());
    return r;
  }

  private static String abbreviate(String hash) {
    return hash.length() > 12 ? hash.substring(0, 12) + "..." : hash;
  }

  /**
   * Options whose memory budget does not follow the free memory of the node (see {@link
   * #DEFAULT_BUDGET}), read from this process's devices.
   */
  static GramOptions deterministic(GramOptions options, SavedCheckpoint checkpoint, Device device) {
    return deterministic(
        options,
        checkpoint.settings().gram().memoryBudgetBytes(),
        device,
        MemoryBudget.processDefaults());
  }

  /**
   * The options' budget, else the checkpoint's ({@code saved}), else {@link #DEFAULT_BUDGET} on a
   * CPU and {@link #DEFAULT_GPU_BUDGET} on a GPU, but at most half the card's total memory (a 16 GB
   * card would otherwise be planned beyond what it holds).
   */
  static GramOptions deterministic(
      GramOptions options, long saved, Device device, MemoryBudget.Defaults memory) {
    if (options.memoryBudgetBytes() > 0) {
      return options;
    }
    if (saved > 0) {
      return options.withMemoryBudget(saved);
    }
    return options.withMemoryBudget(
        device.isGpu() ? memory.fixedBudgetFor(device, DEFAULT_GPU_BUDGET) : DEFAULT_BUDGET);
  }

  /**
   * SHA-256 of the parameters, the sets as fed, the loss, the gradient method, the precision, the
   * layer strategy and the tile plans: everything a tile's bits depend on.
   */
  static String hash(
      SavedCheckpoint checkpoint,
      String deviceType,
      String device,
      Precision precision,
      LayerStrategy strategy,
      String method,
      String reducer,
      Map<String, TilePlan> plans) {
    ConfigurationHash h = new ConfigurationHash().text("format", FORMAT);
    h.text("model", checkpoint.modelKind()).text("classes", Integer.toString(checkpoint.classes()));
    CheckpointDescription description = checkpoint.description();
    if (description.model().config() != null) {
      // A BERT's heads or epsilon change the gradients without changing any parameter's shape.
      h.text("model config", description.model().config().toString());
    }
    for (Pair<String, Parameter> p : checkpoint.model().getParameters()) {
      h.array("parameter " + p.getKey(), p.getValue().getArray());
    }
    for (MeasuredSet s : checkpoint.sets()) {
      List<NDArray> inputs = s.examples().inputs();
      for (int k = 0; k < inputs.size(); k++) {
        h.array(s.name() + " input " + k, inputs.get(k));
      }
      h.array(s.name() + " labels", s.examples().labels());
      h.longs(s.name() + " ids", s.examples().ids());
      for (var g : s.groups().entrySet()) {
        h.text(s.name() + " grouping", g.getKey()).ints(s.name() + " groups", g.getValue());
      }
    }
    h.text("loss", description.loss());
    // CPU and GPU kernels round differently: tiles of the two never add up to one measurement.
    h.text("device type", deviceType);
    // Other cards, libtorch or CUDA versions pick other kernels: shards of one measurement must
    // agree on them, as a merge of their tiles assumes (DeviceIdentity).
    h.text("device", device);
    h.text("method", method);
    h.text("precision", precision.name());
    h.text("strategy", strategy.name());
    for (var e : plans.entrySet()) {
      h.text("plan " + e.getKey(), e.getValue().toString());
    }
    // What the tiles' sums depend on besides the tiles: the distance, the bins, the pairs the xi
    // sums select, and how the tiles were reduced.
    h.text("input distance", description.inputDistance());
    // An absent object hashes as the empty text, as the hashes of earlier tiles have it.
    ObjectNode parameters = description.inputDistanceParameters();
    h.text("input distance parameters", parameters == null ? "" : parameters.toString());
    h.text("bins", Arrays.toString(checkpoint.settings().bins().edges()));
    CriticalLength.Config xi = checkpoint.settings().criticalLength();
    h.text("critical length", xi.measure() + " [" + xi.windowLo() + ", " + xi.windowHi() + "]");
    h.text("reduction", reducer);
    return h.hex();
  }

  private static MeasurementDescription describe(
      SavedCheckpoint checkpoint,
      String deviceType,
      String device,
      double normTolerance,
      GramOptions options,
      String method,
      TileReducer reducer,
      boolean gramTiles,
      Map<String, TilePlan> plans,
      String hash,
      int shards) {
    int total = 0;
    List<MeasurementDescription.PlannedPairing> pairings = new ArrayList<>();
    for (PairingSpec spec : checkpoint.pairings()) {
      TilePlan p = plans.get(spec.key());
      pairings.add(
          new MeasurementDescription.PlannedPairing(
              spec.key(),
              spec.rows(),
              spec.cols(),
              p.rows(),
              p.cols(),
              p.symmetric(),
              p.blockSize(),
              p.passSize(),
              p.tileCount(),
              total));
      total += p.tileCount();
    }
    return new MeasurementDescription(
        FORMAT,
        hash,
        checkpoint.directory().toAbsolutePath().normalize().toString(),
        deviceType,
        device,
        method,
        reducer.name(),
        gramTiles,
        options.precision().name().toLowerCase(Locale.ROOT),
        options.strategy().name().toLowerCase(Locale.ROOT),
        options.memoryBudgetBytes(),
        normTolerance,
        shards,
        pairings,
        total);
  }

  /**
   * {@code measurement.json} of a measurement directory.
   *
   * @throws IllegalArgumentException for a directory of another format, with what to do
   * @throws IOException naming the file and the field that is missing or ill-typed
   */
  private static MeasurementDescription read(Path file) throws IOException {
    JsonFields f = new JsonFields(file, JsonSummary.read(file));
    String format = f.root().path("format").asText();
    if (FORMAT_1.equals(format)) {
      throw new IllegalArgumentException(
          file
              + ": field 'format': '"
              + FORMAT_1
              + "' was written by an earlier stiffness, whose tiles hold Gram entries only and no"
              + " statistics' sums: run stiffness measure again into a new directory");
    }
    if (FORMAT_3.equals(format)) {
      throw new IllegalArgumentException(
          file
              + ": field 'format': '"
              + FORMAT_3
              + "' was written by an earlier stiffness, whose configuration hash does not name the"
              + " device model and library versions: run stiffness measure again into a new"
              + " directory");
    }
    if (FORMAT_2.equals(format)) {
      throw new IllegalArgumentException(
          file
              + ": field 'format': '"
              + FORMAT_2
              + "' was written by an earlier stiffness, whose tile sums have another layout:"
              + " run stiffness measure again into a new directory");
    }
    if (!FORMAT.equals(format)) {
      throw new IllegalArgumentException(file + ": field 'format': expected '" + FORMAT + "'");
    }
    return JsonRecords.read(f, MeasurementDescription.class);
  }

  /**
   * Makes {@code out/measurement.json} if no shard has yet (a hard link of a complete temporary
   * file: exactly one of several shards starting together wins), then checks that the directory
   * holds this configuration and this shard count.
   */
  private static void claim(Path out, MeasurementDescription record, Shard shard)
      throws IOException {
    Files.createDirectories(out);
    Path file = out.resolve(FILE);
    if (!Files.exists(file)) {
      Path tmp = out.resolve("." + FILE + "." + UUID.randomUUID() + ".tmp");
      JsonSummary.write(tmp, record);
      try {
        Files.createLink(file, tmp);
      } catch (FileAlreadyExistsException e) {
        // another shard was first: check against its description below
      } finally {
        Files.deleteIfExists(tmp);
      }
    }
    MeasurementDescription existing = read(file);
    String hash = record.configHash();
    if (!hash.equals(existing.configHash())) {
      throw new IllegalArgumentException(
          out
              + " holds tiles of configuration "
              + abbreviate(existing.configHash())
              + " (checkpoint "
              + existing.checkpoint()
              + "); this checkpoint with these options is "
              + abbreviate(hash)
              + ": use another --out");
    }
    int k = existing.shards();
    if (k != shard.count()) {
      throw new IllegalArgumentException(
          "--shard "
              + shard
              + " overlaps the shards of "
              + out
              + ", which is computed in "
              + k
              + " shards (i/"
              + k
              + "): use --shard i/"
              + k
              + " with 0 <= i < "
              + k
              + ", or another --out");
    }
  }
}
