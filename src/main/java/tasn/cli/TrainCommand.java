package tasn.cli;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tasn.config.TasnConfig;
import tasn.config.UsageException;
import tasn.train.TasnGraphs;
import tasn.train.TrainJob;
import tasn.train.TrainingSession;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code tasn train}: trains TASN (or the baseline) on ingested shards with dl4j-spark (tasn.train.TrainJob). */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        description = {
                "Trains TASN on the Parquet shards of jobs/ingest.sh with Spark parameter averaging, evaluates every head",
                "on val (and test) after every epoch, and writes RUN_DIR/config.conf, metrics.jsonl, curves.png,",
                "checkpoints/ (one per epoch; --resume continues from the newest) and, at the end, model.zip."})
public final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "INGEST_OUT",
            description = "The --output folder of jobs/ingest.sh (dataset.json, train/, val/, test/).")
    String data;

    @Option(names = "--output", required = true, paramLabel = "RUN_DIR",
            description = "The run directory, on any Hadoop file system; refused if it exists, unless --resume or --overwrite.")
    String output;

    @Option(names = "--epochs", paramLabel = "N", description = "Shorthand for --set train.epochs=N.")
    Integer epochs;

    @Option(names = "--resume", description = "Continue the run in RUN_DIR from its newest readable checkpoint, with its "
            + "own config.conf (--set still applies).")
    boolean resume;

    @Option(names = "--baseline", description = "Train the plain-classifier control (one head, head_master) instead of TASN.")
    boolean baseline;

    @Option(names = "--init", paramLabel = "MODEL", description = "Start from a saved DL4J model: parameters are copied "
            + "where vertex name and shape match.")
    String init;

    @Option(names = "--overwrite", description = "Replace an existing RUN_DIR.")
    boolean overwrite;

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() throws IOException {
        try (JobSession session = JobSession.open("tasn train", TrainingSession.configure(new SparkConf()))) {
            SparkSession spark = session.spark();
            TasnConfig config = loadConfig(spark);
            TrainJob.Summary summary = new TrainJob(spark, new TasnGraphs(), System.out).run(
                    new TrainJob.Request(data, output, config, resume, baseline, init, overwrite));
            System.out.printf("trained %d epochs (%d iterations); %s top-1 of the headline head %s; model: %s%n",
                    summary.epochs(), summary.iterations(), summary.headlineSplit(),
                    Double.isNaN(summary.headlineAccuracy()) ? "-" : String.format("%.4f", summary.headlineAccuracy()),
                    summary.model());
            return TasnMain.EXIT_OK;
        }
    }


    /** The configuration: --config and --set, or on --resume the run's own config.conf and --set. */
    private TasnConfig loadConfig(SparkSession spark) throws IOException {
        List<String> extra = new ArrayList<>();
        if (epochs != null) {
            extra.add("train.epochs=" + epochs);
        }
        if (!resume) {
            return configOptions.load(extra);
        }
        if (configOptions.config != null) {
            throw new UsageException("--config " + configOptions.config + ": --resume uses the run's own config.conf; "
                    + "change single keys with --set");
        }
        Path saved = new Path(output, "config.conf");
        FileSystem fs = saved.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(saved)) {
            throw new UsageException("--resume: " + output + " has no config.conf, so it holds no run to resume; start the "
                    + "run without --resume");
        }
        java.nio.file.Path local = Files.createTempFile("tasn-resume", ".conf");
        try (var in = fs.open(saved)) {
            Files.writeString(local, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            ConfigOptions resumed = new ConfigOptions();
            resumed.config = local.toString();
            resumed.overrides = configOptions.overrides;
            return resumed.load(extra);
        } finally {
            Files.deleteIfExists(local);
        }
    }
}
