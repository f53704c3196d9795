package org.stiffness.nlp.text;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;
import org.stiffness.experiments.InputDistance;
import org.stiffness.experiments.MeasuredSet;
import org.stiffness.io.JsonFields;
import org.stiffness.io.JsonSummary;
import org.stiffness.stats.TileDistances;

/**
 * The input distance of text ({@link BagOfTokens#tileDistances}) computed from the model inputs
 * themselves ({@code input_ids} and {@code attention_mask} of each set): the {@code nlp} run and a
 * reader of its saved checkpoints compute it from the same arrays by the same code, so the distance
 * bins and xi reproduce exactly. Recorded in a checkpoint as {@value #NAME} with the token ids it
 * leaves out.
 */
public final class BagOfTokensDistance implements InputDistance {
  /** The name recorded as {@code input_distance}. */
  public static final String NAME = "bag-of-tokens-cosine";

  /** The recorded parameter: the ids left out of every bag (padding and special tokens). */
  public static final String EXCLUDED = "excluded_token_ids";

  private final long[] excluded;
  // A set's bag is made once, however many pairings it is in.
  private final Map<MeasuredSet, BagOfTokens> bags = new IdentityHashMap<>();

  /**
   * @param excludedIds token ids left out of every bag, typically {@link
   *     PairTokenizer#specialTokenIds()}
   */
  public BagOfTokensDistance(long[] excludedIds) {
    this.excluded = excludedIds.clone();
    Arrays.sort(this.excluded);
  }

  /** Reads the distance back from {@code input_distance_parameters} of a saved checkpoint. */
  public static BagOfTokensDistance fromCheckpoint(JsonFields fields) throws IOException {
    return new BagOfTokensDistance(fields.longs("input_distance_parameters." + EXCLUDED));
  }

  @Override
  public synchronized TileDistances between(MeasuredSet rows, MeasuredSet cols, NDManager owner) {
    return BagOfTokens.tileDistances(bag(rows), bag(cols));
  }

  private BagOfTokens bag(MeasuredSet set) {
    return bags.computeIfAbsent(
        set,
        s -> {
          NDArray ids = input(s, "input_ids");
          NDArray mask = input(s, "attention_mask");
          int n = Math.toIntExact(ids.getShape().get(0));
          int length = Math.toIntExact(ids.getShape().get(1));
          return BagOfTokens.of(ids.toLongArray(), mask.toLongArray(), n, length, excluded);
        });
  }

  private static NDArray input(MeasuredSet set, String name) {
    NDList inputs = set.examples().inputs();
    for (NDArray a : inputs) {
      if (name.equals(a.getName())) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        set.name()
            + ": the bag-of-tokens distance needs the model input '"
            + name
            + "' (int64 (N, T)), the set has inputs named "
            + inputs.stream().map(NDArray::getName).toList());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public ObjectNode parameters() {
    ObjectNode p = JsonSummary.mapper().createObjectNode();
    ArrayNode ids = p.putArray(EXCLUDED);
    for (long id : excluded) {
      ids.add(id);
    }
    return p;
  }
}
