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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.stiffness.StiffnessEngine;
import org.stiffness.gram.DeviceTile;
import org.stiffness.gram.GramOptions;
import org.stiffness.gram.GramTile;
import org.stiffness.gram.LayerStrategy;
import org.stiffness.gram.Precision;
import org.stiffness.gram.TilePlan;
import org.stiffness.gram.internal.TileComputation;
import org.stiffness.io.JsonSummary;
import org.stiffness.jobs.ConfigurationHash;
import org.stiffness.jobs.ProcessMemory;
import org.stiffness.jobs.Shard;
import org.stiffness.jobs.ShardReport;
import org.stiffness.jobs.TileStore;
import org.stiffness.stats.CriticalLength;
import org.stiffness.stats.tiles.PairMatrixWriter;
import org.stiffness.stats.tiles.PairingStatistics;
import org.stiffness.stats.tiles.StatisticsSpec;
import org.stiffness.stats.tiles.StatisticsSums;
import org.stiffness.stats.tiles.SumsShape;
import org.stiffness.stats.tiles.TileReducer;
import org.stiffness.summary.ExperimentSummary;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.PairingSummary;
import org.stiffness.summary.ExperimentSummary.Run;
import org.stiffness.summary.PairingSpec;

/**
 * The measurement of a {@link SavedCheckpoint} as independent tile jobs: {@link #measure} computes
 * one shard's tiles and reduces each to its statistics' sums where it was computed, writing the
 * sums (and, on request or for pair matrices, the Gram tile) into {@code DIR/tiles/}, skipping the
 * tiles already there and verified; {@link #merge} adds the sums of every tile in plan order and
 * writes the statistics exactly as an unsharded measurement writes them ({@code DIR/summary.json},
 * {@code DIR/matrices/...}). A one-process measurement adds the same sums in the same order, so the
 * two are bitwise equal.
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
   * beside the model. A smaller GPU wants {@code --memory-budget}.
   */
  public static final long DEFAULT_GPU_BUDGET = 16L << 30;

  /**
   * Version 3: tiles hold their statistics' sums in the wire order of {@link StatisticsSums}, from
   * float32 input distances rechecked in float64 at every bin and window edge. Directories of
   * earlier versions are refused by {@link #merge} with the advice to measure again.
   */
  static final String FORMAT = "stiffness-tiled-measurement/3";

  static final String FORMAT_1 = "stiffness-tiled-measurement/1";

  static final String FORMAT_2 = "stiffness-tiled-measurement/2";
  private static final Pattern CHECKPOINT_DIR = Pattern.compile("lr=([^/]+)/step=(\\d+)");

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
   *     #DEFAULT_BUDGET} ({@link #DEFAULT_GPU_BUDGET} on a GPU), so that every shard plans the same
   *     tiles
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
            StiffnessEngine.builder(checkpoint.model()).device(device).options(planned).build();
        StiffnessMeasurement measurement = checkpoint.measurement(out, settings)) {
      Map<String, TilePlan> plans = new LinkedHashMap<>();
      Map<String, MeasuredSet[]> operands = new LinkedHashMap<>();
      for (PairingSpec p : checkpoint.pairings()) {
        MeasuredSet rows = set(checkpoint, p.rows());
        MeasuredSet cols = set(checkpoint, p.cols());
        plans.put(
            p.key(),
            rows == cols
                ? engine.tilePlan(rows.examples())
                : engine.tilePlan(rows.examples(), cols.examples()));
        operands.put(p.key(), new MeasuredSet[] {rows, cols});
      }
      TileReducer reducer = new TileReducer();
      String hash =
          hash(
              checkpoint,
              device.getDeviceType(),
              planned.precision(),
              planned.strategy(),
              engine.method(),
              reducer.name(),
              plans);
      MeasurementDescription record =
          describe(
              checkpoint,
              device.getDeviceType(),
              planned,
              engine.method(),
              reducer,
              gramTiles,
              plans,
              hash,
              shard.count());
      claim(out, record, shard);

      TileStore store = new TileStore(out.resolve("tiles"));
      int total = plans.values().stream().mapToInt(TilePlan::tileCount).sum();
      int inShard = 0;
      for (int job = 0; job < total; job++) {
        inShard += shard.holds(job) ? 1 : 0;
      }
      Tally tally = new Tally();
      int job = 0;
      for (PairingSpec p : checkpoint.pairings()) {
        String key = p.key();
        TilePlan plan = plans.get(key);
        MeasuredSet[] sets = operands.get(key);
        StatisticsSpec spec = measurement.spec(p);
        SumsShape shape = SumsShape.of(spec);
        TileComputation tiles = null;
        try {
          for (TilePlan.Tile t : plan.tiles()) {
            if (!shard.holds(job++)) {
              continue;
            }
            TileStore.State<StatisticsSums> state =
                store.checkSums(key, plan, t.index(), hash, shape);
            // Without Gram tiles, the sums alone say whether the tile is done.
            TileStore.State<?> gram = gramTiles ? store.check(key, plan, t.index(), hash) : state;
            for (TileStore.State<?> s : List.of(state, gram)) {
              if (s instanceof TileStore.Foreign<?> f) {
                throw foreign(f.file(), f.configHash(), hash);
              }
            }
            if (state.done() && gram.done()) {
              tally.skipped++;
            } else {
              if (tiles == null) {
                tiles =
                    engine.tiles(
                        plan,
                        sets[0].examples(),
                        sets[0] == sets[1] ? sets[0].examples() : sets[1].examples());
              }
              try (DeviceTile tile = tiles.device(t.index())) {
                long reducing = System.nanoTime();
                StatisticsSums sums = reducer.reduce(tile, spec);
                tally.statisticsNanos += System.nanoTime() - reducing;
                // The Gram tile first: the sums' sidecar, written last, marks a finished tile.
                if (gramTiles) {
                  store.write(key, tile.toHost(), hash);
                }
                store.writeSums(key, sums, hash);
              }
              tally.bytes += bytes(store, key, t.index(), gramTiles);
              if (state instanceof TileStore.Corrupt<?> || gram instanceof TileStore.Corrupt<?>) {
                tally.recomputed++;
              } else {
                tally.computed++;
              }
            }
            progress.tileDone(tally.computed + tally.recomputed + tally.skipped, inShard);
          }
        } finally {
          if (tiles != null) {
            tally.gradientSeconds += tiles.extractionSeconds();
            tally.productSeconds += tiles.productSeconds();
            tiles.close();
          }
        }
      }
      ShardReport report =
          new ShardReport(
              shard.toString(),
              device.toString(),
              ShardReport.hostName(),
              (System.nanoTime() - started) / 1e9,
              ProcessMemory.peakRssBytes(),
              tally.computed,
              tally.recomputed,
              tally.skipped,
              tally.gradientSeconds,
              tally.productSeconds,
              tally.statisticsNanos * 1e-9,
              measurement.distanceSeconds(),
              tally.bytes);
      report.write(out);
      return new ShardResult(shard, tally.computed, tally.recomputed, tally.skipped, total, report);
    }
  }

  /** What a shard did, as it goes. */
  private static final class Tally {
    int computed;
    int recomputed;
    int skipped;
    long bytes;
    long statisticsNanos;
    double gradientSeconds;
    double productSeconds;
  }

  private static long bytes(TileStore store, String pairing, int index, boolean gramTiles)
      throws IOException {
    long n = Files.size(store.sumsFile(pairing, index));
    n += Files.size(store.sumsSidecarFile(pairing, index));
    if (gramTiles) {
      n += Files.size(store.valuesFile(pairing, index));
      n += Files.size(store.sidecarFile(pairing, index));
    }
    return n;
  }

  /**
   * Adds up the sums of every tile of a measurement directory and writes the statistics as an
   * unsharded measurement does: {@code out/summary.json} (one run, one checkpoint), the class
   * matrices under {@code out/<checkpoint dir>/} and, when the checkpoint asks for them, the pair
   * matrices (from the Gram tiles, one tile at a time).
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
   * the sums of each pairing, the pair matrices, the summary).
   */
  public static ExperimentSummary merge(
      Path out, Path checkpointOverride, CheckpointKinds models, Consumer<String> status)
      throws IOException {
    long started = System.nanoTime();
    Path file = out.resolve(FILE);
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(
          out + " holds no " + FILE + ": not a directory written by stiffness measure");
    }
    JsonNode tree = JsonSummary.mapper().readTree(file.toFile());
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
      try (StiffnessMeasurement measurement = checkpoint.measurement(out, settings)) {
        TileStore store = new TileStore(out.resolve("tiles"));
        Map<String, PairingStatistics> statistics =
            addUp(store, checkpoint.pairings(), plans, measurement, hash, shards, status);
        for (PairingSpec p : checkpoint.pairings()) {
          if (settings.pairMatrices()) {
            status.accept("pair matrices of " + p.key());
            writePairMatrices(store, p, plans.get(p.key()), measurement, checkpoint, hash);
          }
          pairings.put(
              p.key(),
              measurement.summarise(p, statistics.get(p.key()), checkpoint.checkpointDir()));
        }
      }
      Matcher m = CHECKPOINT_DIR.matcher(checkpoint.checkpointDir());
      double lr = m.find() ? Double.parseDouble(m.group(1)) : Double.NaN;
      long step = m.find(0) ? Long.parseLong(m.group(2)) : -1;
      // Loss and accuracy need the dataset, which a checkpoint does not hold: NaN, null in JSON.
      Checkpoint c =
          new Checkpoint(
              step, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, pairings);
      ObjectNode config = JsonSummary.mapper().createObjectNode();
      config.put("command", "merge");
      config.put("checkpoint", checkpointDir.toAbsolutePath().toString());
      config.set("measurement", tree);
      config.set("saved_checkpoint", checkpoint.description());
      config.set("resources", resources(out, started));
      ExperimentSummary summary = new ExperimentSummary(config, List.of(new Run(lr, List.of(c))));
      JsonSummary.write(out.resolve("summary.json"), summary);
      return summary;
    }
  }

  /**
   * The statistics of every pairing from the sums of its tiles, added in plan order; fails listing
   * every missing or corrupt tile.
   */
  private static Map<String, PairingStatistics> addUp(
      TileStore store,
      List<PairingSpec> pairings,
      Map<String, TilePlan> plans,
      StiffnessMeasurement measurement,
      String hash,
      int shards,
      Consumer<String> status) {
    Map<String, PairingStatistics> out = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    List<String> corrupt = new ArrayList<>();
    int missingCount = 0;
    int job = 0;
    int total = plans.values().stream().mapToInt(TilePlan::tileCount).sum();
    for (PairingSpec p : pairings) {
      String key = p.key();
      TilePlan plan = plans.get(key);
      status.accept("adding the sums of " + plan.tileCount() + " tiles of " + key);
      StatisticsSpec spec = measurement.spec(p);
      StatisticsSums sums = StatisticsSums.pairing(plan, spec);
      List<String> missingHere = new ArrayList<>();
      for (TilePlan.Tile t : plan.tiles()) {
        TileStore.State<StatisticsSums> state =
            store.checkSums(key, plan, t.index(), hash, SumsShape.of(spec));
        if (state instanceof TileStore.Present<StatisticsSums> present) {
          if (missingHere.isEmpty() && corrupt.isEmpty()) {
            sums.add(present.content());
          }
        } else if (state instanceof TileStore.Corrupt<StatisticsSums> c) {
          corrupt.add(c.file() + ": " + c.reason());
        } else if (state instanceof TileStore.Foreign<StatisticsSums> f) {
          throw foreign(f.file(), f.configHash(), hash);
        } else {
          missingHere.add(t.index() + " (shard " + (job % shards) + "/" + shards + ")");
          missingCount++;
        }
        job++;
      }
      if (!missingHere.isEmpty()) {
        missing.add(key + " tiles " + String.join(", ", missingHere));
      }
      if (sums.complete() && corrupt.isEmpty()) {
        status.accept("statistics of " + key);
        out.put(key, sums.finish());
      }
    }
    if (!corrupt.isEmpty()) {
      throw new IllegalArgumentException(
          corrupt.size()
              + " tile file(s) fail verification, rerun stiffness measure on their shards to"
              + " recompute them: "
              + String.join("; ", corrupt));
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          missingCount
              + " of "
              + total
              + " tiles are missing in "
              + store.root()
              + ": "
              + String.join("; ", missing));
    }
    return out;
  }

  /** A pairing's full cosine and sign matrices, written from its Gram tiles one at a time. */
  private static void writePairMatrices(
      TileStore store,
      PairingSpec p,
      TilePlan plan,
      StiffnessMeasurement measurement,
      SavedCheckpoint checkpoint,
      String hash)
      throws IOException {
    try (PairMatrixWriter writer = measurement.pairMatrices(p, checkpoint.checkpointDir())) {
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

  private static IllegalArgumentException foreign(Path file, String configHash, String hash) {
    return new IllegalArgumentException(
        file
            + " was computed for configuration "
            + abbreviate(configHash)
            + ", not this measurement's "
            + abbreviate(hash)
            + " (another checkpoint or other options): remove it or use another directory");
  }

  private static String abbreviate(String hash) {
    return hash.length() > 12 ? hash.substring(0, 12) + "..." : hash;
  }

  /**
   * Options whose memory budget does not depend on the machine, only on the device type (see {@link
   * #DEFAULT_BUDGET}).
   */
  static GramOptions deterministic(GramOptions options, SavedCheckpoint checkpoint, Device device) {
    if (options.memoryBudgetBytes() > 0) {
      return options;
    }
    long saved = checkpoint.settings().gram().memoryBudgetBytes();
    long byDevice = device.isGpu() ? DEFAULT_GPU_BUDGET : DEFAULT_BUDGET;
    return options.withMemoryBudget(saved > 0 ? saved : byDevice);
  }

  /**
   * SHA-256 of the parameters, the sets as fed, the loss, the gradient method, the precision, the
   * layer strategy and the tile plans: everything a tile's bits depend on.
   */
  static String hash(
      SavedCheckpoint checkpoint,
      String deviceType,
      Precision precision,
      LayerStrategy strategy,
      String method,
      String reducer,
      Map<String, TilePlan> plans) {
    ConfigurationHash h = new ConfigurationHash().text("format", FORMAT);
    h.text("model", checkpoint.modelKind()).text("classes", Integer.toString(checkpoint.classes()));
    CheckpointDescription description = checkpoint.fields();
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
    h.text("bins", java.util.Arrays.toString(checkpoint.settings().bins().edges()));
    CriticalLength.Config xi = checkpoint.settings().criticalLength();
    h.text("critical length", xi.measure() + " [" + xi.windowLo() + ", " + xi.windowHi() + "]");
    h.text("reduction", reducer);
    return h.hex();
  }

  private static MeasurementDescription describe(
      SavedCheckpoint checkpoint,
      String deviceType,
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
        method,
        reducer.name(),
        gramTiles,
        options.precision().name().toLowerCase(Locale.ROOT),
        options.strategy().name().toLowerCase(Locale.ROOT),
        options.memoryBudgetBytes(),
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
    CheckpointFields f = new CheckpointFields(file, JsonSummary.mapper().readTree(file.toFile()));
    String format = f.root().path("format").asText();
    if (FORMAT_1.equals(format)) {
      throw new IllegalArgumentException(
          file
              + ": field 'format': '"
              + FORMAT_1
              + "' was written by an earlier stiffness, whose tiles hold Gram entries only and no"
              + " statistics' sums: run stiffness measure again into a new directory");
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

  private static MeasuredSet set(SavedCheckpoint checkpoint, String name) {
    for (MeasuredSet s : checkpoint.sets()) {
      if (s.name().equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException(
        checkpoint.directory() + ": a pairing names set '" + name + "', which it does not hold");
  }
}
