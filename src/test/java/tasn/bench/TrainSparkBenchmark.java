package tasn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import tasn.config.ConfigLoader;
import tasn.config.TasnConfig;
import tasn.train.BatchAssembler;
import tasn.train.DatasetDescription;
import tasn.train.EpochBatches;
import tasn.train.GraphFactory;
import tasn.train.OptimizerSetup;
import tasn.train.RoundLayout;
import tasn.train.ShardExample;
import tasn.train.ShardReader;
import tasn.train.TasnGraphs;
import tasn.train.ToyGraphs;
import tasn.train.TrainJob;
import tasn.train.TrainableGraph;
import tasn.train.TrainingFixtures;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Training throughput of the train job on Spark against the same model fitted in one JVM on
 * the same minibatches. {@code spark} runs the train job on local[W] (training time per epoch,
 * the epoch's shuffle included); {@code local} assembles exactly the same minibatches with
 * the job's own code and times only {@code ComputationGraph.fit} on them. Each prints one JSON
 * line with the median images/s over the epochs after the first and the JVM's peak RSS.
 *
 * <p>Usage: {@code TrainSparkBenchmark spark|local --data DIR --run DIR [--model toy|wide|tasn]
 * [--classes C] [--per-class N] [--size S] [--epochs E] [--workers W] [--batch B] [--frequency F]}
 */
public final class TrainSparkBenchmark {
    public static void main(String[] args) throws Exception {
        tasn.model.speed.DeepLearningSpeed.enable(); // as the jobs do: oneDNN helpers on
        String mode = args[0];
        Map<String, String> o = new HashMap<>(Map.of("--model", "toy", "--classes", "4", "--per-class", "32",
                "--size", "32", "--epochs", "3", "--workers", "2", "--batch", "8", "--frequency", "2"));
        for (int i = 1; i + 1 < args.length; i += 2) {
            o.put(args[i], args[i + 1]);
        }
        int workers = Integer.parseInt(o.get("--workers"));
        int size = Integer.parseInt(o.get("--size"));
        int epochs = Integer.parseInt(o.get("--epochs"));
        int batch = Integer.parseInt(o.get("--batch"));
        int frequency = Integer.parseInt(o.get("--frequency"));
        java.nio.file.Path data = java.nio.file.Path.of(o.get("--data"));
        // tasn: the tiny TASN model of the 'tiny' configuration, whose input is data.raw-size
        TasnConfig config = ConfigLoader.load("tiny", List.of("data.raw-size=" + size, "train.workers=" + workers,
                "train.batch-size-per-worker=" + batch, "train.averaging-frequency=" + frequency,
                "train.epochs=" + epochs, "train.optimizer=sgd", "train.learning-rate=0.01", "train.schedule=constant",
                "train.log-every-iterations=1"));
        GraphFactory graphs = graphs(o.get("--model"), size);
        SparkSession spark = TrainingFixtures.spark(mode.equals("spark") ? "local[" + workers + "]" : "local[1]");
        try {
            if (!Files.exists(data.resolve("dataset.json"))) {
                TrainingFixtures.writeDataset(spark, data, new TrainingFixtures.Shape(Integer.parseInt(o.get("--classes")),
                        Integer.parseInt(o.get("--per-class")), 0, 0, 2, size), 5);
            }
            List<Double> perEpoch = mode.equals("spark")
                    ? spark(spark, graphs, config, data, java.nio.file.Path.of(o.get("--run")))
                    : local(spark, graphs, config, data);
            ObjectNode line = new ObjectMapper().createObjectNode();
            line.put("bench", "train_spark");
            line.put("impl", mode.equals("spark") ? "spark local[" + workers + "]" : "one JVM");
            line.put("model", o.get("--model"));
            line.put("size", size);
            line.put("workers", workers);
            line.put("batch_per_worker", batch);
            line.put("averaging_frequency", frequency);
            line.put("epochs", epochs);
            line.put("images_per_s", median(perEpoch.subList(Math.min(1, perEpoch.size() - 1), perEpoch.size())));
            line.put("images_per_s_by_epoch", perEpoch.toString());
            line.put("peak_rss_mib", peakRssMib());
            System.out.println(line);
        } finally {
            TrainingFixtures.stop(spark);
        }
    }

    private static GraphFactory graphs(String model, int size) {
        if (model.equals("toy")) {
            return new ToyGraphs(size, true);
        }
        if (model.equals("wide")) {
            return new ToyGraphs(size, true, 64);
        }
        if (model.equals("tasn")) {
            return new TasnGraphs();
        }
        throw new IllegalArgumentException("--model " + model + ": expected toy, wide or tasn");
    }

    private static List<Double> spark(SparkSession spark, GraphFactory graphs, TasnConfig config, java.nio.file.Path data,
                                      java.nio.file.Path run) throws Exception {
        new TrainJob(spark, graphs, System.err).run(
                new TrainJob.Request(data.toString(), run.toString(), config, false, false, null, true));
        List<Double> perEpoch = new ArrayList<>();
        for (String text : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode node = new ObjectMapper().readTree(text);
            if ("epoch".equals(node.path("event").asText())) {
                perEpoch.add(node.path("images_per_second").asDouble());
            }
        }
        return perEpoch;
    }

    /** The job's own minibatches, collected first, then fitted in order; only the fitting is timed. */
    private static List<Double> local(SparkSession spark, GraphFactory graphs, TasnConfig config, java.nio.file.Path data) {
        DatasetDescription dataset = DatasetDescription.read(new Path(data.toString()), spark.sparkContext().hadoopConfiguration());
        TrainableGraph graph = graphs.build(config, dataset.numClasses(), false);
        OptimizerSetup.apply(graph.configuration(), config.train(), config.train().learningRate());
        ComputationGraph net = new ComputationGraph(graph.configuration());
        net.init();
        BatchAssembler assembler = new BatchAssembler(dataset.channelMean(), dataset.numClasses(), graph.labels());
        JavaRDD<ShardExample> rows = new ShardReader(spark, new Path(data.toString())).read("train").cache();
        long images = rows.filter(e -> e.copy() == 0).count();
        RoundLayout layout = RoundLayout.of(images, config.train().workers(), config.train().batchSizePerWorker(),
                config.train().averagingFrequency());
        List<Double> perEpoch = new ArrayList<>();
        for (int epoch = 0; epoch < config.train().epochs(); epoch++) {
            EpochBatches epochBatches = EpochBatches.of(rows, 2, config.seed(), epoch, layout, assembler);
            List<MultiDataSet> batches = new ArrayList<>();
            for (long round = 0; round < layout.rounds(); round++) {
                batches.addAll(epochBatches.round(round).collect());
            }
            long start = System.nanoTime();
            for (MultiDataSet b : batches) {
                net.fit(b);
            }
            perEpoch.add(layout.paddedExamples() / ((System.nanoTime() - start) / 1e9));
        }
        return perEpoch;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static long peakRssMib() throws java.io.IOException {
        for (String line : Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) / 1024;
            }
        }
        return -1;
    }
}
