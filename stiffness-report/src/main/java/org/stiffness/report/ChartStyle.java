package org.stiffness.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * How the report's line charts look (XChart): the panel size, the colours and strokes of the
 * series, one chart style, placeholders for charts with nothing to draw, and panels stacked into
 * one image.
 */
final class ChartStyle {
  /** Width, in pixels, of a single line-chart panel. */
  static final int PANEL_WIDTH = 900;

  /** Height, in pixels, of a single line-chart panel. */
  static final int PANEL_HEIGHT = 420;

  /** Series colours, one per learning rate (cycled). */
  private static final Color[] RUN_COLOURS = {
    new Color(31, 119, 180),
    new Color(214, 39, 40),
    new Color(44, 160, 44),
    new Color(255, 127, 14),
    new Color(148, 103, 189),
    new Color(140, 86, 75)
  };

  /** All pairs, sign stiffness, loss: the figures' main curves. */
  static final BasicStroke SOLID = new BasicStroke(2.2f);

  /** Within-class pairs, cosine stiffness, accuracy: the curves drawn beside the main ones. */
  static final BasicStroke DASHED =
      new BasicStroke(
          2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {8f, 5f}, 0f);

  private ChartStyle() {}

  /** The colour of the {@code i}-th run (learning rate). */
  static Color runColour(int i) {
    return RUN_COLOURS[i % RUN_COLOURS.length];
  }

  /** An empty panel of the report's style. */
  static XYChart chart(String title, String xTitle, String yTitle) {
    XYChart chart = new XYChart(PANEL_WIDTH, PANEL_HEIGHT);
    chart.setTitle(title);
    chart.setXAxisTitle(xTitle);
    chart.setYAxisTitle(yTitle);
    var st = chart.getStyler();
    st.setChartBackgroundColor(Color.WHITE);
    st.setPlotBackgroundColor(Color.WHITE);
    st.setPlotGridLinesColor(new Color(225, 225, 225));
    st.setPlotBorderColor(Color.GRAY);
    st.setLegendPosition(Styler.LegendPosition.OutsideE);
    st.setLegendBorderColor(Color.WHITE);
    st.setChartTitleBoxVisible(false);
    st.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    st.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
    st.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    st.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    st.setMarkerSize(6);
    st.setAntiAlias(true);
    // XChart's default pattern drops the leading zero (".05"); distances and stiffness read better
    // as 0.05 and -0.5.
    st.setXAxisDecimalPattern("0.0##");
    st.setYAxisDecimalPattern("0.0##");
    return chart;
  }

  /** A line without markers. */
  static void style(XYSeries s, Color colour, BasicStroke stroke) {
    s.setLineColor(colour);
    s.setLineStyle(stroke);
    s.setMarker(SeriesMarkers.NONE);
  }

  /**
   * A line with circle markers through {@code points}, or null (and nothing added) when there are
   * none.
   */
  static XYSeries line(
      XYChart chart, String name, FigureData.Points points, Color colour, BasicStroke stroke) {
    if (points.x().isEmpty()) {
      return null;
    }
    XYSeries s = chart.addSeries(name, points.x(), points.y());
    style(s, colour, stroke);
    s.setMarker(SeriesMarkers.CIRCLE).setMarkerColor(colour);
    return s;
  }

  /**
   * A one-point series whose legend entry says why the chart is otherwise empty: XChart throws on a
   * chart without series.
   */
  static void placeholder(XYChart chart, String legend) {
    XYSeries s = chart.addSeries(legend, new double[] {0}, new double[] {0});
    s.setMarker(SeriesMarkers.NONE);
    s.setLineColor(Color.WHITE);
  }

  /** Paints panels one above the other into one image of {@code PANEL_WIDTH} width. */
  static BufferedImage stack(XYChart... panels) {
    BufferedImage img =
        new BufferedImage(PANEL_WIDTH, PANEL_HEIGHT * panels.length, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(
          RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, img.getWidth(), img.getHeight());
      for (XYChart p : panels) {
        p.paint(g, PANEL_WIDTH, PANEL_HEIGHT);
        g.translate(0, PANEL_HEIGHT);
      }
    } finally {
      g.dispose();
    }
    return img;
  }
}
