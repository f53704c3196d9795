package org.stiffness.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;

/**
 * A class-stiffness heatmap drawn with Java2D: XChart's heat map can neither draw the group
 * (superclass) boundaries the paper's CIFAR-100 figure needs nor tell where a cell lands, so the
 * cells are laid out here, where their geometry is known exactly.
 *
 * <p>Row = class of the first example of a pair, column = class of the second. The colour scale is
 * diverging and fixed to {@code [-1, 1]} (both stiffness measures live there), so figures of
 * different checkpoints compare by eye; cells without pairs (NaN) are grey.
 */
final class ClassHeatmap {
  /** Colour of -1, 0 and +1 (ColorBrewer RdBu end points and centre). */
  static final Color NEGATIVE = new Color(33, 102, 172);

  static final Color ZERO = new Color(247, 247, 247);
  static final Color POSITIVE = new Color(178, 24, 43);
  static final Color EMPTY = new Color(190, 190, 190);

  private static final int PAD = 16;
  private static final int TITLE_HEIGHT = 40;
  private static final int BAR_GAP = 24;
  private static final int BAR_WIDTH = 22;
  private static final int EMPTY_KEY_GAP = 14;
  private static final int EMPTY_KEY_HEIGHT = 12;

  /** What the grey key says: a cell without pairs has no stiffness. */
  static final String EMPTY_LABEL = "no pairs";

  final int classes;
  final int cell;
  final int left;
  final int top;
  final int width;
  final int height;
  private final Font labelFont;
  private final Font tickFont = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  private final Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 16);
  private final int barX;
  private final int tickLabelWidth;

  /** Lays out a {@code classes x classes} heatmap whose labels are {@code labels}. */
  ClassHeatmap(List<String> labels) {
    this.classes = labels.size();
    // About 640 px of cells up to 64 classes; never below 10 px so an 8 px label still fits
    // (CIFAR-100: 1000 px).
    this.cell = Math.max(10, Math.min(64, 640 / Math.max(1, classes)));
    this.labelFont =
        new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(8, Math.min(14, (int) (cell * 0.8))));
    BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = probe.createGraphics();
    FontMetrics fm = g.getFontMetrics(labelFont);
    int maxLabel = 0;
    for (String s : labels) {
      maxLabel = Math.max(maxLabel, fm.stringWidth(s));
    }
    tickLabelWidth =
        Math.max(
            g.getFontMetrics(tickFont).stringWidth("-0.5"),
            g.getFontMetrics(tickFont).stringWidth(EMPTY_LABEL));
    g.dispose();
    int axisTitle = 22;
    this.left = PAD + axisTitle + maxLabel + 6;
    this.top = PAD + TITLE_HEIGHT;
    int side = cell * classes;
    this.barX = left + side + BAR_GAP;
    // At least 600 px wide so the one-line title (pairing, lr, step) fits above a few classes.
    this.width = Math.max(600, barX + BAR_WIDTH + 6 + tickLabelWidth + PAD);
    // The grey "no pairs" key sits under the colour bar, which may reach below the cells.
    this.height =
        Math.max(
            top + side + 6 + maxLabel + axisTitle + PAD,
            top + barHeight(side) + EMPTY_KEY_GAP + EMPTY_KEY_HEIGHT + PAD);
  }

  private static int barHeight(int side) {
    return Math.max(120, Math.min(side, 400));
  }

  /** Pixel centre (x, y) of the cell at display row {@code row} and display column {@code col}. */
  int[] cellCentre(int row, int col) {
    return new int[] {left + col * cell + cell / 2, top + row * cell + cell / 2};
  }

  /** The diverging colour of a value in {@code [-1, 1]} (clamped); grey for NaN. */
  static Color colour(double v) {
    if (Double.isNaN(v)) {
      return EMPTY;
    }
    double t = Math.max(-1, Math.min(1, v));
    return t >= 0 ? mix(ZERO, POSITIVE, t) : mix(ZERO, NEGATIVE, -t);
  }

  private static Color mix(Color a, Color b, double t) {
    return new Color(
        (int) Math.round(a.getRed() + (b.getRed() - a.getRed()) * t),
        (int) Math.round(a.getGreen() + (b.getGreen() - a.getGreen()) * t),
        (int) Math.round(a.getBlue() + (b.getBlue() - a.getBlue()) * t));
  }

  /**
   * Draws the heatmap.
   *
   * @param matrix {@code (C, C)} row-major in class-index order
   * @param labels class names in display order
   * @param order display position to class index
   * @param groupSizes group lengths in display order
   */
  BufferedImage render(
      double[] matrix,
      List<String> labels,
      int[] order,
      int[] groupSizes,
      String title,
      String xTitle,
      String yTitle) {
    BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, width, height);
      int side = cell * classes;

      // Cells are filled without antialiasing so every cell is a flat, exact colour.
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
      for (int r = 0; r < classes; r++) {
        for (int c = 0; c < classes; c++) {
          g.setColor(colour(matrix[order[r] * classes + order[c]]));
          g.fillRect(left + c * cell, top + r * cell, cell, cell);
        }
      }
      g.setColor(Color.DARK_GRAY);
      g.drawRect(left, top, side, side);
      if (groupSizes.length > 1) {
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(cell >= 16 ? 2f : 1.5f));
        int k = 0;
        for (int s = 0; s < groupSizes.length - 1; s++) {
          k += groupSizes[s];
          int p = k * cell;
          g.drawLine(left + p, top, left + p, top + side);
          g.drawLine(left, top + p, left + side, top + p);
        }
      }
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);

      g.setColor(Color.BLACK);
      g.setFont(labelFont);
      FontMetrics fm = g.getFontMetrics();
      int ascentMid = (fm.getAscent() - fm.getDescent()) / 2;
      for (int k = 0; k < classes; k++) {
        String s = labels.get(k);
        int y = top + k * cell + cell / 2 + ascentMid;
        g.drawString(s, left - 6 - fm.stringWidth(s), y);
        // Column labels read bottom to top, right-aligned under the grid.
        AffineTransform saved = g.getTransform();
        int x = left + k * cell + cell / 2 + ascentMid;
        g.rotate(-Math.PI / 2, x, top + side + 6);
        g.drawString(s, x - fm.stringWidth(s), top + side + 6);
        g.setTransform(saved);
      }

      g.setFont(titleFont);
      FontMetrics tfm = g.getFontMetrics();
      g.drawString(
          title, Math.max(PAD, (width - tfm.stringWidth(title)) / 2), PAD + tfm.getAscent());
      g.setFont(tickFont);
      FontMetrics kfm = g.getFontMetrics();
      g.drawString(
          xTitle, left + (side - kfm.stringWidth(xTitle)) / 2, height - PAD - kfm.getDescent());
      AffineTransform saved = g.getTransform();
      int yx = PAD + kfm.getAscent();
      int yy = top + (side + kfm.stringWidth(yTitle)) / 2;
      g.rotate(-Math.PI / 2, yx, yy);
      g.drawString(yTitle, yx, yy);
      g.setTransform(saved);

      drawColourBar(g, side);
    } finally {
      g.dispose();
    }
    return img;
  }

  private void drawColourBar(Graphics2D g, int side) {
    int barTop = top;
    int barHeight = barHeight(side);
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
    for (int y = 0; y < barHeight; y++) {
      double v = 1 - 2.0 * y / (barHeight - 1);
      g.setColor(colour(v));
      g.fillRect(barX, barTop + y, BAR_WIDTH, 1);
    }
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setColor(Color.DARK_GRAY);
    g.drawRect(barX, barTop, BAR_WIDTH, barHeight);
    g.setFont(tickFont);
    FontMetrics fm = g.getFontMetrics();
    for (double v : new double[] {1, 0.5, 0, -0.5, -1}) {
      int y = barTop + (int) Math.round((1 - v) / 2 * (barHeight - 1));
      g.drawLine(barX + BAR_WIDTH, y, barX + BAR_WIDTH + 4, y);
      String s = v == (long) v ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
      g.drawString(s, barX + BAR_WIDTH + 6, y + (fm.getAscent() - fm.getDescent()) / 2);
    }
    // The key of grey cells, always drawn: a reader must not take grey for a value.
    g.setColor(EMPTY);
    int ey = barTop + barHeight + EMPTY_KEY_GAP;
    g.fillRect(barX, ey, BAR_WIDTH, EMPTY_KEY_HEIGHT);
    g.setColor(Color.DARK_GRAY);
    g.drawRect(barX, ey, BAR_WIDTH, EMPTY_KEY_HEIGHT);
    g.drawString(EMPTY_LABEL, barX + BAR_WIDTH + 6, ey + EMPTY_KEY_HEIGHT - 1);
  }

  /** Where the grey key starts below the colour bar: its top, relative to the image. */
  int emptyKeyTop() {
    return top + barHeight(cell * classes) + EMPTY_KEY_GAP;
  }

  /** The grey key's left edge. */
  int emptyKeyLeft() {
    return barX;
  }
}
