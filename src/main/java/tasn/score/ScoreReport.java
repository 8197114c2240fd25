package tasn.score;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The evaluation of the scored images whose label is known (OUT/report.json): count, top-1
 * and top-5 accuracy, per-class precision, recall, F1 and support, and the confusion matrix
 * (rows: true class, columns: predicted class; also as OUT/confusion.csv). Images that could not be scored are not in
 * the count; {@code unscored} says how many labelled images that left out. Top-1 equals the
 * fraction of CSV rows with a label whose prediction equals it.
 */
public record ScoreReport(String head, List<String> classes, long[][] confusion, long top5Hits, long unscored) {

    public long count() {
        long n = 0;
        for (long[] row : confusion) {
            for (long v : row) {
                n += v;
            }
        }
        return n;
    }

    public double top1() {
        long hits = 0;
        for (int k = 0; k < confusion.length; k++) {
            hits += confusion[k][k];
        }
        return ratio(hits, count());
    }

    public double top5() {
        return ratio(top5Hits, count());
    }

    public long support(int k) {
        long s = 0;
        for (long v : confusion[k]) {
            s += v;
        }
        return s;
    }

    public long predicted(int k) {
        long s = 0;
        for (long[] row : confusion) {
            s += row[k];
        }
        return s;
    }

    public double precision(int k) {
        return ratio(confusion[k][k], predicted(k));
    }

    public double recall(int k) {
        return ratio(confusion[k][k], support(k));
    }

    /** F1: the harmonic mean of precision and recall, 0 when both are 0. */
    public double f1(int k) {
        double p = precision(k);
        double r = recall(k);
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }

    public String toJson() {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("head", head);
        root.put("count", count());
        root.put("unscored", unscored);
        root.put("top1", top1());
        root.put("top5", top5());
        ArrayNode perClass = root.putArray("per_class");
        for (int k = 0; k < classes.size(); k++) {
            ObjectNode c = perClass.addObject();
            c.put("class", classes.get(k));
            c.put("index", k);
            c.put("precision", precision(k));
            c.put("recall", recall(k));
            c.put("f1", f1(k));
            c.put("support", support(k));
        }
        ArrayNode names = root.putArray("classes");
        classes.forEach(names::add);
        ArrayNode matrix = root.putArray("confusion");
        for (long[] row : confusion) {
            ArrayNode r = matrix.addArray();
            for (long v : row) {
                r.add(v);
            }
        }
        try {
            return json.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The confusion matrix as CSV: a header of predicted class names, one row per true class. */
    public String confusionCsv() {
        StringBuilder b = new StringBuilder("true \\ predicted");
        for (String c : classes) {
            b.append(',').append(csvField(c));
        }
        b.append('\n');
        for (int t = 0; t < confusion.length; t++) {
            b.append(csvField(classes.get(t)));
            for (long v : confusion[t]) {
                b.append(',').append(v);
            }
            b.append('\n');
        }
        return b.toString();
    }

    private static String csvField(String text) {
        boolean quote = text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r");
        return quote ? '"' + text.replace("\"", "\"\"") + '"' : text;
    }

    private static double ratio(long a, long b) {
        return b == 0 ? 0 : (double) a / b;
    }
}
