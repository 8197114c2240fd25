package tasn.sample;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import tasn.config.ScoreConfig;
import tasn.config.TasnConfig;
import tasn.config.UsageException;
import tasn.data.OutputCommit;
import tasn.model.SamplingMagnification;
import tasn.model.TasnGraph;
import tasn.score.LoadedModels;
import tasn.score.ModelArchive;
import tasn.score.ScoreInputs;
import tasn.score.ScoreItem;
import tasn.score.ScoreLayout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The sample job (export attention samples): for the first {@code --limit} input images,
 * write the evaluation view, the structure- and detail-sampled images, K random-channel detail
 * images and the attention heat map as PNG, plus each image's predictions of every head
 * ({@link AttentionExport}, on the executors), then {@code index.html} ({@link Gallery}),
 * {@code summary.json} and {@code config.conf}; everything through Hadoop's FileSystem API
 * (OUT may be on HDFS) and committed atomically ({@link OutputCommit}).
 *
 * <p>The sampler's zoom as numbers: each image's {@code predictions.json} holds
 * {@code "magnification": {"structure": {"rows": x, "columns": y}, "detail": {"rows": x,
 * "columns": y}}}, the peak magnification of the sampled rows and columns under the structure
 * map and under the test-time detail map ({@link SamplingMagnification}: the largest local zoom
 * relative to a plain align-corners resize to the sampled size, so 1 is a plain resize and 2
 * means some rows or columns get twice as many output pixels). {@code summary.json} holds
 * {@code "mean_magnification"} of the same shape: the means over the exported images (null
 * when none was exported).
 */
public final class SampleJob {
    /** The command line of {@code tasn sample}; {@code limit} 0 exports every image. */
    public record Request(String model, String input, ScoreLayout layout, String output, int limit, int randomDetails,
                          boolean overwrite, TasnConfig config) {
    }

    public record Summary(String output, long images, long exported, double seconds) {
        public String line() {
            return String.format(Locale.ROOT, "sample: %d images, %d exported, %d refused, %.1f s -> %s",
                    images, exported, images - exported, seconds, output);
        }
    }

    private final SparkSession spark;

    public SampleJob(SparkSession spark) {
        this.spark = spark;
    }

    public Summary run(Request request) {
        long start = System.nanoTime();
        if (request.limit() < 0) {
            throw new UsageException("--limit " + request.limit() + ": give 0 (every image) or a positive number");
        }
        if (request.randomDetails() < 0 || request.randomDetails() > 64) {
            throw new UsageException("--random-details " + request.randomDetails() + ": give 0 to 64");
        }
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        ScoreConfig score = ScoreConfig.of(request.config());
        ModelArchive.Reference reference = ModelArchive.locate(request.model(), hadoop, score.channelMean());
        LoadedModels.Loaded loaded = LoadedModels.get(reference, hadoop);
        if (TasnGraph.isBaseline(loaded.archive().graph())) {
            throw new UsageException("--model " + request.model() + ": a baseline model has no attention to sample; give a "
                    + "TASN model");
        }
        Path output = OutputCommit.checkOutput(request.output(), request.overwrite(), hadoop);
        JavaRDD<ScoreItem> items = ScoreInputs.read(spark, request.input(), request.layout(), loaded.archive(),
                request.config()).rdd();
        long limit = request.limit();
        if (limit > 0) {
            items = items.zipWithIndex().filter(t -> t._2() < limit).keys();
        }
        JavaRDD<ScoreItem> selected = items;
        return OutputCommit.write(output, request.output(), request.overwrite(), hadoop, temp -> {
            AttentionExport export = new AttentionExport(reference, hadoop, temp.toString(),
                    request.randomDetails(), score.batchSize(), request.config().data().maxPixels());
            spark.sparkContext().setJobGroup("tasn-sample", "tasn sample: " + request.input(), false);
            List<ExportedImage> exported = selected.mapPartitions(export::export).collect();
            long written = exported.stream().filter(e -> e.error() == null).count();
            FileSystem fs = temp.getFileSystem(hadoop);
            write(fs, new Path(temp, "index.html"), Gallery.html("TASN attention samples: " + request.input(), exported));
            Summary summary = new Summary(output.toString(), exported.size(), written, (System.nanoTime() - start) / 1e9);
            write(fs, new Path(temp, "summary.json"), summaryJson(summary, request, reference, exported));
            write(fs, new Path(temp, "config.conf"), request.config().render());
            return summary;
        });
    }

    private static String summaryJson(Summary summary, Request request, ModelArchive.Reference model,
                                      List<ExportedImage> exported) {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("model", model.path());
        root.put("input", request.input());
        root.put("layout", request.layout().key());
        root.put("images", summary.images());
        root.put("exported", summary.exported());
        root.put("refused", summary.images() - summary.exported());
        root.put("random_details", request.randomDetails());
        root.put("seconds", summary.seconds());
        List<ExportedImage> written = exported.stream().filter(e -> e.error() == null).toList();
        if (written.isEmpty()) {
            root.putNull("mean_magnification");
        } else {
            AttentionExport.putMagnification(root.putObject("mean_magnification"),
                    mean(written.stream().map(ExportedImage::structureMagnification).toList()),
                    mean(written.stream().map(ExportedImage::detailMagnification).toList()));
        }
        try {
            return json.writeValueAsString(root) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The mean of the rows' and of the columns' peaks (at least one). */
    private static SamplingMagnification.Peaks mean(List<SamplingMagnification.Peaks> peaks) {
        double rows = 0;
        double columns = 0;
        for (SamplingMagnification.Peaks p : peaks) {
            rows += p.rows();
            columns += p.columns();
        }
        return new SamplingMagnification.Peaks(rows / peaks.size(), columns / peaks.size());
    }

    private static void write(FileSystem fs, Path file, String text) throws IOException {
        try (FSDataOutputStream out = fs.create(file, true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
