package tasn.cli;

import picocli.CommandLine.Option;
import tasn.score.ScoreLayout;

/** The options of a job that runs a saved model over images (score, sample): the model, the images and their layout. */
public final class ModelInputOptions {
    @Option(names = "--model", required = true, paramLabel = "MODEL",
            description = "The model.zip of a train run (or a folder holding model.zip); any Hadoop file system.")
    String model;

    @Option(names = "--input", required = true, paramLabel = "PATH",
            description = "The images: a folder, a list file or an ingest output, as --layout says.")
    String input;

    @Option(names = "--layout", defaultValue = "imagefolder", paramLabel = "imagefolder|cub|list|shards|unlabeled",
            description = "imagefolder, cub, list: raw images as ingest lists them (every split); shards: an ingest "
                    + "output's val and test views; unlabeled: every image under a folder, recursively. Default: ${DEFAULT-VALUE}.")
    String layout;

    /** The layout, parsed (a bad name is refused with the accepted ones). */
    ScoreLayout layout() {
        return ScoreLayout.parse(layout);
    }
}
