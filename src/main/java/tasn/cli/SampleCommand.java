package tasn.cli;

import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tasn.config.TasnConfig;
import tasn.sample.SampleJob;
import tasn.score.ScoreLayout;

import java.util.concurrent.Callable;

/** {@code tasn sample}: attention-sample export with an HTML gallery (tasn.sample.SampleJob). */
@Command(name = "sample",
        mixinStandardHelpOptions = true,
        description = {
                "Exports what a TASN model looks at: for each image the evaluation view, the structure- and detail-sampled",
                "images, optional random-channel detail images and the attention heat map (PNG), with every head's",
                "predictions and the sampler's peak magnification of rows and columns (JSON; 1 = a plain resize), and",
                "OUT/index.html, a gallery that opens from the file system. OUT/summary.json has the mean magnification.",
                "OUT may be on HDFS."})
public final class SampleCommand implements Callable<Integer> {
    @Mixin
    ModelInputOptions modelInput;

    @Mixin
    OutputFolderOptions outputFolder;

    @Option(names = "--limit", defaultValue = "100", paramLabel = "N",
            description = "Export the first N images (0: all). Default: ${DEFAULT-VALUE}.")
    int limit;

    @Option(names = "--random-details", defaultValue = "0", paramLabel = "K",
            description = "Also K detail images of randomly drawn attention channels, as training draws them. Default: ${DEFAULT-VALUE}.")
    int randomDetails;

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() {
        ScoreLayout scoreLayout = modelInput.layout();
        TasnConfig config = configOptions.load();
        try (JobSession session = JobSession.open("tasn sample")) {
            SparkSession spark = session.spark();
            SampleJob.Summary summary = new SampleJob(spark).run(new SampleJob.Request(
                    modelInput.model, modelInput.input, scoreLayout, outputFolder.output, limit, randomDetails,
                    outputFolder.overwrite, config));
            System.out.println(summary.line());
            return TasnMain.EXIT_OK;
        }
    }
}
