package tasn.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.sql.SparkSession;
import tasn.config.ConfigLoader;
import tasn.config.TasnConfig;
import tasn.data.IngestJob;
import tasn.data.InputLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.length;
import static org.apache.spark.sql.functions.sum;

/**
 * Ingest throughput on real photographs (bench/ingest.sh): our ingest (data.copies = 1, the
 * cpu configuration's raw size 224) against Spark's own {@code spark.read.format("image")}
 * decoding and counting the same files, in one local[2] session. Each timing is the best of
 * {@code REPEATS} runs; prints one JSON line per data set.
 */
public final class IngestBench {
    private static final int REPEATS = 2;

    public static void main(String[] args) throws IOException {
        Path dataRoot = Path.of(args.length > 0 ? args[0] : "/work/shared/data");
        Path work = Files.createTempDirectory("tasn-ingest-bench");
        SparkSession spark = SparkSession.builder().master("local[2]").appName("tasn ingest bench")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
        try {
            bench(spark, "cub10", dataRoot.resolve("cub10"), InputLayout.CUB, dataRoot.resolve("cub10/images"), work);
            bench(spark, "flowers12", dataRoot.resolve("flowers12"), InputLayout.IMAGEFOLDER, dataRoot.resolve("flowers12"), work);
        } finally {
            spark.stop();
        }
    }

    private static void bench(SparkSession spark, String name, Path input, InputLayout layout, Path imageRoot, Path work)
            throws IOException {
        if (!Files.isDirectory(input)) {
            System.err.println("bench: skipping " + name + ": " + input + " is missing");
            return;
        }
        double oursBest = Double.MAX_VALUE;
        IngestJob.Summary ours = null;
        for (int r = 0; r < REPEATS; r++) {
            ours = ingest(spark, input, layout, work.resolve(name + "-raw"), "raw");
            oursBest = Math.min(oursBest, ours.seconds());
        }
        double rawBytes = bytesPerRow(work.resolve(name + "-raw"), ours.rows());
        IngestJob.Summary jpeg = ingest(spark, input, layout, work.resolve(name + "-jpeg"), "jpeg");
        double jpegBytes = bytesPerRow(work.resolve(name + "-jpeg"), jpeg.rows());

        double sparkBest = Double.MAX_VALUE;
        long sparkImages = 0;
        for (int r = 0; r < REPEATS; r++) {
            long start = System.nanoTime();
            // Decode every file: summing the decoded bytes keeps Spark from skipping the decode.
            var result = spark.read().format("image").option("recursiveFileLookup", "true").option("dropInvalid", "true")
                    .load(imageRoot.toString())
                    .agg(org.apache.spark.sql.functions.count(col("image.origin")), sum(length(col("image.data"))))
                    .collectAsList().get(0);
            sparkBest = Math.min(sparkBest, (System.nanoTime() - start) / 1e9);
            sparkImages = result.getLong(0);
        }

        ObjectNode line = new ObjectMapper().createObjectNode();
        line.put("dataset", name);
        line.put("layout", layout.key());
        line.put("images", ours.written());
        line.put("rejected", ours.rejected());
        line.put("raw_size", 224);
        line.put("ours_seconds", round(oursBest));
        line.put("ours_images_per_s", round(ours.written() / oursBest));
        line.put("spark_image_source_images", sparkImages);
        line.put("spark_image_source_seconds", round(sparkBest));
        line.put("spark_image_source_images_per_s", round(sparkImages / sparkBest));
        line.put("ratio_ours_to_spark", round((ours.written() / oursBest) / (sparkImages / sparkBest)));
        line.put("raw_bytes_per_image", Math.round(rawBytes));
        line.put("jpeg_bytes_per_image", Math.round(jpegBytes));
        line.put("peak_rss_mb", peakRssMb());
        line.put("peak_heap_mb", peakHeapMb());
        System.out.println(line);
    }

    private static IngestJob.Summary ingest(SparkSession spark, Path input, InputLayout layout, Path out, String encoding) {
        TasnConfig config = ConfigLoader.load("cpu", List.of("data.copies = 1", "data.encoding = " + encoding));
        return new IngestJob(spark).run(new IngestJob.Request(input.toString(), layout, out.toString(), true, config));
    }

    /** Parquet bytes on disk per shard row, over all splits. */
    private static double bytesPerRow(Path out, long rows) throws IOException {
        try (Stream<Path> files = Files.walk(out)) {
            long bytes = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).mapToLong(p -> p.toFile().length()).sum();
            return rows == 0 ? 0 : (double) bytes / rows;
        }
    }

    /** The process's peak resident set (VmHWM), in MiB, or -1 where /proc is missing. */
    private static long peakRssMb() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return -1;
        }
        for (String l : Files.readAllLines(status)) {
            if (l.startsWith("VmHWM:")) {
                return Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024;
            }
        }
        return -1;
    }

    /** The sum of the heap pools' peak usage so far, in MiB. */
    private static long peakHeapMb() {
        long bytes = 0;
        for (var pool : java.lang.management.ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == java.lang.management.MemoryType.HEAP) {
                bytes += pool.getPeakUsage().getUsed();
            }
        }
        return bytes >> 20;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private IngestBench() {
    }
}
