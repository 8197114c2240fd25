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

    @Option(names = "--epochs", paramLabel = "N", description = "Shorthand for --set train.epochs=N. On --resume it may "
            + "lengthen or shorten the run (not below the epochs done) only if no epoch already trained would change its "
            + "learning rate: always so with the step and constant schedules; cosine and one-cycle spread over all "
            + "epochs, so there a new total is refused (cosine allows it while one epoch is done); start a new run instead.")
    Integer epochs;

    @Option(names = "--resume", description = "Continue the run in RUN_DIR from its newest readable checkpoint: the "
            + "command that started it, with --resume added, continues it. Without --config the run's own config.conf is "
            + "the base, with --config the given configuration; --set and --epochs apply on top. Keys that change what "
            + "the run computes (seed, data, model, batch layout, optimiser, name) must equal the run's: a difference is "
            + "refused, naming each key with both values. Checkpoints kept, logging, evaluation batch, prefetching and "
            + "score keys may change; train.epochs and the schedule keys only if every trained epoch keeps its learning "
            + "rate. See docs/resume.md.")
    boolean resume;

    @Option(names = "--baseline", description = "Train the plain-classifier control (one head, head_master) instead of TASN. "
            + "On --resume the run keeps the mode it started with; --baseline against a TASN run is refused.")
    boolean baseline;

    @Option(names = "--init", paramLabel = "MODEL", description = "Start from a saved DL4J model: parameters are copied "
            + "where vertex name and shape match. On --resume the parameters come from the checkpoint: the MODEL the run "
            + "started from is accepted (and not read), any other is refused.")
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


    /**
     * The configuration: --config, --set and --epochs over the defaults; on --resume without
     * --config, --set and --epochs over the run's own config.conf. On --resume tasn.train.TrainJob
     * compares the result with the run's config.conf and refuses the keys that may not change.
     */
    private TasnConfig loadConfig(SparkSession spark) throws IOException {
        List<String> extra = new ArrayList<>();
        if (epochs != null) {
            extra.add("train.epochs=" + epochs);
        }
        if (!resume || configOptions.config != null) {
            return configOptions.load(extra);
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
