package org.stiffness.report;

import java.util.List;

/**
 * The terms a report uses, defined at its top for a reader who knows the paper's abstract and no
 * more. The wording follows docs/paper.md ("Definitions").
 */
final class Glossary {
  /**
   * One term.
   *
   * @param term as the report writes it
   * @param definition plain text, not escaped
   */
  record Entry(String term, String definition) {}

  /** The terms, in the order a reader meets them. */
  static final List<Entry> ENTRIES =
      List.of(
          new Entry(
              "stiffness",
              "How a gradient step on one example changes the loss on another. A small step on"
                  + " example 1, dW = -eps g1 (g: the gradient of one example's loss with respect"
                  + " to all trainable weights), changes the loss on example 2 by about -eps g1 ."
                  + " g2: a positive dot product means the step also helps example 2 (stiff), a"
                  + " negative one that it hurts it (anti-stiff)."),
          new Entry(
              "sign stiffness",
              "The mean of sign(g1 . g2) over pairs, in [-1, 1]: the share of pairs that help each"
                  + " other minus the share that hurt each other."),
          new Entry(
              "cosine stiffness",
              "The mean of the cosine between g1 and g2 over pairs, in [-1, 1]: how well the"
                  + " gradients align, not only whether they agree."),
          new Entry(
              "within-class, between-class",
              "The class stiffness matrix C(a, b) averages pairs whose first example is of class"
                  + " a and second of class b, self-pairs excluded. Within-class stiffness is the"
                  + " mean of its diagonal (pairs of one class), between-class stiffness the mean"
                  + " of its off-diagonal cells (pairs of two classes)."),
          new Entry(
              "pairings: train-train, train-val, val-val",
              "Which sets the two examples of a pair come from: both from the measured training"
                  + " examples, the first from training and the second from validation, or both"
                  + " from validation. Train-val is the one tied to generalization; the paper"
                  + " reports that the three behave alike."),
          new Entry(
              "input distance",
              "The cosine distance between the two inputs (after preprocessing), d = 1 - cos(X1,"
                  + " X2): 0 for inputs pointing the same way, 1 for orthogonal ones, up to 2."),
          new Entry(
              "critical length xi",
              "The input distance at which within-class stiffness crosses zero on average, from a"
                  + " straight-line fit of stiffness against distance, with a bootstrap interval."
                  + " Nearby pairs (closer than xi) tend to help each other; the paper finds xi"
                  + " shrinking during training and smaller for higher learning rates."),
          new Entry(
              "crossing",
              "The fitted line reaching zero inside the measured distances. Where it does not"
                  + " (for instance, stiffness stays positive over all measured distances), xi was"
                  + " not measured at that checkpoint: the report says why instead of"
                  + " extrapolating."),
          new Entry(
              "xi, all pairs",
              "The same fit over all pairs, whatever their classes: not the paper's quantity, but"
                  + " it crosses where between-class pairs take over, also when the within-class"
                  + " fit does not."),
          new Entry(
              "gradient coherence alpha",
              "Not in the paper: the same gradients read as in Chatterjee and Zielinski (2020)."
                  + " alpha = E[g1 . g2] / E[g1 . g1] with the two examples drawn independently"
                  + " from a set of m, the mean over all pairs of the dot product over the mean"
                  + " squared gradient length. Orthogonal gradients give 1/m, identical ones 1;"
                  + " the report shows alpha m, how many times the orthogonal baseline it is."),
          new Entry(
              "gradient confusion",
              "Not in the paper: after Sankararaman et al. (2020), the most negative cosine (and"
                  + " dot product) between the gradients of two different examples of a set:"
                  + " how strongly a step on one example can undo the progress on another."));

  private Glossary() {}

  /** The glossary as an HTML definition list under its own heading. */
  static String html() {
    StringBuilder h = new StringBuilder("<h2>Glossary</h2>\n<dl class=\"glossary\">\n");
    for (Entry e : ENTRIES) {
      h.append("<dt>")
          .append(HtmlReport.escape(e.term()))
          .append("</dt><dd>")
          .append(HtmlReport.escape(e.definition()))
          .append("</dd>\n");
    }
    return h.append("</dl>\n").toString();
  }
}
