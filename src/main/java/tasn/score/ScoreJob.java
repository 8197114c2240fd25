package tasn.score;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tasn.config.ScoreConfig;
import tasn.config.TasnConfig;
import tasn.config.UsageException;
import tasn.data.OutputCommit;

import javax.imageio.ImageIO;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.apache.spark.sql.functions.col;

/**
 * The score job: load the model once on the driver (to check it against the input) and once
 * per executor JVM ({@link LoadedModels}), score every input image in batches with one head
 * ({@link ImageScorer}, in {@code mapPartitions}), and write, committed atomically
 * ({@link OutputCommit}):
 * <ul>
 *   <li>{@code predictions.parquet} and {@code predictions.csv} ({@link PredictionSchema}; the CSV sorted by path);</li>
 *   <li>{@code report.json}, {@code confusion.csv} and {@code confusion.png} when some labels are known ({@link ScoreReport});</li>
 *   <li>{@code summary.json}: images, scored, refused by reason, the head, the model;</li>
 *   <li>{@code config.conf}: the resolved configuration of this run.</li>
 * </ul>
 * An image that cannot be read or decoded gets a row with its reason and never fails the job.
 */
public final class ScoreJob {
    private static final Logger LOG = LoggerFactory.getLogger(ScoreJob.class);
    /** The heads of a TASN model, as {@code --head} names them. */
    public static final List<String> HEADS = List.of("master", "att", "part", "shared_part", "shared_master");

    /** The command line of {@code tasn score}. */
    public record Request(String model, String input, ScoreLayout layout, String output, int topK, String head,
                          boolean overwrite, TasnConfig config) {
    }

    /** What a run did. */
    public record Summary(String output, long images, long scored, Map<String, Long> refused, Double top1, double seconds) {
        public long refusedTotal() {
            return refused.values().stream().mapToLong(Long::longValue).sum();
        }

        public String line() {
            return String.format(Locale.ROOT, "score: %d images, %d scored, %d refused%s, %.1f s, %.1f images/s -> %s",
                    images, scored, refusedTotal(), top1 == null ? "" : String.format(Locale.ROOT, ", top-1 %.4f", top1),
                    seconds, seconds > 0 ? images / seconds : 0, output);
        }
    }

    private final SparkSession spark;

    public ScoreJob(SparkSession spark) {
        this.spark = spark;
    }

    public Summary run(Request request) {
        long start = System.nanoTime();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        ScoreConfig score = ScoreConfig.of(request.config());
        ImageScorer scorer = scorer(request, score, hadoop);
        Path output = OutputCommit.checkOutput(request.output(), request.overwrite(), hadoop);
        ModelArchive model = LoadedModels.get(scorer.settings().model(), hadoop).archive();
        ScoreInputs.Items items = ScoreInputs.read(spark, request.input(), request.layout(), model, request.config());

        return OutputCommit.write(output, request.output(), request.overwrite(), hadoop,
                temp -> write(items.rdd(), scorer, model, request, temp, output, hadoop, start));
    }

    /** Checks the options and the model's heads; every problem is a usage error (exit 2). */
    static ImageScorer scorer(Request request, ScoreConfig score, Configuration hadoop) {
        if (request.topK() < 1) {
            throw new UsageException("--top-k " + request.topK() + ": must be at least 1");
        }
        if (!HEADS.contains(request.head())) {
            throw new UsageException("--head " + request.head() + ": unknown head; use one of " + String.join(", ", HEADS));
        }
        ModelArchive.Reference reference = ModelArchive.locate(request.model(), hadoop, score.channelMean());
        LoadedModels.Loaded loaded = LoadedModels.get(reference, hadoop);
        if (!loaded.predictor().heads().contains(ImageScorer.headOutput(request.head()))) {
            throw new UsageException("--head " + request.head() + ": the model " + request.model() + " has no such head"
                    + " (a baseline has only master)");
        }
        return new ImageScorer(new ImageScorer.Settings(reference, request.head(), request.topK(), score.batchSize(),
                request.config().data().maxPixels()), hadoop);
    }

    private Summary write(JavaRDD<ScoreItem> items, ImageScorer scorer, ModelArchive model, Request request, Path temp,
                          Path output, Configuration hadoop, long start) throws IOException {
        String head = request.head();
        JavaRDD<Row> rows = items.mapPartitions(part -> rows(scorer.score(part), head));
        spark.sparkContext().setJobGroup("tasn-score", "tasn score: " + request.input(), false);
        Path parquet = new Path(temp, "predictions.parquet");
        spark.createDataFrame(rows, PredictionSchema.SCHEMA).write().parquet(parquet.toString());

        Dataset<Row> predictions = spark.read().parquet(parquet.toString());
        FileSystem fs = temp.getFileSystem(hadoop);
        writeCsv(predictions, fs, new Path(temp, "predictions.csv"));
        Counts counts = Counts.of(predictions, model.numClasses());
        long images = counts.images;
        Map<String, Long> refused = counts.refused;
        long refusedTotal = refused.values().stream().mapToLong(Long::longValue).sum();
        ScoreReport report = counts.labelled ? new ScoreReport(head, model.classes(), counts.confusion, counts.top5,
                counts.unscored) : null;
        if (report != null) {
            write(fs, new Path(temp, "report.json"), report.toJson());
            write(fs, new Path(temp, "confusion.csv"), report.confusionCsv());
            try (FSDataOutputStream out = fs.create(new Path(temp, "confusion.png"), true)) {
                ImageIO.write(ConfusionChart.draw(report), "png", out);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Summary summary = new Summary(output.toString(), images, images - refusedTotal, refused,
                report == null ? null : report.top1(), seconds);
        write(fs, new Path(temp, "summary.json"), summaryJson(summary, request, model));
        write(fs, new Path(temp, "config.conf"), request.config().render());
        LOG.info(summary.line());
        return summary;
    }

    private static Iterator<Row> rows(Iterator<ImageScorer.Scored> scored, String head) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return scored.hasNext();
            }

            @Override
            public Row next() {
                return PredictionSchema.row(scored.next(), head);
            }
        };
    }

    /**
     * Everything the summary and the report need, from one aggregation over the predictions:
     * rows counted by (label, prediction, error, true class in the top 5).
     */
    private static final class Counts {
        long images;
        final Map<String, Long> refused = new java.util.TreeMap<>();
        boolean labelled;
        long[][] confusion;
        long top5;
        long unscored;

        static Counts of(Dataset<Row> predictions, int k) {
            Counts c = new Counts();
            c.confusion = new long[k][k];
            List<Row> groups = predictions.groupBy(col(PredictionSchema.LABEL), col(PredictionSchema.PREDICTION),
                    col(PredictionSchema.ERROR), col(PredictionSchema.TRUE_RANK).between(1, 5).as("top5")).count().collectAsList();
            for (Row r : groups) {
                long n = r.getLong(4);
                c.images += n;
                if (!r.isNullAt(2)) {
                    c.refused.merge(r.getString(2), n, Long::sum);
                }
                if (r.isNullAt(0)) {
                    continue;
                }
                c.labelled = true;
                if (r.isNullAt(1)) {
                    c.unscored += n;
                    continue;
                }
                c.confusion[r.getInt(0)][r.getInt(1)] += n;
                if (!r.isNullAt(3) && r.getBoolean(3)) {
                    c.top5 += n;
                }
            }
            return c;
        }
    }

    private static void writeCsv(Dataset<Row> predictions, FileSystem fs, Path file) throws IOException {
        String[] header = PredictionSchema.SCHEMA.fieldNames();
        try (FSDataOutputStream out = fs.create(file, true);
             Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
             CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setHeader(header).build())) {
            Iterator<Row> rows = predictions.orderBy(PredictionSchema.PATH, PredictionSchema.ID).toLocalIterator();
            Object[] values = new Object[header.length];
            while (rows.hasNext()) {
                Row r = rows.next();
                for (int i = 0; i < header.length; i++) {
                    values[i] = csvValue(r.get(i));
                }
                csv.printRecord(values);
            }
        }
    }

    private static Object csvValue(Object v) {
        if (v instanceof scala.collection.Seq<?> seq) {
            StringBuilder b = new StringBuilder();
            scala.collection.Iterator<?> it = seq.iterator();
            while (it.hasNext()) {
                if (b.length() > 0) {
                    b.append('|');
                }
                b.append(it.next());
            }
            return b.toString();
        }
        return v == null ? "" : v;
    }

    private static String summaryJson(Summary summary, Request request, ModelArchive model) {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("model", model.source());
        root.put("input", request.input());
        root.put("layout", request.layout().key());
        root.put("head", request.head());
        root.put("top_k", request.topK());
        root.put("images", summary.images());
        root.put("scored", summary.scored());
        root.put("refused", summary.refusedTotal());
        ObjectNode reasons = root.putObject("refused_by_reason");
        summary.refused().forEach(reasons::put);
        if (summary.top1() != null) {
            root.put("top1", summary.top1());
        }
        root.put("seconds", summary.seconds());
        try {
            return json.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void write(FileSystem fs, Path file, String text) throws IOException {
        try (FSDataOutputStream out = fs.create(file, true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
