package org.stiffness.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Locale;

/**
 * For a few test images, one row each: the test image, its strongest proponents, then its strongest
 * opponents, each with its label and score; a training example whose label was flipped is framed in
 * red and shows its true class.
 */
final class InfluenceGrid {
  /** Side of a drawn image, in pixels. */
  static final int CELL = 84;

  private static final int PAD = 8;
  private static final int CAPTION = 44;
  private static final int HEADER = 28;
  private static final int GAP = 18;
  private static final Color FLIPPED = new Color(214, 39, 40);

  private InfluenceGrid() {}

  /** The test examples a grid shows: {@code count} spread evenly over the test set. */
  static int[] shownTests(int testSize, int count) {
    int shown = Math.min(count, testSize);
    int[] out = new int[shown];
    for (int k = 0; k < shown; k++) {
      out[k] = (int) ((long) k * testSize / shown);
    }
    return out;
  }

  /**
   * Draws the grid.
   *
   * @param tests the test examples, one row each
   * @param perSide proponents and opponents shown per row (at most the {@code k} kept)
   */
  static BufferedImage draw(InfluenceResults r, int[] tests, int perSide) {
    int kept = tests.length == 0 ? 0 : r.proponents()[tests[0]].length;
    int side = Math.min(perSide, kept);
    int columns = 1 + 2 * side;
    int cellWidth = CELL + PAD;
    int width = PAD + cellWidth * columns + 2 * GAP + PAD;
    int rowHeight = CELL + CAPTION + PAD;
    int height = HEADER + rowHeight * Math.max(tests.length, 1) + PAD;
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      g.setColor(Color.DARK_GRAY);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
      g.drawString("test image", PAD, 18);
      if (side > 0) {
        g.drawString("top " + side + " proponents", x(1, 0), 18);
        g.drawString("top " + side + " opponents", x(1 + side, GAP), 18);
      }
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
      for (int row = 0; row < tests.length; row++) {
        int t = tests[row];
        int y = HEADER + row * rowHeight;
        cell(g, r.testImage().apply(t), PAD, y, false);
        caption(g, PAD, y, Color.DARK_GRAY, "test " + t, name(r, r.testLabels()[t]));
        for (int k = 0; k < side; k++) {
          train(g, r, r.proponents()[t][k], r.proponentScores()[t][k], x(1 + k, 0), y);
          train(g, r, r.opponents()[t][k], r.opponentScores()[t][k], x(1 + side + k, GAP), y);
        }
      }
    } finally {
      g.dispose();
    }
    return img;
  }

  private static int x(int column, int gap) {
    return PAD + GAP + gap + column * (CELL + PAD);
  }

  private static void train(Graphics2D g, InfluenceResults r, int i, double score, int x, int y) {
    if (i < 0) {
      return; // fewer training examples than k: the row is shorter
    }
    boolean flipped = r.flipped()[i];
    cell(g, r.trainImage().apply(i), x, y, flipped);
    caption(
        g,
        x,
        y,
        flipped ? FLIPPED : Color.DARK_GRAY,
        "#" + i + " " + name(r, r.trainLabels()[i]),
        String.format(Locale.ROOT, "%.3g", score),
        flipped ? "flipped, was " + name(r, r.trueLabels()[i]) : "");
  }

  private static void cell(Graphics2D g, BufferedImage image, int x, int y, boolean flipped) {
    g.drawImage(image, x, y, CELL, CELL, null);
    if (flipped) {
      g.setColor(FLIPPED);
      g.setStroke(new BasicStroke(3f));
      g.drawRect(x - 1, y - 1, CELL + 1, CELL + 1);
    }
  }

  /** Up to three short lines under a cell. */
  private static void caption(Graphics2D g, int x, int y, Color c, String... lines) {
    g.setColor(c);
    FontMetrics m = g.getFontMetrics();
    for (int k = 0; k < lines.length; k++) {
      g.drawString(fit(m, lines[k]), x, y + CELL + 13 + 13 * k);
    }
  }

  /** Cut to the cell's width, with an ellipsis. */
  private static String fit(FontMetrics m, String text) {
    if (m.stringWidth(text) <= CELL + PAD - 2) {
      return text;
    }
    String cut = text;
    while (!cut.isEmpty() && m.stringWidth(cut + "...") > CELL + PAD - 2) {
      cut = cut.substring(0, cut.length() - 1);
    }
    return cut + "...";
  }

  private static String name(InfluenceResults r, int label) {
    return label >= 0 && label < r.classNames().size()
        ? r.classNames().get(label)
        : Integer.toString(label);
  }
}
