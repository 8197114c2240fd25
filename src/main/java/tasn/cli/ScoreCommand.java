package tasn.cli;

import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tasn.config.TasnConfig;
import tasn.score.ScoreJob;
import tasn.score.ScoreLayout;

import java.util.concurrent.Callable;

/** {@code tasn score}: predictions, report and confusion matrix of a saved model (tasn.score.ScoreJob). */
@Command(name = "score",
        mixinStandardHelpOptions = true,
        description = {
                "Scores images with a saved TASN model on Spark: the model is loaded once per executor JVM and run in",
                "batches of score.batch-size. Writes OUT/predictions.parquet, OUT/predictions.csv, OUT/summary.json,",
                "OUT/config.conf and, where labels are known, OUT/report.json and OUT/confusion.png; committed atomically.",
                "An image that cannot be read or decoded gets a row with the reason; it never fails the job."})
public final class ScoreCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "The model.zip of a train run (or a folder holding model.zip); any Hadoop file system.")
    String model;

    @Option(names = "--input", required = true, paramLabel = "PATH", description = "The images to score.")
    String input;

    @Option(names = "--layout", defaultValue = "imagefolder", paramLabel = "imagefolder|cub|list|shards|unlabeled",
            description = "imagefolder, cub, list: raw images as ingest lists them (every split); shards: an ingest "
                    + "output's val and test views; unlabeled: every image under a folder, recursively. Default: ${DEFAULT-VALUE}.")
    String layout;

    @Option(names = "--output", required = true, paramLabel = "OUT",
            description = "The folder to create; refused if it exists, unless --overwrite.")
    String output;

    @Option(names = "--top-k", defaultValue = "5", paramLabel = "K", description = "Classes listed per image. Default: ${DEFAULT-VALUE}.")
    int topK;

    @Option(names = "--head", defaultValue = "master", paramLabel = "master|att|part|shared_part|shared_master",
            description = "The head that predicts (the paper predicts with master). Default: ${DEFAULT-VALUE}.")
    String head;

    @Option(names = "--overwrite", description = "Replace an existing OUT (only once the new one is complete).")
    boolean overwrite;

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() {
        ScoreLayout scoreLayout = ScoreLayout.parse(layout);
        TasnConfig config = configOptions.load();
        try (JobSession session = JobSession.open("tasn score")) {
            SparkSession spark = session.spark();
            ScoreJob.Summary summary = new ScoreJob(spark).run(new ScoreJob.Request(
                    model, input, scoreLayout, output, topK, head, overwrite, config));
            System.out.println(summary.line());
            return TasnMain.EXIT_OK;
        }
    }
}
