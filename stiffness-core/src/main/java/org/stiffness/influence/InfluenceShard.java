package org.stiffness.influence;

import ai.djl.ndarray.NDArray;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.stiffness.gram.DeviceTile;
import org.stiffness.gram.TilePlan;
import org.stiffness.io.JsonFields;
import org.stiffness.io.JsonSummary;
import org.stiffness.io.NpyArray;
import org.stiffness.io.NpyReader;
import org.stiffness.io.NpyWriter;
import org.stiffness.io.Sha256;
import org.stiffness.jobs.Shard;

/**
 * What one shard of an influence computation found over the tiles it holds ({@link Shard}: the
 * tiles of the train x test plan whose number is i modulo n): each test example's partial proponent
 * and opponent lists, the self-influence of the training examples of its row blocks, and each
 * tile's row sums. {@link #merge} joins the n shards of one computation into the {@link
 * InfluenceResult} one process computes, bit for bit: the ranked lists depend only on the set of
 * candidates (a strict total order), and the row sums are added tile by tile in plan order.
 *
 * <p>Files ({@link #write}): {@code influence-<i>-of-<n>.npy}, the shard's state as one float64
 * vector (fp32 scores and integer indices are exact in it), and {@code influence-<i>-of-<n>.json},
 * written last, with the plan, k, the checkpoints, the configuration hash, the tiles held and a
 * SHA-256 over the {@code .npy} bytes, as the statistics' tile files ({@code TileStore}) are.
 * Memory: {@code O((N + M) k)} plus one float64 per training example and column block.
 */
public final class InfluenceShard {
  static final String FORMAT = "stiffness-influence-shard/1";
  private static final Pattern NAME = Pattern.compile("influence-(\\d+)-of-(\\d+)\\.json");

  private final Setting setting;
  private final Shard shard;
  private final RankedLists proponents;
  private final RankedLists opponents;
  private final double[] selfInfluence;
  private final int[] selfSource;
  private final List<Integer> tiles = new ArrayList<>();
  private final List<double[]> rowSums = new ArrayList<>();

  /**
   * What identifies a computation: shards merge only with shards of the same setting.
   *
   * @param plan the train x test tile plan
   * @param k list length, at most the training examples
   * @param checkpoints names of the checkpoints, in order
   * @param weights their weights {@code w_k}
   * @param layers the layers the gradients were restricted to (empty: all)
   * @param configHash hash of everything that decides the scores (plan, checkpoints, layers, the
   *     examples' ids, the gradient method and options)
   */
  record Setting(
      TilePlan plan,
      int k,
      List<String> checkpoints,
      double[] weights,
      List<String> layers,
      String configHash) {
    boolean sameAs(Setting o) {
      return plan.equals(o.plan)
          && k == o.k
          && checkpoints.equals(o.checkpoints)
          && Arrays.equals(weights, o.weights)
          && layers.equals(o.layers)
          && configHash.equals(o.configHash);
    }
  }

  InfluenceShard(Setting setting, Shard shard) {
    this.setting = setting;
    this.shard = shard;
    TilePlan plan = setting.plan();
    this.proponents = new RankedLists(plan.cols(), setting.k(), true);
    this.opponents = new RankedLists(plan.cols(), setting.k(), false);
    this.selfInfluence = new double[plan.rows()];
    this.selfSource = new int[plan.rowBlocks()];
    Arrays.fill(selfSource, -1);
  }

  /**
   * Reduces one tile of the plan (tiles of this shard, in plan order): its candidates to the lists,
   * its row sums (and for a mirrored tile those of its transpose), and the self-influence of its
   * rows when no earlier tile gave them.
   *
   * @throws IllegalStateException when a score is not finite, naming the training examples
   */
  void add(DeviceTile tile) {
    TilePlan.Tile t = tile.tile();
    if (!tiles.isEmpty() && tiles.get(tiles.size() - 1) >= t.index()) {
      throw new IllegalArgumentException(t + " comes after tile " + tiles.get(tiles.size() - 1));
    }
    NDArray values = tile.values();
    double[] direct = offer(values, t.rowStart(), t.colStart());
    double[] sums = direct;
    if (tile.mirrored()) {
      // The transpose K_JI is never computed: its rows are this tile's columns. A contiguous copy,
      // so that the host path reads it row-major.
      NDArray transposed = values.transpose().flatten().reshape(t.width(), t.height());
      double[] mirrored = offer(transposed, t.colStart(), t.rowStart());
      sums = Arrays.copyOf(direct, direct.length + mirrored.length);
      System.arraycopy(mirrored, 0, sums, direct.length, mirrored.length);
    }
    if (selfSource[t.rowBlock()] < 0) {
      System.arraycopy(tile.rowSquaredNorms(), 0, selfInfluence, t.rowStart(), t.height());
      selfSource[t.rowBlock()] = t.index();
    }
    tiles.add(t.index());
    rowSums.add(sums);
  }

  /**
   * Offers a (rows, cols) tile to both lists; its row sums (fp32 sums on the device, torch's
   * cascaded summation: a float64 copy of the tile cost more than the products of small layers).
   */
  private double[] offer(NDArray values, int rowStart, int colStart) {
    TileRanking.offer(values, rowStart, colStart, proponents);
    TileRanking.offer(values, rowStart, colStart, opponents);
    float[] rowSums = values.sum(new int[] {1}).toFloatArray();
    double[] sums = new double[rowSums.length];
    for (int i = 0; i < sums.length; i++) {
      sums[i] = rowSums[i];
    }
    for (int i = 0; i < sums.length; i++) {
      if (!Double.isFinite(sums[i])) {
        throw new IllegalStateException(
            "the influence of training example "
                + (rowStart + i)
                + " on test examples "
                + colStart
                + ".."
                + (colStart + values.getShape().get(1) - 1)
                + " is not finite");
      }
    }
    return sums;
  }

  /** Which shard this is. */
  public Shard shard() {
    return shard;
  }

  /** The tile plan of the whole computation. */
  public TilePlan plan() {
    return setting.plan();
  }

  /** Length of the lists: the requested k, at most the number of training examples. */
  public int k() {
    return setting.k();
  }

  /** Numbers of the tiles this shard holds, in plan order. */
  public List<Integer> tiles() {
    return List.copyOf(tiles);
  }

  /** The hash of everything that decides the scores; shards merge only when it is the same. */
  public String configHash() {
    return setting.configHash();
  }

  Setting setting() {
    return setting;
  }

  /**
   * Joins the shards of one computation into its result, bit for bit what one process computes.
   *
   * @param shards the n shards {@code 0/n .. n-1/n} of one computation, in any order
   * @throws IllegalArgumentException when a shard is missing or given twice, or the shards are of
   *     different computations (plan, k, checkpoints, layers or configuration hash), naming them
   */
  public static InfluenceResult merge(List<InfluenceShard> shards) {
    if (shards.isEmpty()) {
      throw new IllegalArgumentException("no influence shards to merge");
    }
    InfluenceShard first = shards.get(0);
    int n = first.shard.count();
    InfluenceShard[] byIndex = new InfluenceShard[n];
    for (InfluenceShard s : shards) {
      if (!s.setting.sameAs(first.setting)) {
        throw new IllegalArgumentException(
            "influence shard "
                + s.shard
                + " is of another computation than shard "
                + first.shard
                + " (configuration hash "
                + s.configHash()
                + " against "
                + first.configHash()
                + ")");
      }
      if (s.shard.count() != n) {
        throw new IllegalArgumentException(
            "influence shard " + s.shard + " is one of " + s.shard.count() + ", not of " + n);
      }
      if (byIndex[s.shard.index()] != null) {
        throw new IllegalArgumentException("influence shard " + s.shard + " is given twice");
      }
      byIndex[s.shard.index()] = s;
    }
    TreeSet<String> missing = new TreeSet<>();
    for (int i = 0; i < n; i++) {
      if (byIndex[i] == null) {
        missing.add(i + "/" + n);
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "influence shards " + String.join(", ", missing) + " are missing (" + n + " shards)");
    }
    TilePlan plan = first.plan();
    int k = first.k();
    RankedLists proponents = new RankedLists(plan.cols(), k, true);
    RankedLists opponents = new RankedLists(plan.cols(), k, false);
    double[] self = new double[plan.rows()];
    int[] source = new int[plan.rowBlocks()];
    Arrays.fill(source, Integer.MAX_VALUE);
    // Tile number -> the shard and position holding its row sums.
    InfluenceShard[] holder = new InfluenceShard[plan.tileCount()];
    int[] position = new int[plan.tileCount()];
    for (InfluenceShard s : byIndex) {
      proponents.offerAll(s.proponents);
      opponents.offerAll(s.opponents);
      for (int p = 0; p < s.tiles.size(); p++) {
        int t = s.tiles.get(p);
        if (holder[t] != null || !s.shard.holds(t)) {
          throw new IllegalArgumentException(
              "influence shard " + s.shard + " holds tile " + t + ", which is not its own");
        }
        holder[t] = s;
        position[t] = p;
      }
      for (int b = 0; b < source.length; b++) {
        // The self-influence of a row block from its first tile in plan order, as one process.
        if (s.selfSource[b] >= 0 && s.selfSource[b] < source[b]) {
          source[b] = s.selfSource[b];
          int from = b * plan.blockSize();
          int to = Math.min(plan.rows(), from + plan.blockSize());
          System.arraycopy(s.selfInfluence, from, self, from, to - from);
        }
      }
    }
    double[] total = new double[plan.rows()];
    for (TilePlan.Tile t : plan.tiles()) {
      InfluenceShard s = holder[t.index()];
      if (s == null) {
        throw new IllegalArgumentException(
            "influence shard " + t.index() % n + "/" + n + " does not hold its " + t);
      }
      double[] sums = s.rowSums.get(position[t.index()]);
      for (int i = 0; i < t.height(); i++) {
        total[t.rowStart() + i] += sums[i];
      }
      if (sums.length > t.height()) { // the transpose of a mirrored tile: rows of the column block
        for (int j = 0; j < t.width(); j++) {
          total[t.colStart() + j] += sums[t.height() + j];
        }
      }
    }
    Setting setting = first.setting;
    return new InfluenceResult(
        plan.rows(),
        plan.cols(),
        proponents,
        opponents,
        self,
        total,
        setting.checkpoints(),
        setting.weights(),
        setting.layers());
  }

  /** {@code influence-<i>-of-<n>.json} for shard {@code i/n}. */
  public static String fileName(Shard shard) {
    return String.format(Locale.ROOT, "influence-%d-of-%d.json", shard.index(), shard.count());
  }

  /**
   * Writes the shard into {@code directory} (created if needed): the {@code .npy} state first, the
   * {@code .json} last, each atomically, so a shard file pair with its {@code .json} is complete.
   *
   * @return the {@code .json} written
   */
  public Path write(Path directory) throws IOException {
    Path json = directory.resolve(fileName(shard));
    Path npy = npyOf(json);
    double[] state = toVector();
    Files.createDirectories(directory);
    NpyWriter.write(npy, state, state.length);
    ObjectNode root = JsonSummary.mapper().createObjectNode();
    root.put("format", FORMAT);
    root.put("shard", shard.index());
    root.put("shards", shard.count());
    root.put("config_hash", setting.configHash());
    TilePlan plan = setting.plan();
    ObjectNode p = root.putObject("plan");
    p.put("rows", plan.rows());
    p.put("cols", plan.cols());
    p.put("symmetric", plan.symmetric());
    p.put("block_size", plan.blockSize());
    p.put("pass_size", plan.passSize());
    root.put("k", setting.k());
    ArrayNode checkpoints = root.putArray("checkpoints");
    for (int c = 0; c < setting.checkpoints().size(); c++) {
      ObjectNode entry = checkpoints.addObject();
      entry.put("name", setting.checkpoints().get(c));
      entry.put("weight", setting.weights()[c]);
    }
    ArrayNode layers = root.putArray("layers");
    setting.layers().forEach(layers::add);
    ArrayNode held = root.putArray("tiles");
    tiles.forEach(held::add);
    root.put("sha256", Sha256.of(npy));
    JsonSummary.write(json, root);
    return json;
  }

  private static Path npyOf(Path json) {
    String name = json.getFileName().toString();
    return json.resolveSibling(name.substring(0, name.length() - ".json".length()) + ".npy");
  }

  /**
   * The state as one vector: each list's scores, indices and counts, the self-influence and the
   * tile that gave each row block's, then the held tiles' row sums in order.
   */
  private double[] toVector() {
    int m = setting.plan().cols();
    int k = setting.k();
    int n = setting.plan().rows();
    int sums = rowSums.stream().mapToInt(a -> a.length).sum();
    double[] v = new double[2 * (2 * m * k + m) + n + selfSource.length + sums];
    int at = 0;
    for (RankedLists lists : List.of(proponents, opponents)) {
      for (float s : lists.scores()) {
        v[at++] = s;
      }
      for (int i : lists.indices()) {
        v[at++] = i;
      }
      for (int c : lists.counts()) {
        v[at++] = c;
      }
    }
    System.arraycopy(selfInfluence, 0, v, at, n);
    at += n;
    for (int s : selfSource) {
      v[at++] = s;
    }
    for (double[] a : rowSums) {
      System.arraycopy(a, 0, v, at, a.length);
      at += a.length;
    }
    return v;
  }

  /**
   * Reads a shard written by {@link #write}, checking its format, its SHA-256 and that its state
   * has the length its plan and tiles give.
   *
   * @param json the shard's {@code .json}
   * @throws IOException naming the file and what is wrong with it (for the {@code .json} the field)
   */
  public static InfluenceShard read(Path json) throws IOException {
    JsonFields f = new JsonFields(json, JsonSummary.read(json));
    if (!FORMAT.equals(f.text("format"))) {
      throw f.bad("format", "'" + FORMAT + "'", "'" + f.text("format") + "'");
    }
    Shard shard;
    try {
      shard = new Shard(f.integer("shard"), f.integer("shards"));
    } catch (IllegalArgumentException e) {
      throw f.bad("shard", "a shard index in 0..shards-1", e.getMessage());
    }
    TilePlan plan;
    try {
      plan =
          new TilePlan(
              f.integer("plan.rows"),
              f.integer("plan.cols"),
              f.node("plan.symmetric").asBoolean(),
              f.integer("plan.block_size"),
              f.integer("plan.pass_size"));
    } catch (IllegalArgumentException e) {
      throw f.bad("plan", "a tile plan", e.getMessage());
    }
    int k = f.integer("k");
    if (k < 1 || k > plan.rows()) {
      throw f.bad("k", "1.." + plan.rows(), Integer.toString(k));
    }
    List<String> names = new ArrayList<>();
    JsonNode checkpoints = f.array("checkpoints");
    double[] weights = new double[checkpoints.size()];
    for (int c = 0; c < weights.length; c++) {
      names.add(f.text("checkpoints." + c + ".name"));
      weights[c] = f.number("checkpoints." + c + ".weight");
    }
    List<String> layers = new ArrayList<>();
    JsonNode layerNodes = f.node("layers");
    if (!layerNodes.isArray()) {
      throw f.bad("layers", "an array of layer names", layerNodes.toString());
    }
    for (JsonNode layer : layerNodes) {
      layers.add(layer.asText());
    }
    Setting setting =
        new Setting(
            plan, k, List.copyOf(names), weights, List.copyOf(layers), f.text("config_hash"));
    InfluenceShard s = new InfluenceShard(setting, shard);
    List<TilePlan.Tile> all = plan.tiles();
    int sums = 0;
    int previous = -1;
    for (JsonNode tile : f.array("tiles")) {
      int t = tile.asInt(-1);
      if (t <= previous || t >= all.size() || !shard.holds(t)) {
        throw f.bad("tiles", "ascending tiles of shard " + shard, tile.toString());
      }
      previous = t;
      s.tiles.add(t);
      TilePlan.Tile tt = all.get(t);
      sums += tt.height() + (plan.symmetric() && tt.rowBlock() != tt.colBlock() ? tt.width() : 0);
    }
    Path npy = npyOf(json);
    if (!Files.isRegularFile(npy)) {
      throw new IOException(npy + " is missing (" + json.getFileName() + " names its shard)");
    }
    String sha = Sha256.of(npy);
    if (!sha.equals(f.text("sha256"))) {
      throw new IOException(
          npy
              + ": damaged or changed since it was written: its SHA-256 is "
              + sha
              + ", "
              + json.getFileName()
              + " records "
              + f.text("sha256"));
    }
    NpyArray array = NpyReader.read(npy);
    double[] v = array.doubles();
    int m = plan.cols();
    int n = plan.rows();
    int expected = 2 * (2 * m * k + m) + n + s.selfSource.length + sums;
    if (v.length != expected) {
      throw new IOException(
          npy + ": " + v.length + " numbers, the plan and tiles of " + json + " give " + expected);
    }
    int at = 0;
    RankedLists[] lists = new RankedLists[2];
    for (int l = 0; l < 2; l++) {
      float[] scores = new float[m * k];
      int[] indices = new int[m * k];
      int[] counts = new int[m];
      for (int e = 0; e < scores.length; e++) {
        scores[e] = (float) v[at++];
      }
      for (int e = 0; e < indices.length; e++) {
        indices[e] = (int) v[at++];
      }
      for (int c = 0; c < m; c++) {
        counts[c] = (int) v[at++];
      }
      lists[l] = RankedLists.of(k, l == 0, scores, indices, counts);
    }
    s.proponents.offerAll(lists[0]);
    s.opponents.offerAll(lists[1]);
    System.arraycopy(v, at, s.selfInfluence, 0, n);
    at += n;
    for (int b = 0; b < s.selfSource.length; b++) {
      s.selfSource[b] = (int) v[at++];
    }
    for (int t : s.tiles) {
      TilePlan.Tile tt = all.get(t);
      int length =
          tt.height() + (plan.symmetric() && tt.rowBlock() != tt.colBlock() ? tt.width() : 0);
      s.rowSums.add(Arrays.copyOfRange(v, at, at + length));
      at += length;
    }
    return s;
  }

  /**
   * Reads every shard file ({@code influence-<i>-of-<n>.json}) in {@code directory}.
   *
   * @throws IOException when there is none, or one cannot be read (naming it)
   */
  public static List<InfluenceShard> readAll(Path directory) throws IOException {
    List<Path> files;
    try (Stream<Path> list = Files.list(directory)) {
      files =
          list.filter(p -> NAME.matcher(p.getFileName().toString()).matches()).sorted().toList();
    }
    if (files.isEmpty()) {
      throw new IOException(
          directory + " holds no influence shard files (influence-<i>-of-<n>.json)");
    }
    List<InfluenceShard> shards = new ArrayList<>();
    for (Path file : files) {
      Matcher m = NAME.matcher(file.getFileName().toString());
      InfluenceShard s = read(file);
      if (m.matches() && !fileName(s.shard).equals(file.getFileName().toString())) {
        throw new IOException(file + ": holds shard " + s.shard + ", its name says otherwise");
      }
      shards.add(s);
    }
    return shards;
  }
}
