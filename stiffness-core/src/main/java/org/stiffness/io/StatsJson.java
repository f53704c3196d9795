package org.stiffness.io;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.stiffness.stats.BinnedStiffness;
import org.stiffness.stats.ClassGroups;
import org.stiffness.stats.ClassStiffness;
import org.stiffness.stats.CriticalLength;
import org.stiffness.stats.DistanceProfile;
import org.stiffness.stats.PairStiffness;
import org.stiffness.stats.StiffnessMeasure;

/**
 * JSON trees of the statistics, for {@link JsonSummary#write}. Empty cells and bins carry NaN in
 * the trees; {@link JsonSummary} writes them as {@code null}, next to their pair count of 0.
 */
public final class StatsJson {
  private StatsJson() {}

  /** Counts of a pair-stiffness computation: pairs averaged, uncertain signs, zero gradients. */
  public static ObjectNode pairStiffness(PairStiffness p) {
    ObjectNode o = JsonSummary.mapper().createObjectNode();
    o.put("rows", p.rows());
    o.put("cols", p.cols());
    o.put("considered_pairs", p.consideredPairs());
    o.put("uncertain_sign_pairs", p.uncertainSignPairs());
    ArrayNode zr = o.putArray("zero_norm_rows");
    for (int i : p.zeroNormRows()) {
      zr.add(i);
    }
    ArrayNode zc = o.putArray("zero_norm_cols");
    for (int j : p.zeroNormCols()) {
      zc.add(j);
    }
    return o;
  }

  /** Class matrices as nested {@code (n_c, n_c)} arrays, pair counts, within/between summaries. */
  public static ObjectNode classStiffness(ClassStiffness c) {
    ObjectNode o = JsonSummary.mapper().createObjectNode();
    int n = c.numClasses();
    o.put("num_classes", n);
    ArrayNode sign = o.putArray("sign");
    ArrayNode cos = o.putArray("cosine");
    ArrayNode counts = o.putArray("pair_count");
    for (int a = 0; a < n; a++) {
      ArrayNode s = sign.addArray();
      ArrayNode k = cos.addArray();
      ArrayNode m = counts.addArray();
      for (int b = 0; b < n; b++) {
        s.add(c.signStiffness(a, b));
        k.add(c.cosineStiffness(a, b));
        m.add(c.pairCount(a, b));
      }
    }
    ObjectNode within = o.putObject("within_class");
    within.put("sign", c.withinClassStiffness(StiffnessMeasure.SIGN));
    within.put("cosine", c.withinClassStiffness(StiffnessMeasure.COSINE));
    within.put("cells", c.nonEmptyWithinCells());
    ObjectNode between = o.putObject("between_class");
    between.put("sign", c.betweenClassStiffness(StiffnessMeasure.SIGN));
    between.put("cosine", c.betweenClassStiffness(StiffnessMeasure.COSINE));
    between.put("cells", c.nonEmptyBetweenCells());
    return o;
  }

  /** Both curves as lists of {@code {lo, hi, pairs, meanSign, meanCosine}} bins. */
  public static ObjectNode distanceProfile(DistanceProfile p) {
    ObjectNode o = JsonSummary.mapper().createObjectNode();
    o.set("within_class", bins(p.withinClass()));
    o.set("all_pairs", bins(p.allPairs()));
    o.put("out_of_range_pairs", p.outOfRangePairs());
    return o;
  }

  /**
   * {@code value}, {@code low}, {@code high} (the bootstrap interval) and the fit, or {@code value:
   * null} with the {@code reason} and its {@code detail}; tagged by {@code "crossing": true|false}.
   */
  public static ObjectNode criticalLength(CriticalLength.Result r) {
    ObjectNode o = JsonSummary.mapper().createObjectNode();
    if (r instanceof CriticalLength.Estimate e) {
      o.put("crossing", true);
      o.put("value", e.xi());
      o.put("low", e.low());
      o.put("high", e.high());
      o.put("confidence", e.confidence());
      o.put("resamples", e.resamples());
      o.put("slope", e.slope());
      o.put("intercept", e.intercept());
      o.put("pairs", e.pairs());
      o.put("examples", e.examples());
      o.put("min_distance", e.minDistance());
      o.put("max_distance", e.maxDistance());
    } else {
      CriticalLength.NoCrossing n = (CriticalLength.NoCrossing) r;
      o.put("crossing", false);
      o.putNull("value");
      o.put("reason", n.reason().name());
      o.put("detail", n.detail());
      o.put("pairs", n.pairs());
    }
    return o;
  }

  private static ArrayNode bins(BinnedStiffness b) {
    ArrayNode out = JsonSummary.mapper().createArrayNode();
    for (int k = 0; k < b.binCount(); k++) {
      ObjectNode bin = out.addObject();
      bin.put("lo", b.lo(k));
      bin.put("hi", b.hi(k));
      bin.put("pairs", b.pairs(k));
      bin.put("mean_sign", b.meanSign(k));
      bin.put("mean_cos", b.meanCosine(k));
    }
    return out;
  }

  /**
   * A grouping of the classes as {@code {"name": ..., "groups": [{"name": "tops", "classes": [0, 2,
   * 4, 6]}, ...]}}, groups in index order, classes ascending: what a saved checkpoint records.
   */
  public static ObjectNode classGroups(ClassGroups groups) {
    ObjectNode o = JsonSummary.mapper().createObjectNode();
    o.put("name", groups.name());
    ArrayNode list = o.putArray("groups");
    for (int g = 0; g < groups.groups(); g++) {
      ObjectNode entry = list.addObject().put("name", groups.groupNames().get(g));
      ArrayNode classes = entry.putArray("classes");
      for (int c : groups.classesOf(g)) {
        classes.add(c);
      }
    }
    return o;
  }
}
