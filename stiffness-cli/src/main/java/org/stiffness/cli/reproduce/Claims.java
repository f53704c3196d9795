package org.stiffness.cli.reproduce;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import org.stiffness.report.Plots;
import org.stiffness.summary.ExperimentSummary;
import org.stiffness.summary.ExperimentSummary.Checkpoint;
import org.stiffness.summary.ExperimentSummary.CriticalLengthSummary;
import org.stiffness.summary.ExperimentSummary.DistanceBin;
import org.stiffness.summary.ExperimentSummary.PairingSummary;
import org.stiffness.summary.ExperimentSummary.Run;

/**
 * Verdicts on the paper's claims from an experiment's {@code summary.json} (and the class matrices
 * it names), without running anything. Every verdict is a comparison with a threshold stated here
 * and in docs/reproduction.md:
 *
 * <ul>
 *   <li>All claims are judged on the {@value #PAIRING} pairing, the one the paper ties to
 *       generalisation, and on cosine stiffness (sign stiffness saturates at 1 within a class).
 *   <li>A difference of two stiffness means "exceeds" when it is larger than {@value #SE_MULTIPLE}
 *       standard errors, computed over the <em>class cells</em> the means average (the class
 *       matrix's entries): the cells are the replicates. Pairs are not independent (every pair
 *       shares its examples with hundreds of others), so a standard error over pairs, about
 *       1/sqrt(25000) for 500 examples, would call almost any difference significant.
 *   <li>A claim about training holds when it holds at at least {@value #MIN_FRACTION} of the
 *       checkpoints after step 0 (the initial network has learned nothing) of every learning rate.
 * </ul>
 */
public final class Claims {

  /** The pairing every claim is judged on. */
  public static final String PAIRING = "train-val";

  /** Standard errors a difference must exceed. */
  public static final double SE_MULTIPLE = 2.0;

  /** Fraction of the checkpoints after step 0, per learning rate, a claim must hold at. */
  public static final double MIN_FRACTION = 0.8;

  /**
   * Distance bins with fewer pairs are left out of the decay's rank correlation: the bins the
   * distance plots leave out too, so the plot shows what is judged.
   */
  public static final long MIN_BIN_PAIRS = Plots.MIN_BIN_PAIRS;

  /** Spearman's rank correlation of stiffness with distance must be at most this. */
  public static final double MAX_DECAY_RHO = -0.5;

  /** The last validation loss must exceed its minimum by this fraction for "overfitted". */
  public static final double MIN_OVERFIT_RISE = 0.05;

  /** The claims {@link #evaluate} judges: all but {@link Claim#GENERALISATION}. */
  public static final List<Claim> STANDARD =
      List.of(
          Claim.WITHIN_OVER_BETWEEN,
          Claim.DISTANCE_DECAY_WITHIN,
          Claim.DISTANCE_DECAY_ALL_PAIRS,
          Claim.XI_TRAINING_WITHIN,
          Claim.XI_TRAINING_ALL_PAIRS,
          Claim.XI_LR_WITHIN,
          Claim.XI_LR_ALL_PAIRS,
          Claim.CLASS_GROUPS);

  private final String experiment;
  private final ExperimentSummary summary;
  private final ClassMatrices matrices;

  private Claims(String experiment, ExperimentSummary summary, ClassMatrices matrices) {
    this.experiment = experiment;
    this.summary = summary;
    this.matrices = matrices;
  }

  /**
   * The {@link #STANDARD} claims on one experiment.
   *
   * @throws IllegalArgumentException when the summary lacks a field a claim needs, naming it
   * @throws IOException when a class matrix cannot be read
   */
  public static List<ClaimResult> evaluate(
      String experiment, ExperimentSummary summary, ClassMatrices matrices) throws IOException {
    Claims c = new Claims(experiment, summary, matrices);
    c.requireRuns();
    return List.of(
        c.withinOverBetween(),
        c.distanceDecay(Claim.DISTANCE_DECAY_WITHIN, PairingSummary::withinClassDistanceProfile),
        c.distanceDecay(Claim.DISTANCE_DECAY_ALL_PAIRS, PairingSummary::distanceProfile),
        c.xiOverTraining(Claim.XI_TRAINING_WITHIN, PairingSummary::criticalLength),
        c.xiOverTraining(Claim.XI_TRAINING_ALL_PAIRS, PairingSummary::criticalLengthAllPairs),
        c.xiAgainstLearningRate(Claim.XI_LR_WITHIN, PairingSummary::criticalLength),
        c.xiAgainstLearningRate(Claim.XI_LR_ALL_PAIRS, PairingSummary::criticalLengthAllPairs),
        c.classGroups());
  }

  /**
   * {@link Claim#GENERALISATION} on an experiment trained until it overfits: within-class stiffness
   * must fall, by more than {@value #SE_MULTIPLE} standard errors of the per-class change, from the
   * checkpoint of least validation loss to the last checkpoint; the last validation loss must be at
   * least {@value #MIN_OVERFIT_RISE} above the minimum, else the run did not overfit and the claim
   * is not measurable.
   */
  public static ClaimResult generalisation(
      String experiment, ExperimentSummary summary, ClassMatrices matrices) throws IOException {
    Claims c = new Claims(experiment, summary, matrices);
    c.requireRuns();
    return c.generalisation();
  }

  /** The rows of claims an experiment that did not run would have answered. */
  public static List<ClaimResult> notRun(List<Claim> claims, String experiment, String why) {
    return claims.stream()
        .map(c -> new ClaimResult(c, experiment, Verdict.NOT_RUN, why, List.of()))
        .toList();
  }

  private void requireRuns() {
    if (summary.runs() == null || summary.runs().isEmpty()) {
      throw new IllegalArgumentException("runs: the summary has no run");
    }
    for (int r = 0; r < summary.runs().size(); r++) {
      List<Checkpoint> cps = summary.runs().get(r).checkpoints();
      if (cps == null || cps.isEmpty()) {
        throw new IllegalArgumentException("runs[" + r + "].checkpoints: the run has none");
      }
      for (int k = 0; k < cps.size(); k++) {
        Map<String, PairingSummary> p = cps.get(k).pairings();
        if (p == null || p.get(PAIRING) == null) {
          throw new IllegalArgumentException(
              "runs[" + r + "].checkpoints[" + k + "].pairings: no " + PAIRING + " pairing");
        }
      }
    }
  }

  private static PairingSummary at(Checkpoint cp) {
    return cp.pairings().get(PAIRING);
  }

  private ClaimResult result(Claim claim, Verdict verdict, String figure, List<String> plots) {
    List<String> withReport = new ArrayList<>(plots);
    withReport.add("report.html");
    return new ClaimResult(claim, experiment, verdict, figure, withReport);
  }

  private List<String> perRun(String prefix) {
    return summary.runs().stream()
        .map(r -> "plots/" + prefix + "-" + PAIRING + "-lr" + lr(r.lr()) + ".png")
        .toList();
  }

  // --- within-class against between-class stiffness ---

  private ClaimResult withinOverBetween() throws IOException {
    List<String> parts = new ArrayList<>();
    boolean all = true;
    for (Run run : summary.runs()) {
      List<Checkpoint> trained = afterStepZero(run);
      if (trained.isEmpty()) {
        return result(
            Claim.WITHIN_OVER_BETWEEN,
            Verdict.NOT_MEASURABLE,
            "lr " + lr(run.lr()) + " has no checkpoint after step 0",
            List.of());
      }
      int exceeds = 0;
      Difference last = null;
      for (Checkpoint cp : trained) {
        double[][] m = matrices.read(at(cp).classCosMatrix());
        last = Difference.unpaired(diagonal(m), offDiagonal(m, null, false));
        exceeds += last.exceeds() ? 1 : 0;
      }
      all &= exceeds >= MIN_FRACTION * trained.size();
      parts.add(
          String.format(
              Locale.ROOT,
              "lr %s: within > between at %d/%d checkpoints; step %d: %s",
              lr(run.lr()),
              exceeds,
              trained.size(),
              trained.get(trained.size() - 1).step(),
              last.describe("within", "between")));
    }
    List<String> plots = new ArrayList<>(perRun("training"));
    plots.addAll(perRun("class-cos"));
    return result(
        Claim.WITHIN_OVER_BETWEEN,
        all ? Verdict.HOLDS : Verdict.DOES_NOT_HOLD,
        String.join("; ", parts),
        plots);
  }

  // --- stiffness against input distance ---

  private ClaimResult distanceDecay(
      Claim claim, Function<PairingSummary, List<DistanceBin>> profile) {
    List<String> parts = new ArrayList<>();
    List<String> plots = List.of("plots/distance-" + PAIRING + ".png");
    boolean all = true;
    for (Run run : summary.runs()) {
      Checkpoint last = run.checkpoints().get(run.checkpoints().size() - 1);
      List<DistanceBin> bins = profile.apply(at(last));
      List<DistanceBin> used =
          bins == null
              ? List.of()
              : bins.stream()
                  .filter(b -> b.pairs() >= MIN_BIN_PAIRS && b.meanCos() != null)
                  .toList();
      if (used.size() < 3) {
        return result(
            claim,
            Verdict.NOT_MEASURABLE,
            String.format(
                Locale.ROOT,
                "lr %s, step %d: %d bins of at least %d pairs; 3 are needed",
                lr(run.lr()),
                last.step(),
                used.size(),
                MIN_BIN_PAIRS),
            plots);
      }
      double rho =
          spearman(
              used.stream().mapToDouble(b -> (b.lo() + b.hi()) / 2).toArray(),
              used.stream().mapToDouble(DistanceBin::meanCos).toArray());
      all &= rho <= MAX_DECAY_RHO;
      parts.add(
          String.format(
              Locale.ROOT,
              "lr %s, step %d: rank correlation with distance %+.2f (%d bins, cos %+.3f at d = %.2f"
                  + " to %+.3f at d = %.2f)",
              lr(run.lr()),
              last.step(),
              rho,
              used.size(),
              used.get(0).meanCos(),
              (used.get(0).lo() + used.get(0).hi()) / 2,
              used.get(used.size() - 1).meanCos(),
              (used.get(used.size() - 1).lo() + used.get(used.size() - 1).hi()) / 2));
    }
    return result(
        claim, all ? Verdict.HOLDS : Verdict.DOES_NOT_HOLD, String.join("; ", parts), plots);
  }

  /** Spearman's rank correlation, ties given their mean rank; NaN when either side is constant. */
  static double spearman(double[] x, double[] y) {
    return pearson(ranks(x), ranks(y));
  }

  private static double[] ranks(double[] v) {
    Integer[] order = new Integer[v.length];
    for (int i = 0; i < v.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble(i -> v[i]));
    double[] rank = new double[v.length];
    for (int i = 0; i < v.length; ) {
      int j = i;
      while (j + 1 < v.length && v[order[j + 1]] == v[order[i]]) {
        j++;
      }
      for (int k = i; k <= j; k++) {
        rank[order[k]] = (i + j) / 2.0 + 1;
      }
      i = j + 1;
    }
    return rank;
  }

  private static double pearson(double[] x, double[] y) {
    double mx = Arrays.stream(x).average().orElse(Double.NaN);
    double my = Arrays.stream(y).average().orElse(Double.NaN);
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < x.length; i++) {
      sxy += (x[i] - mx) * (y[i] - my);
      sxx += (x[i] - mx) * (x[i] - mx);
      syy += (y[i] - my) * (y[i] - my);
    }
    return sxy / Math.sqrt(sxx * syy);
  }

  // --- the critical length ---

  private ClaimResult xiOverTraining(
      Claim claim, Function<PairingSummary, CriticalLengthSummary> definition) {
    List<String> parts = new ArrayList<>();
    boolean noCrossing = false;
    boolean allShrink = true;
    for (Run run : summary.runs()) {
      List<Checkpoint> cps = run.checkpoints();
      if (cps.size() < 2) {
        return result(
            claim,
            Verdict.NOT_MEASURABLE,
            "lr " + lr(run.lr()) + " has a single checkpoint",
            List.of());
      }
      Checkpoint first = cps.get(0);
      Checkpoint last = cps.get(cps.size() - 1);
      CriticalLengthSummary a = xi(definition, first);
      CriticalLengthSummary b = xi(definition, last);
      long withCrossing = cps.stream().filter(cp -> xi(definition, cp).value() != null).count();
      String head =
          String.format(
              Locale.ROOT,
              "lr %s (crossing at %d/%d checkpoints): ",
              lr(run.lr()),
              withCrossing,
              cps.size());
      if (a.value() == null || b.value() == null) {
        noCrossing = true;
        CriticalLengthSummary missing = a.value() == null ? a : b;
        parts.add(
            head
                + "no crossing at step "
                + (a.value() == null ? first : last).step()
                + " ("
                + shortReason(missing.reason())
                + ")");
        continue;
      }
      String change;
      if (high(b) < low(a)) {
        change = "smaller";
      } else {
        allShrink = false;
        change = low(b) > high(a) ? "larger" : "intervals overlap";
      }
      parts.add(
          head
              + describe(a)
              + " at step "
              + first.step()
              + " -> "
              + describe(b)
              + " at step "
              + last.step()
              + " ("
              + change
              + ")");
    }
    // A run that measurably fails to shrink decides against the claim even when another run has
    // no crossing; "no crossing" is the outcome only when no run contradicts the claim.
    Verdict v =
        !allShrink ? Verdict.DOES_NOT_HOLD : noCrossing ? Verdict.NO_CROSSING : Verdict.HOLDS;
    return result(claim, v, String.join("; ", parts), List.of("plots/xi-" + PAIRING + ".png"));
  }

  private ClaimResult xiAgainstLearningRate(
      Claim claim, Function<PairingSummary, CriticalLengthSummary> definition) {
    List<Run> runs = summary.runs().stream().sorted(Comparator.comparingDouble(Run::lr)).toList();
    Run slow = runs.get(0);
    Run fast = runs.get(runs.size() - 1);
    List<String> plots = List.of("plots/xi-" + PAIRING + ".png");
    if (slow.lr() == fast.lr()) {
      return result(claim, Verdict.NOT_MEASURABLE, "a single learning rate", plots);
    }
    // Compared at one step, the last one both runs reached (a diverged run stops early).
    TreeSet<Long> common = steps(slow);
    common.retainAll(steps(fast));
    if (common.isEmpty()) {
      return result(claim, Verdict.NOT_MEASURABLE, "the runs share no measured step", plots);
    }
    long step = common.last();
    List<String> parts = new ArrayList<>();
    for (Run run : runs) {
      run.checkpoints().stream()
          .filter(cp -> cp.step() == step)
          .findFirst()
          .ifPresent(cp -> parts.add("lr " + lr(run.lr()) + ": " + describe(xi(definition, cp))));
    }
    CriticalLengthSummary a = xi(definition, checkpointAt(slow, step));
    CriticalLengthSummary b = xi(definition, checkpointAt(fast, step));
    String figure = "step " + step + ": " + String.join(", ", parts);
    if (a.value() == null || b.value() == null) {
      return result(claim, Verdict.NO_CROSSING, figure, plots);
    }
    if (high(b) < low(a)) {
      return result(claim, Verdict.HOLDS, figure + " (smaller at the higher rate)", plots);
    }
    String why =
        low(b) > high(a) ? "larger at the higher rate, as v1 said" : "the intervals overlap";
    return result(claim, Verdict.DOES_NOT_HOLD, figure + " (" + why + ")", plots);
  }

  private static CriticalLengthSummary xi(
      Function<PairingSummary, CriticalLengthSummary> definition, Checkpoint cp) {
    CriticalLengthSummary xi = definition.apply(at(cp));
    if (xi == null) {
      throw new IllegalArgumentException(
          "step " + cp.step() + ": the " + PAIRING + " pairing has no critical length");
    }
    return xi;
  }

  private static TreeSet<Long> steps(Run run) {
    TreeSet<Long> s = new TreeSet<>();
    run.checkpoints().forEach(cp -> s.add(cp.step()));
    return s;
  }

  private static Checkpoint checkpointAt(Run run, long step) {
    return run.checkpoints().stream().filter(cp -> cp.step() == step).findFirst().orElseThrow();
  }

  /** A missing interval end counts as unbounded: the comparison then cannot pass. */
  private static double low(CriticalLengthSummary xi) {
    return xi.low() == null ? Double.NEGATIVE_INFINITY : xi.low();
  }

  private static double high(CriticalLengthSummary xi) {
    return xi.high() == null ? Double.POSITIVE_INFINITY : xi.high();
  }

  private static String describe(CriticalLengthSummary xi) {
    if (xi.value() == null) {
      return "no crossing (" + shortReason(xi.reason()) + ")";
    }
    return String.format(Locale.ROOT, "%.3f [%.3f, %.3f]", xi.value(), low(xi), high(xi));
  }

  /** The reason's keyword, e.g. {@code crossing_outside_range}, without the detail. */
  private static String shortReason(String reason) {
    if (reason == null) {
      return "no reason given";
    }
    int colon = reason.indexOf(':');
    return colon < 0 ? reason : reason.substring(0, colon);
  }

  // --- class groups ---

  private ClaimResult classGroups() throws IOException {
    PairingSummary first = at(summary.runs().get(0).checkpoints().get(0));
    if (first.classGroups() == null) {
      return result(
          Claim.CLASS_GROUPS,
          Verdict.NOT_RUN,
          "no grouping of this dataset's classes (fashion-mnist and cifar100 have one)",
          List.of());
    }
    List<Integer> groupOf = first.classGroups().groupOfClass();
    List<String> parts = new ArrayList<>();
    boolean all = true;
    for (Run run : summary.runs()) {
      List<Checkpoint> trained = afterStepZero(run);
      if (trained.isEmpty()) {
        return result(
            Claim.CLASS_GROUPS,
            Verdict.NOT_MEASURABLE,
            "lr " + lr(run.lr()) + " has no checkpoint after step 0",
            List.of());
      }
      int higher = 0;
      int lower = 0;
      Difference last = null;
      for (Checkpoint cp : trained) {
        double[][] m = matrices.read(at(cp).classCosMatrix());
        if (m.length != groupOf.size()) {
          throw new IllegalArgumentException(
              at(cp).classCosMatrix()
                  + ": "
                  + m.length
                  + " classes, but class_groups.group_of_class has "
                  + groupOf.size());
        }
        last = Difference.unpaired(offDiagonal(m, groupOf, true), offDiagonal(m, groupOf, false));
        higher += last.exceeds() ? 1 : 0;
        lower += last.fallsShort() ? 1 : 0;
      }
      all &= higher >= MIN_FRACTION * trained.size();
      parts.add(
          String.format(
              Locale.ROOT,
              "lr %s: within-group higher at %d/%d checkpoints, lower at %d; step %d: %s",
              lr(run.lr()),
              higher,
              trained.size(),
              lower,
              trained.get(trained.size() - 1).step(),
              last.describe("within-group", "across-group")));
    }
    List<String> plots = new ArrayList<>(perRun("class-groups-cos"));
    plots.addAll(perRun("class-cos"));
    return result(
        Claim.CLASS_GROUPS,
        all ? Verdict.HOLDS : Verdict.DOES_NOT_HOLD,
        "groups " + first.classGroups().name() + "; " + String.join("; ", parts),
        plots);
  }

  // --- generalisation ---

  private ClaimResult generalisation() throws IOException {
    List<String> parts = new ArrayList<>();
    boolean notMeasurable = false;
    boolean all = true;
    for (Run run : summary.runs()) {
      List<Checkpoint> cps =
          run.checkpoints().stream().filter(cp -> Double.isFinite(cp.valLoss())).toList();
      if (cps.size() < 3) {
        notMeasurable = true;
        parts.add("lr " + lr(run.lr()) + ": fewer than 3 checkpoints with a validation loss");
        continue;
      }
      Checkpoint best = cps.stream().min(Comparator.comparingDouble(Checkpoint::valLoss)).get();
      Checkpoint last = cps.get(cps.size() - 1);
      double rise = last.valLoss() / best.valLoss() - 1;
      String losses =
          String.format(
              Locale.ROOT,
              "lr %s: val loss least %.3f at step %d (epoch %.1f), %.3f at step %d (%+.0f %%)",
              lr(run.lr()),
              best.valLoss(),
              best.step(),
              best.epoch(),
              last.valLoss(),
              last.step(),
              100 * rise);
      if (best == last || !(rise >= MIN_OVERFIT_RISE)) {
        notMeasurable = true;
        parts.add(
            losses
                + String.format(
                    Locale.ROOT,
                    ": no overfitting (the last val loss is not %.0f %% above the least)",
                    100 * MIN_OVERFIT_RISE));
        continue;
      }
      double[][] start = matrices.read(at(cps.get(0)).classCosMatrix());
      double[][] atBest = matrices.read(at(best).classCosMatrix());
      double[][] atLast = matrices.read(at(last).classCosMatrix());
      Difference before = Difference.paired(diagonal(atBest), diagonal(start));
      Difference after = Difference.paired(diagonal(atLast), diagonal(atBest));
      boolean falls = after.fallsShort();
      all &= falls;
      parts.add(
          String.format(
              Locale.ROOT,
              "%s; within-class cos %.3f (step %d) -> %.3f (least val loss) -> %.3f (last):"
                  + " change before %+.3f, after %+.3f +- %.3f; between-class %.3f -> %.3f -> %.3f",
              losses,
              mean(diagonal(start)),
              cps.get(0).step(),
              mean(diagonal(atBest)),
              mean(diagonal(atLast)),
              before.margin(),
              after.margin(),
              after.se(),
              mean(offDiagonal(start, null, false)),
              mean(offDiagonal(atBest, null, false)),
              mean(offDiagonal(atLast, null, false))));
    }
    Verdict v =
        notMeasurable ? Verdict.NOT_MEASURABLE : all ? Verdict.HOLDS : Verdict.DOES_NOT_HOLD;
    List<String> plots = new ArrayList<>(perRun("training"));
    // Whether it overfitted is read off the validation loss, drawn once per run.
    summary.runs().forEach(r -> plots.add("plots/loss-lr" + lr(r.lr()) + ".png"));
    return result(Claim.GENERALISATION, v, String.join("; ", parts), plots);
  }

  // --- class cells ---

  private static List<Checkpoint> afterStepZero(Run run) {
    return run.checkpoints().stream().filter(cp -> cp.step() > 0).toList();
  }

  /** Non-empty diagonal cells, NaN kept in its place so paired differences stay aligned. */
  private static double[] diagonal(double[][] m) {
    double[] d = new double[m.length];
    for (int a = 0; a < m.length; a++) {
      d[a] = m[a][a];
    }
    return d;
  }

  /**
   * Non-empty off-diagonal cells; with {@code groupOf}, only those whose classes are in the same
   * group ({@code sameGroup}) or in different groups.
   */
  private static double[] offDiagonal(double[][] m, List<Integer> groupOf, boolean sameGroup) {
    List<Double> out = new ArrayList<>();
    for (int a = 0; a < m.length; a++) {
      for (int b = 0; b < m.length; b++) {
        if (a == b || !Double.isFinite(m[a][b])) {
          continue;
        }
        if (groupOf != null && groupOf.get(a).equals(groupOf.get(b)) != sameGroup) {
          continue;
        }
        out.add(m[a][b]);
      }
    }
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).filter(Double::isFinite).average().orElse(Double.NaN);
  }

  /**
   * A difference of two means of class cells with its standard error.
   *
   * @param margin first mean minus second
   * @param se standard error of the margin (NaN when a side has fewer than 2 cells)
   */
  record Difference(double margin, double se, double first, double second) {

    /** Two independent sets of cells: {@code sqrt(var_a / n_a + var_b / n_b)}. */
    static Difference unpaired(double[] a, double[] b) {
      double[] fa = finite(a);
      double[] fb = finite(b);
      double ma = mean(fa);
      double mb = mean(fb);
      double se = Math.sqrt(variance(fa) / fa.length + variance(fb) / fb.length);
      return new Difference(ma - mb, se, ma, mb);
    }

    /** The same cells at two times: the standard error of the mean per-cell change. */
    static Difference paired(double[] after, double[] before) {
      List<Double> d = new ArrayList<>();
      for (int i = 0; i < after.length; i++) {
        if (Double.isFinite(after[i]) && Double.isFinite(before[i])) {
          d.add(after[i] - before[i]);
        }
      }
      double[] diff = d.stream().mapToDouble(Double::doubleValue).toArray();
      return new Difference(
          mean(diff), Math.sqrt(variance(diff) / diff.length), mean(after), mean(before));
    }

    boolean exceeds() {
      return margin > SE_MULTIPLE * se;
    }

    boolean fallsShort() {
      return margin < -SE_MULTIPLE * se;
    }

    String describe(String firstName, String secondName) {
      return String.format(
          Locale.ROOT,
          "%s %.3f vs %s %.3f (difference %+.3f, SE %.3f)",
          firstName,
          first,
          secondName,
          second,
          margin,
          se);
    }

    private static double[] finite(double[] v) {
      return Arrays.stream(v).filter(Double::isFinite).toArray();
    }

    /** Sample variance (n - 1); NaN below 2 values, so a comparison on it cannot pass. */
    private static double variance(double[] v) {
      if (v.length < 2) {
        return Double.NaN;
      }
      double m = mean(v);
      return Arrays.stream(v).map(x -> (x - m) * (x - m)).sum() / (v.length - 1);
    }
  }

  /** A learning rate as the plots' file names write it ({@code 0.001}). */
  static String lr(double lr) {
    return BigDecimal.valueOf(lr).stripTrailingZeros().toPlainString();
  }
}
