package org.weft.recipes.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The PNG plots of a run report, drawn with XChart without a display: the loss curves of a training over
 * its steps, its evaluation metrics over its epochs, and a confusion matrix as an annotated heat map.
 */
public final class Plots {

    static {
        // Reports are written on servers and in CI: AWT must never look for a display.
        System.setProperty("java.awt.headless", "true");
    }

    /** Size of the curve plots, in pixels. */
    public static final int WIDTH = 900;
    public static final int HEIGHT = 500;

    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 18);
    private static final Font AXIS_TITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 15);
    private static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
    private static final Font LEGEND = new Font(Font.SANS_SERIF, Font.PLAIN, 13);

    /** Curves with at most this many points get a marker on each point, so few points stay visible. */
    private static final int MARKERS_UP_TO = 30;

    private Plots() {
    }

    /**
     * The train losses of one training over its global step, one curve per key ({@code loss}, {@code loss_s},
     * {@code loss_mmd}, ...). The y axis is logarithmic when every value is positive and they span more than
     * two decades, since a small regulariser next to the total loss would otherwise be a flat line at zero.
     * Returns false (and writes nothing) when the training has no loss values.
     */
    public static boolean lossCurves(RunSeries run, Path png) throws IOException {
        List<String> keys = run.lossKeys();
        XYChart chart = curveChart(run.name() + ": training losses", "step", "loss");
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        boolean any = false;
        for (String key : keys) {
            double[][] xy = points(run.train(), key, false);
            if (xy[0].length == 0) {
                continue;
            }
            for (double y : xy[1]) {
                min = Math.min(min, y);
                max = Math.max(max, y);
            }
            addCurve(chart, key, xy);
            any = true;
        }
        if (!any) {
            return false;
        }
        if (min > 0 && max / min > 100) {
            chart.getStyler().setYAxisLogarithmic(true);
            chart.setYAxisTitle("loss (log scale)");
        } else {
            padFlatRange(chart, min, max);
        }
        save(chart, png);
        return true;
    }

    /**
     * The evaluation metrics of one training over its epochs, one curve per key, each point marked.
     * Returns false (and writes nothing) when the training never evaluated.
     */
    public static boolean evalCurves(RunSeries run, Path png) throws IOException {
        XYChart chart = curveChart(run.name() + ": evaluation", "epoch", "value");
        boolean any = false;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (String key : run.evalKeys()) {
            double[][] xy = points(run.eval(), key, true);
            if (xy[0].length == 0) {
                continue;
            }
            for (double y : xy[1]) {
                min = Math.min(min, y);
                max = Math.max(max, y);
            }
            XYSeries s = addCurve(chart, key, xy);
            s.setMarker(SeriesMarkers.CIRCLE);
            any = true;
        }
        if (!any) {
            return false;
        }
        padFlatRange(chart, min, max);
        // Epochs are whole numbers: no "2.5" ticks.
        chart.getStyler().setXAxisDecimalPattern("#");
        save(chart, png);
        return true;
    }

    /**
     * A confusion matrix as a heat map: true class down the rows (first class at the top), predicted class
     * along the columns, each cell annotated with its count. The image grows with the number of classes so
     * the names and counts stay readable.
     */
    public static void confusion(String title, List<String> classes, long[][] counts, Path png) throws IOException {
        int n = classes.size();
        int cell = n <= 10 ? 60 : Math.max(24, 600 / n);
        int width = Math.max(700, 260 + cell * n);
        int height = Math.max(600, 200 + cell * n);
        HeatMapChart chart = new HeatMapChartBuilder().width(width).height(height).title(title)
                .xAxisTitle("predicted class").yAxisTitle("true class").build();
        var styler = chart.getStyler();
        styleCommon(styler);
        styler.setLegendVisible(true);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setShowValue(n <= 30);
        styler.setValueFont(new Font(Font.SANS_SERIF, Font.PLAIN, n <= 10 ? 14 : 10));
        styler.setValueFontColor(Color.BLACK);
        styler.setHeatMapValueDecimalPattern("#");
        styler.setDrawBorder(true);
        styler.setPlotGridLinesVisible(false);
        // From white (no example) to a strong blue: the diagonal stands out and zeros disappear.
        styler.setRangeColors(new Color[] {Color.WHITE, new Color(0xC6DBEF), new Color(0x6BAED6),
                new Color(0x4292C6)});
        styler.setMin(0);
        long max = 0;
        for (long[] row : counts) {
            for (long c : row) {
                max = Math.max(max, c);
            }
        }
        styler.setMax(Math.max(1, max));
        if (n > 6) {
            styler.setXAxisLabelRotation(45);
        }
        // XChart draws the first y category at the bottom; reversing puts the first true class on top,
        // the way a confusion matrix is printed.
        List<String> xs = new ArrayList<>(classes);
        List<String> ys = new ArrayList<>(classes);
        java.util.Collections.reverse(ys);
        List<Number[]> cells = new ArrayList<>();
        for (int truth = 0; truth < n; truth++) {
            for (int predicted = 0; predicted < n; predicted++) {
                cells.add(new Number[] {predicted, n - 1 - truth, counts[truth][predicted]});
            }
        }
        chart.addSeries("count", xs, ys, cells);
        save(chart, png);
    }

    private static XYChart curveChart(String title, String xTitle, String yTitle) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        var styler = chart.getStyler();
        styleCommon(styler);
        styler.setLegendPosition(Styler.LegendPosition.OutsideE);
        styler.setMarkerSize(7);
        styler.setPlotGridLinesColor(new Color(0xDDDDDD));
        return chart;
    }

    private static void styleCommon(org.knowm.xchart.style.AxesChartStyler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(Color.GRAY);
        styler.setLegendBorderColor(Color.WHITE);
        styler.setChartTitleFont(TITLE);
        styler.setChartTitleBoxVisible(false);
        styler.setAxisTitleFont(AXIS_TITLE);
        styler.setAxisTickLabelsFont(TICKS);
        styler.setLegendFont(LEGEND);
        styler.setAntiAlias(true);
    }

    /**
     * A single point or a constant curve gives the y axis no range, and XChart then draws one lonely tick;
     * widen it to round values around the value (0.6125 -> [0.5, 0.7]) so the axis has a readable scale.
     */
    private static void padFlatRange(XYChart chart, double min, double max) {
        if (max - min <= 1e-12 * Math.max(1, Math.abs(max))) {
            double pad = Math.pow(10, Math.ceil(Math.log10(Math.max(0.1 * Math.abs(max), 1e-3))));
            chart.getStyler().setYAxisMin(Math.floor(min / pad - 0.5) * pad);
            chart.getStyler().setYAxisMax(Math.ceil(max / pad + 0.5) * pad);
        }
    }

    private static XYSeries addCurve(XYChart chart, String name, double[][] xy) {
        XYSeries s = chart.addSeries(name, xy[0], xy[1]);
        s.setLineStyle(new BasicStroke(2f));
        s.setMarker(xy[0].length <= MARKERS_UP_TO ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        return s;
    }

    /** The finite values of {@code key} with their epoch (or step): NaN and infinities cannot be drawn. */
    private static double[][] points(List<MetricPoint> points, String key, boolean byEpoch) {
        double[] x = new double[points.size()];
        double[] y = new double[points.size()];
        int n = 0;
        for (MetricPoint p : points) {
            Double v = p.values().get(key);
            if (v != null && Double.isFinite(v)) {
                x[n] = byEpoch ? p.epoch() : p.step();
                y[n] = v;
                n++;
            }
        }
        return new double[][] {java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(y, n)};
    }

    private static void save(Chart<?, ?> chart, Path png) throws IOException {
        BufferedImage image = BitmapEncoder.getBufferedImage(chart);
        Path parent = png.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        // Write next to the target and move, so a crash never leaves a half-written PNG behind.
        Path tmp = Files.createTempFile(parent, ".plot", ".png.tmp");
        try {
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IOException("no PNG writer available to write " + png);
            }
            Files.move(tmp, png, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
