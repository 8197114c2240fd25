package tasn.bench;

import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import tasn.config.ConfigLoader;
import tasn.config.ModelConfig;
import tasn.config.TasnConfig;
import tasn.model.TasnGraph;
import tasn.sample.SampleJob;
import tasn.score.ImageScorer;
import tasn.score.ModelArchive;
import tasn.score.ScoreItem;
import tasn.score.ScoreJob;
import tasn.score.ScoreLayout;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Scoring and export throughput, one JSON line each on stdout (run with bench/score.sh):
 * <ol>
 *   <li>{@code score_one_jvm}: the model's batched scoring in this JVM without Spark (read, decode,
 *       evaluation view, forward pass; {@link ImageScorer#scoreBatch} on every image in turn);</li>
 *   <li>{@code score_spark_stage}: the score job's scoring stage on Spark local[2] (the same
 *       listing, {@code mapPartitions} and batches, rows counted, nothing written), the ratio to the first;</li>
 *   <li>{@code score_job}: the whole score job (a second run, the model already loaded in this
 *       JVM): scoring plus Parquet, CSV, report and chart, and its ratio to the first;</li>
 *   <li>{@code sample_spark}: the sample job exporting every image (no random details).</li>
 * </ol>
 * The first two alternate, best of two rounds each, so that the machine's load falls on both.
 * Arguments: [config name (tiny, cpu, paper), default tiny] [images, default 256].
 * The model is an untrained TASN of that configuration: speed does not depend on the weights.
 */
public final class ScoreBench {
    private static final int ROUNDS = 2;

    public static void main(String[] args) throws IOException {
        tasn.model.speed.DeepLearningSpeed.enable(); // as the jobs do: oneDNN helpers on
        String configName = args.length > 0 ? args[0] : "tiny";
        int images = args.length > 1 ? Integer.parseInt(args[1]) : 256;
        Path dir = Files.createTempDirectory("tasn-score-bench");
        try {
            run(configName, images, dir);
        } finally {
            try (var walk = Files.walk(dir)) {
                walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(String configName, int images, Path dir) throws IOException {
        List<String> classes = List.of("a", "b", "c", "d");
        TasnConfig config = ConfigLoader.load(configName, List.of("model.num-classes=" + classes.size()));
        ModelConfig model = config.model();
        ComputationGraph graph = TasnGraph.build(model);
        Path modelFile = dir.resolve("model.zip");
        ModelArchive.save(modelFile.toFile(), graph, model, classes, new float[]{120f, 115f, 100f});
        Path folder = dir.resolve("images");
        Random random = new Random(1);
        int side = model.inputSize() * 3 / 2;
        for (int i = 0; i < images; i++) {
            Path file = folder.resolve(classes.get(i % classes.size())).resolve("img-" + i + ".jpg");
            Files.createDirectories(file.getParent());
            BufferedImage picture = new BufferedImage(side, side * 3 / 4, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = picture.createGraphics();
            g.setColor(new Color(random.nextInt(0xffffff)));
            g.fillRect(0, 0, side, side);
            g.setColor(new Color(random.nextInt(0xffffff)));
            g.fillOval(random.nextInt(side / 2), random.nextInt(side / 3), side / 3, side / 4);
            g.dispose();
            ImageIO.write(picture, "jpg", file.toFile());
        }
        int batch = tasn.config.ScoreConfig.of(config).batchSize();
        SparkSession spark = SparkSession.builder().master("local[2]").appName("ScoreBench")
                .config("spark.ui.enabled", "false")
                // Kryo with ND4J's registrator, as conf/spark-defaults.conf ships it: what crosses to executors must survive it.
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator").config("spark.sql.shuffle.partitions", "4").getOrCreate();
        try {
            org.apache.hadoop.conf.Configuration hadoop = spark.sparkContext().hadoopConfiguration();
            ModelArchive.Reference reference = ModelArchive.locate(modelFile.toString(), hadoop, null);
            ImageScorer scorer = new ImageScorer(new ImageScorer.Settings(reference, "master", 5, batch,
                    config.data().maxPixels()), hadoop);
            List<ScoreItem> items = new ArrayList<>();
            try (var walk = Files.walk(folder)) {
                for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                    items.add(new ScoreItem(file.getFileName().toString(), file.toUri().toString(), null, -1, null,
                            null, null, 0, 0));
                }
            }
            scorer.scoreBatch(items.subList(0, Math.min(batch, items.size())));   // load and warm up
            // The one-JVM and Spark-stage measurements alternate, best of ROUNDS each, so that a change
            // in the load of this shared machine does not fall on one side only.
            ModelArchive archive = tasn.score.LoadedModels.get(reference, hadoop).archive();
            org.apache.spark.api.java.JavaRDD<ScoreItem> rdd =
                    tasn.score.ScoreInputs.read(spark, folder.toString(), ScoreLayout.IMAGEFOLDER, archive, config).rdd();
            double oneJvm = 0;
            double stage = 0;
            for (int round = 0; round < ROUNDS; round++) {
                long start = System.nanoTime();
                for (int i = 0; i < items.size(); i += batch) {
                    scorer.scoreBatch(items.subList(i, Math.min(items.size(), i + batch)));
                }
                oneJvm = Math.max(oneJvm, images / ((System.nanoTime() - start) / 1e9));
                // The job's scoring stage alone: the same items and mapPartitions, rows counted, nothing written.
                start = System.nanoTime();
                long scored = rdd.mapPartitions(scorer::score).count();
                stage = Math.max(stage, scored / ((System.nanoTime() - start) / 1e9));
            }
            line("score_one_jvm", configName, images, batch, oneJvm, ",\"rounds\":" + ROUNDS);
            line("score_spark_stage", configName, images, batch, stage,
                    String.format(Locale.ROOT, ",\"rounds\":%d,\"master\":\"local[2]\",\"vs_one_jvm\":%.3f", ROUNDS, stage / oneJvm));

            ScoreJob job = new ScoreJob(spark);
            job.run(new ScoreJob.Request(modelFile.toString(), folder.toString(), ScoreLayout.IMAGEFOLDER,
                    dir.resolve("warm").toString(), 5, "master", false, config));
            long start = System.nanoTime();
            job.run(new ScoreJob.Request(modelFile.toString(), folder.toString(), ScoreLayout.IMAGEFOLDER,
                    dir.resolve("scored").toString(), 5, "master", false, config));
            double spark2 = images / ((System.nanoTime() - start) / 1e9);
            line("score_job", configName, images, batch, spark2,
                    String.format(Locale.ROOT, ",\"master\":\"local[2]\",\"vs_one_jvm\":%.3f", spark2 / oneJvm));

            start = System.nanoTime();
            new SampleJob(spark).run(new SampleJob.Request(modelFile.toString(), folder.toString(), ScoreLayout.IMAGEFOLDER,
                    dir.resolve("samples").toString(), 0, 0, false, config));
            double export = images / ((System.nanoTime() - start) / 1e9);
            line("sample_spark", configName, images, batch, export, ",\"master\":\"local[2]\"");
        } finally {
            spark.stop();
        }
    }

    private static void line(String what, String config, int images, int batch, double perSecond, String extra) {
        System.out.println(String.format(Locale.ROOT,
                "{\"bench\":\"%s\",\"config\":\"%s\",\"images\":%d,\"batch\":%d,\"images_per_s\":%.2f%s}",
                what, config, images, batch, perSecond, extra));
    }
}
