package tasn.cli;

import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tasn.config.TasnConfig;
import tasn.data.IngestJob;
import tasn.data.InputLayout;

import java.util.concurrent.Callable;

/** {@code tasn ingest}: images to Parquet shards, dataset.json and rejects.csv (tasn.data.IngestJob). */
@Command(name = "ingest",
        mixinStandardHelpOptions = true,
        description = {
                "Lists images (an ImageFolder tree, the CUB_200_2011 layout, or a CSV/TSV list) on any Hadoop file system,",
                "decodes them and makes their training and evaluation views on the executors, and writes OUT/train, OUT/val,",
                "OUT/test (Parquet shards), OUT/dataset.json, OUT/rejects.csv and OUT/config.conf, committed atomically."})
public final class IngestCommand implements Callable<Integer> {
    @Option(names = "--input", required = true, paramLabel = "PATH",
            description = "The image folder (imagefolder, cub) or list file (list); file://, hdfs:// or a relative path.")
    String input;

    @Option(names = "--layout", required = true, paramLabel = "imagefolder|cub|list",
            description = "imagefolder: root/<class>/* or root/<split>/<class>/*; cub: the CUB_200_2011 folder; "
                    + "list: CSV or TSV with a header path,label[,split].")
    String layout;

    @Mixin
    OutputFolderOptions outputFolder;

    @Mixin
    ConfigOptions configOptions;

    @Override
    public Integer call() {
        InputLayout inputLayout = InputLayout.parse(layout);
        TasnConfig config = configOptions.load();
        try (JobSession session = JobSession.open("tasn ingest")) {
            SparkSession spark = session.spark();
            IngestJob.Summary summary = new IngestJob(spark).run(
                    new IngestJob.Request(input, inputLayout, outputFolder.output, outputFolder.overwrite, config));
            System.out.println(summary.line());
            return TasnMain.EXIT_OK;
        }
    }
}
