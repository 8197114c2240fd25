package tasn.train;

import com.fasterxml.jackson.databind.JsonNode;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * RUN_DIR/curves.png: the training loss and each head's validation loss (top panel), and
 * each head's top-1 accuracy per split (bottom panel), against epochs. Drawn headless from
 * the epoch lines of metrics.jsonl.
 */
final class TrainingCurves {
    private TrainingCurves() {
    }

    static byte[] png(List<JsonNode> epochs, int width, int height) throws IOException {
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection losses = new XYSeriesCollection();
        XYSeriesCollection accuracies = new XYSeriesCollection();
        XYSeries trainLoss = new XYSeries("train loss");
        Map<String, XYSeries> evalLoss = new LinkedHashMap<>();
        Map<String, XYSeries> accuracy = new LinkedHashMap<>();
        for (JsonNode epoch : epochs) {
            int e = epoch.path("epoch").asInt();
            if (epoch.path("loss").isNumber()) {
                trainLoss.add(e, epoch.path("loss").asDouble());
            }
            JsonNode splits = epoch.path("eval");
            for (Iterator<Map.Entry<String, JsonNode>> s = splits.fields(); s.hasNext(); ) {
                Map.Entry<String, JsonNode> split = s.next();
                for (Iterator<Map.Entry<String, JsonNode>> h = split.getValue().fields(); h.hasNext(); ) {
                    Map.Entry<String, JsonNode> head = h.next();
                    String name = split.getKey() + " " + head.getKey();
                    JsonNode r = head.getValue();
                    if (r.path("top1").isNumber()) {
                        accuracy.computeIfAbsent(name + " top-1", XYSeries::new).add(e, r.path("top1").asDouble());
                    }
                    if ("val".equals(split.getKey()) && r.path("loss").isNumber()) {
                        evalLoss.computeIfAbsent(name + " loss", XYSeries::new).add(e, r.path("loss").asDouble());
                    }
                }
            }
        }
        losses.addSeries(trainLoss);
        evalLoss.values().forEach(losses::addSeries);
        accuracy.values().forEach(accuracies::addSeries);
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(new NumberAxis("epoch"));
        plot.add(new XYPlot(losses, null, new NumberAxis("loss"), new XYLineAndShapeRenderer(true, true)), 1);
        NumberAxis accuracyAxis = new NumberAxis("top-1 accuracy");
        accuracyAxis.setRange(0, 1);
        plot.add(new XYPlot(accuracies, null, accuracyAxis, new XYLineAndShapeRenderer(true, true)), 1);
        JFreeChart chart = new JFreeChart("training curves", JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ChartUtils.writeChartAsPNG(out, chart, width, height);
        return out.toByteArray();
    }
}
