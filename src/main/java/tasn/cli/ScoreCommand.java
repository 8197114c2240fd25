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
    @Mixin
    ModelInputOptions modelInput;

    @Mixin
    OutputFolderOptions outputFolder;

    @Option(names = "--top-k", defaultValue = "5", paramLabel = "K", description = "Classes listed per image. Default: ${DEFAULT-VALUE}.")
    int topK;

    @Option(names = "--head", defaultValue = "master", paramLabel = "master|att|part|shared_part|shared_master",
            description = "The head that predicts (the paper predicts with master). Default: ${DEFAULT-VALUE}.")
    String head;

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() {
        ScoreLayout scoreLayout = modelInput.layout();
        TasnConfig config = configOptions.load();
        try (JobSession session = JobSession.open("tasn score")) {
            SparkSession spark = session.spark();
            ScoreJob.Summary summary = new ScoreJob(spark).run(new ScoreJob.Request(
                    modelInput.model, modelInput.input, scoreLayout, outputFolder.output, topK, head,
                    outputFolder.overwrite, config));
            System.out.println(summary.line());
            return TasnMain.EXIT_OK;
        }
    }
}
