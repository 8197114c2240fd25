package tasn.data;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.apache.spark.util.SerializableConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tasn.config.DataConfig;
import tasn.config.TasnConfig;
import tasn.config.UsageException;

import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/**
 * The ingest job: list the input on the driver ({@link ImageListing}), turn every listed file
 * into shard rows or a reject on the executors ({@link IngestRows}, decoding each file once),
 * and write {@code OUT/train}, {@code OUT/val}, {@code OUT/test} (zstd Parquet of
 * {@link ShardSchema}), {@code dataset.json}, {@code rejects.csv} and {@code config.conf},
 * committed atomically ({@link OutputCommit}).
 *
 * <p>The listed images are dealt round-robin into data.min-files partitions (or the default
 * parallelism when it is 0), so each partition yields one shard file per split with a mix of
 * classes; their rows are persisted on disk once, each split's good rows written from there,
 * and the counts, channel sums and rejects read back from the persisted rows' small columns.
 * The rows depend only on the input, the configuration and the seed, never on the partitioning.
 */
public final class IngestJob {
    private static final Logger LOG = LoggerFactory.getLogger(IngestJob.class);

    /** What to ingest: the command line of {@code tasn ingest}. */
    public record Request(String input, InputLayout layout, String output, boolean overwrite, TasnConfig config) {
    }

    /** What an ingest did, for the summary line and the tests. */
    public record Summary(String output, long listed, long written, long rejected, long ignored, long rows,
                          double seconds) {
        public double imagesPerSecond() {
            return seconds > 0 ? written / seconds : 0;
        }

        /** The one-line summary printed at the end of a run. */
        public String line() {
            return String.format(java.util.Locale.ROOT,
                    "ingest: listed %d, written %d, rejected %d, ignored %d, rows %d, %.1f s, %.1f images/s -> %s",
                    listed, written, rejected, ignored, rows, seconds, imagesPerSecond(), output);
        }
    }

    /** Pixel bytes per batch of the on-disk cache of rows (see {@link #withSmallCacheBatches}). */
    private static final long CACHE_BATCH_BYTES = 64L << 20;

    private final SparkSession spark;

    public IngestJob(SparkSession spark) {
        this.spark = spark;
    }

    public Summary run(Request request) {
        long start = System.nanoTime();
        TasnConfig config = request.config();
        DataConfig data = config.data();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();

        Path output = OutputCommit.checkOutput(request.output(), request.overwrite(), hadoop);
        ImageListing listing = ImageListing.list(request.input(), request.layout(), hadoop, data, config.seed());
        checkApart(output, new Path(listing.root()), request, hadoop);
        if (listing.images().isEmpty()) {
            throw new UsageException("--input " + request.input() + ": found no image files in the "
                    + request.layout().key() + " layout (" + listing.ignored() + " other files ignored)");
        }
        LOG.info("listed {} images in {} classes under {} ({} other files ignored)",
                listing.listed(), listing.classes().size(), listing.root(), listing.ignored());

        return OutputCommit.write(output, request.output(), request.overwrite(), hadoop,
                temp -> withSmallCacheBatches(data, () -> write(listing, config, hadoop, temp, output, start)));
    }

    private Summary write(ImageListing listing, TasnConfig config, Configuration hadoop, Path temp, Path output,
                          long start) throws IOException {
        DataConfig data = config.data();
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        LongAccumulator listed = jsc.sc().longAccumulator("listed");
        LongAccumulator written = jsc.sc().longAccumulator("written");
        LongAccumulator rejected = jsc.sc().longAccumulator("rejected");
        IngestRows ingestRows = new IngestRows(data, config.seed(), new SerializableConfiguration(hadoop),
                listed, written, rejected);
        int files = data.minFiles() > 0 ? data.minFiles() : jsc.defaultParallelism();

        IngestCounts counts = new IngestCounts(listing.classes(), listing.ignored());
        long[] trainSums = new long[7];
        List<String[]> rejects = new ArrayList<>();
        List<ListedImage> images = new ArrayList<>(listing.images());
        images.sort(Comparator.comparing(ListedImage::split).thenComparing(ListedImage::relativePath));
        jsc.setJobGroup("tasn-ingest", "tasn ingest: " + images.size() + " images");
        Dataset<Row> rows = spark.createDataFrame(deal(jsc, images, files).mapPartitions(ingestRows), IngestRows.SCHEMA)
                .persist(StorageLevel.DISK_ONLY());
        try {
            Column good = col(IngestRows.REJECT_REASON).isNull();
            Column[] shardColumns = Arrays.stream(ShardSchema.columns()).map(c -> col(c)).toArray(Column[]::new);
            for (Split split : Split.values()) {
                rows.filter(good.and(col(ShardSchema.SPLIT).equalTo(split.key())))
                        .select(shardColumns)
                        .write()
                        .mode(SaveMode.ErrorIfExists)
                        .option("compression", "zstd")
                        .option("parquet.block.size", Long.toString(data.rowGroupBytes()))
                        .parquet(new Path(temp, split.key()).toString());
            }
            tally(rows, good, counts, trainSums);
            for (Row r : rows.filter(not(good)).select(ShardSchema.PATH, IngestRows.REJECT_REASON).collectAsList()) {
                rejects.add(new String[]{r.getString(0), r.getString(1)});
            }
        } finally {
            rows.unpersist();
            jsc.clearJobGroup();
        }
        rejects.sort(Comparator.comparing((String[] r) -> r[0]));

        FileSystem fs = temp.getFileSystem(hadoop);
        writeText(fs, new Path(temp, "config.conf"), config.render());
        writeRejects(fs, new Path(temp, "rejects.csv"), rejects);
        writeText(fs, new Path(temp, "dataset.json"), datasetJson(listing, config, counts, trainSums));

        IngestCounts.Tally all = counts.overall();
        if (all.written() + all.rejected() != listing.listed()) {
            throw new IllegalStateException("ingest lost files: listed " + listing.listed() + " but written "
                    + all.written() + " + rejected " + all.rejected());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Summary(output.toString(), listing.listed(), all.written(), all.rejected(), listing.ignored(),
                all.rows(), seconds);
    }

    /**
     * Runs {@code body} with Spark's in-memory columnar batch cut to about
     * {@link #CACHE_BATCH_BYTES} of pixels. The persisted rows are cached in columnar batches
     * built in memory, 10,000 rows by default: with rows of R x R x 3 bytes (750 KB at R = 512)
     * that would be gigabytes per task. The session's setting is restored afterwards.
     */
    private <T> T withSmallCacheBatches(DataConfig data, java.util.concurrent.Callable<T> body) throws IOException {
        String key = "spark.sql.inMemoryColumnarStorage.batchSize";
        long rowBytes = 3L * data.rawSize() * data.rawSize();
        int batchRows = (int) Math.max(16, Math.min(10_000, CACHE_BATCH_BYTES / rowBytes));
        String previous = spark.conf().get(key, null);
        spark.conf().set(key, Integer.toString(batchRows));
        try {
            return body.call();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            if (previous == null) {
                spark.conf().unset(key);
            } else {
                spark.conf().set(key, previous);
            }
        }
    }

    /**
     * The images (sorted by split) dealt round-robin into at most {@code files} partitions, so
     * that every partition, and so every shard file, holds a share of each split and class.
     */
    private static JavaRDD<ListedImage> deal(JavaSparkContext jsc, List<ListedImage> images, int files) {
        int slices = Math.max(1, Math.min(files, images.size()));
        List<List<ListedImage>> hands = new ArrayList<>(slices);
        for (int s = 0; s < slices; s++) {
            hands.add(new ArrayList<>());
        }
        for (int i = 0; i < images.size(); i++) {
            hands.get(i % slices).add(images.get(i));
        }
        return jsc.parallelize(hands, slices).flatMap(List::iterator);
    }

    /** Adds the counts per split and class, and the train split's channel sums (R, G, B, squares, pixels). */
    private static void tally(Dataset<Row> rows, Column good, IngestCounts counts, long[] trainSums) {
        Column one = lit(1L);
        Column zero = lit(0L);
        List<Column> aggregates = new ArrayList<>(List.of(
                sum(when(good.and(col(ShardSchema.COPY).equalTo(0)), one).otherwise(zero)),
                sum(when(not(good), one).otherwise(zero)),
                sum(when(good, one).otherwise(zero))));
        for (String channelSum : IngestRows.CHANNEL_SUMS) {
            aggregates.add(sum(col(channelSum)));
        }
        aggregates.add(sum(when(good, col(ShardSchema.HEIGHT).cast("long").multiply(col(ShardSchema.WIDTH)))
                .otherwise(zero)));
        for (Row r : rows.groupBy(col(ShardSchema.SPLIT), col(ShardSchema.LABEL_NAME))
                .agg(aggregates.get(0), aggregates.subList(1, aggregates.size()).toArray(Column[]::new))
                .collectAsList()) {
            Split split = Split.fromKey(r.getString(0));
            String className = r.isNullAt(1) ? null : r.getString(1);
            counts.add(split, className, r.getLong(2), r.getLong(3), r.getLong(4));
            if (split == Split.TRAIN) {
                for (int k = 0; k < 7; k++) {
                    trainSums[k] += r.isNullAt(5 + k) ? 0 : r.getLong(5 + k);
                }
            }
        }
    }

    private static String datasetJson(ImageListing listing, TasnConfig config, IngestCounts counts, long[] trainSums)
            throws IOException {
        JsonNodeFactory json = JsonNodeFactory.instance;
        ObjectNode root = json.objectNode();
        root.put("schema_version", ShardSchema.SCHEMA_VERSION);
        root.put("input", listing.root());
        ArrayNode classes = root.putArray("classes");
        listing.classes().forEach(classes::add);
        root.set("counts", counts.toJson(json));
        root.put("raw_size", config.data().rawSize());
        root.put("copies", config.data().copies());
        root.put("encoding", config.data().encoding().key());
        root.put("seed", config.seed());
        ArrayNode mean = root.putArray("channel_mean");
        ArrayNode std = root.putArray("channel_std");
        long pixels = trainSums[6];
        for (int c = 0; c < 3; c++) {
            if (pixels == 0) {
                mean.addNull();
                std.addNull();
                continue;
            }
            double m = (double) trainSums[c] / pixels;
            double variance = Math.max(0, (double) trainSums[3 + c] / pixels - m * m);
            mean.add(m);
            std.add(Math.sqrt(variance));
        }
        root.put("config", config.render());
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
    }

    private static void writeRejects(FileSystem fs, Path file, List<String[]> rejects) throws IOException {
        try (FSDataOutputStream out = fs.create(file, false);
             Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
             CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setHeader("path", "reason")
                     .setRecordSeparator('\n').build())) {
            for (String[] reject : rejects) {
                csv.printRecord((Object[]) reject);
            }
        }
    }

    private static void writeText(FileSystem fs, Path file, String text) throws IOException {
        try (FSDataOutputStream out = fs.create(file, false)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /**
     * Refuses an output that is or contains the input (--overwrite would delete it), and for
     * the folder layouts one inside the input folder (the next listing would find the shards).
     * A list file's folder may hold the output.
     */
    private static void checkApart(Path output, Path inputRoot, Request request, Configuration hadoop) {
        Path input = InputPaths.status(request.input(), hadoop).getPath();
        if (!java.util.Objects.equals(output.toUri().getScheme(), input.toUri().getScheme())) {
            return;
        }
        String out = output.toUri().getPath();
        String in = input.toUri().getPath();
        boolean overlaps = out.equals(in) || in.startsWith(out + "/")
                || (request.layout() != InputLayout.LIST && out.startsWith(inputRoot.toUri().getPath() + "/"));
        if (overlaps) {
            throw new UsageException("--output " + request.output() + ": overlaps --input " + request.input()
                    + "; write the shards to a folder outside the input");
        }
    }
}
