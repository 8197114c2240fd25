package tasn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The accuracy benchmark's report (bench/accuracy.sh): reads the epoch lines of a TASN run's
 * and a baseline run's metrics.jsonl and prints one JSON line comparing them on the test split,
 * then draws both runs' test top-1 against epochs into one PNG.
 *
 * <p>The headline figure is the final epoch's test top-1 (no choice of epoch by looking at the
 * test split); the mean of the last three epochs is printed beside it, since a test split of
 * 240-300 images moves by a point for three or four images.
 *
 * <p>With the score job's predictions of both final models on the same test split, it adds
 * the paired comparison ({@link PairedComparison}: images only one model gets right, McNemar's
 * exact p), which says whether the gain is more than the test split's noise.
 *
 * <p>Arguments: DATA_SET_NAME TASN_RUN_DIR BASELINE_RUN_DIR OUT_PNG
 * [TASN_PREDICTIONS_CSV BASELINE_PREDICTIONS_CSV].
 */
public final class AccuracyReport {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SPLIT = "test";
    static final String HEADLINE = "head_master";
    private static final int LAST = 3;

    private AccuracyReport() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4 && args.length != 6) {
            System.err.println("usage: AccuracyReport DATA_SET TASN_RUN BASELINE_RUN OUT_PNG [TASN_PREDICTIONS BASELINE_PREDICTIONS]");
            System.exit(2);
        }
        List<JsonNode> tasn = epochs(Path.of(args[1]));
        List<JsonNode> baseline = epochs(Path.of(args[2]));
        ObjectNode line = JSON.createObjectNode();
        line.put("bench", "accuracy");
        line.put("data", args[0]);
        line.put("split", SPLIT);
        line.put("epochs_tasn", tasn.size());
        line.put("epochs_baseline", baseline.size());
        line.put("test_images", last(tasn).path("eval").path(SPLIT).path(HEADLINE).path("images").asInt());
        double tasnTop1 = top1(last(tasn), HEADLINE);
        double baselineTop1 = top1(last(baseline), HEADLINE);
        line.put("tasn_master_top1", round(tasnTop1));
        line.put("baseline_top1", round(baselineTop1));
        line.put("gain_points", round(100 * (tasnTop1 - baselineTop1)));
        double tasnMean = meanOfLast(tasn, HEADLINE);
        double baselineMean = meanOfLast(baseline, HEADLINE);
        line.put("tasn_master_top1_last3", round(tasnMean));
        line.put("baseline_top1_last3", round(baselineMean));
        line.put("gain_points_last3", round(100 * (tasnMean - baselineMean)));
        line.put("tasn_master_top5", round(last(tasn).path("eval").path(SPLIT).path(HEADLINE).path("top5").asDouble()));
        line.put("baseline_top5", round(last(baseline).path("eval").path(SPLIT).path(HEADLINE).path("top5").asDouble()));
        ObjectNode heads = line.putObject("tasn_heads_top1");
        for (Iterator<Map.Entry<String, JsonNode>> h = last(tasn).path("eval").path(SPLIT).fields(); h.hasNext(); ) {
            Map.Entry<String, JsonNode> head = h.next();
            heads.put(head.getKey(), round(head.getValue().path("top1").asDouble()));
        }
        line.put("tasn_minutes", round(minutes(tasn)));
        line.put("baseline_minutes", round(minutes(baseline)));
        line.put("tasn_train_images_per_s", round(meanOf(tasn, "images_per_second")));
        line.put("baseline_train_images_per_s", round(meanOf(baseline, "images_per_second")));
        line.put("tasn_peak_rss_mib", peakRssMib(Path.of(args[1] + ".time")));
        line.put("baseline_peak_rss_mib", peakRssMib(Path.of(args[2] + ".time")));
        if (args.length == 6) {
            PairedComparison paired = PairedComparison.of(Path.of(args[4]), Path.of(args[5]));
            ObjectNode p = line.putObject("paired_test");
            p.put("images", paired.images());
            p.put("tasn_top1", round(paired.firstTop1()));
            p.put("baseline_top1", round(paired.secondTop1()));
            p.put("both_right", paired.bothRight());
            p.put("only_tasn_right", paired.onlyFirstRight());
            p.put("only_baseline_right", paired.onlySecondRight());
            p.put("both_wrong", paired.bothWrong());
            p.put("mcnemar_exact_p", round(paired.mcNemarP()));
        }
        line.put("chart", args[3]);
        chart(args[0], tasn, baseline, new File(args[3]));
        System.out.println(JSON.writeValueAsString(line));
    }

    /** The epoch lines of RUN/metrics.jsonl, in order. */
    static List<JsonNode> epochs(Path run) throws IOException {
        Path metrics = run.resolve("metrics.jsonl");
        if (!Files.exists(metrics)) {
            throw new IOException(metrics + " does not exist; run bench/accuracy.sh first");
        }
        List<JsonNode> epochs = new ArrayList<>();
        for (String text : Files.readAllLines(metrics)) {
            JsonNode node = JSON.readTree(text);
            if ("epoch".equals(node.path("event").asText())) {
                epochs.add(node);
            }
        }
        if (epochs.isEmpty()) {
            throw new IOException(metrics + " holds no finished epoch");
        }
        return epochs;
    }

    static JsonNode last(List<JsonNode> epochs) {
        return epochs.get(epochs.size() - 1);
    }

    static double top1(JsonNode epoch, String head) {
        JsonNode value = epoch.path("eval").path(SPLIT).path(head).path("top1");
        return value.isNumber() ? value.asDouble() : Double.NaN;
    }

    private static double meanOfLast(List<JsonNode> epochs, String head) {
        List<JsonNode> tail = epochs.subList(Math.max(0, epochs.size() - LAST), epochs.size());
        return tail.stream().mapToDouble(e -> top1(e, head)).average().orElse(Double.NaN);
    }

    private static double meanOf(List<JsonNode> epochs, String field) {
        return epochs.stream().mapToDouble(e -> e.path(field).asDouble()).average().orElse(Double.NaN);
    }

    private static double minutes(List<JsonNode> epochs) {
        return epochs.stream().mapToDouble(e -> e.path("train_seconds").asDouble() + e.path("eval_seconds").asDouble())
                .sum() / 60;
    }

    /** "Maximum resident set size (kbytes)" from GNU time's -v report, in MiB; -1 without one. */
    private static long peakRssMib(Path timeReport) throws IOException {
        if (!Files.exists(timeReport)) {
            return -1;
        }
        Matcher m = Pattern.compile("Maximum resident set size \\(kbytes\\): (\\d+)").matcher(Files.readString(timeReport));
        return m.find() ? Long.parseLong(m.group(1)) / 1024 : -1;
    }

    static double round(double value) {
        return Math.round(value * 10000) / 10000.0;
    }

    private static void chart(String name, List<JsonNode> tasn, List<JsonNode> baseline, File out) throws IOException {
        XYSeriesCollection series = new XYSeriesCollection();
        for (Iterator<String> heads = last(tasn).path("eval").path(SPLIT).fieldNames(); heads.hasNext(); ) {
            String head = heads.next();
            series.addSeries(curve("TASN " + head.replace("head_", ""), tasn, head));
        }
        series.addSeries(curve("baseline", baseline, HEADLINE));
        saveTop1Chart(name + ": TASN heads and the baseline, " + SPLIT + " top-1 per epoch", series,
                new XYLineAndShapeRenderer(true, true), out);
    }

    /** Writes SERIES (top-1 against epochs) as a 1000 x 600 PNG with the accuracy axis from 0 to 1. */
    static void saveTop1Chart(String title, XYSeriesCollection series, XYLineAndShapeRenderer renderer, File out)
            throws IOException {
        System.setProperty("java.awt.headless", "true");
        NumberAxis accuracy = new NumberAxis(SPLIT + " top-1");
        accuracy.setRange(0, 1);
        NumberAxis epochs = new NumberAxis("epoch");
        epochs.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYPlot plot = new XYPlot(series, epochs, accuracy, renderer);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        File parent = out.getAbsoluteFile().getParentFile();
        if (parent != null) {
            Files.createDirectories(parent.toPath());
        }
        ChartUtils.saveChartAsPNG(out, chart, 1000, 600);
    }

    static XYSeries curve(String label, List<JsonNode> epochs, String head) {
        XYSeries series = new XYSeries(label);
        for (JsonNode epoch : epochs) {
            double top1 = top1(epoch, head);
            if (!Double.isNaN(top1)) {
                series.add(epoch.path("epoch").asInt(), top1);
            }
        }
        return series;
    }
}
