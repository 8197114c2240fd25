package tasn.cli;

import picocli.CommandLine.Option;

/**
 * The options of a job that writes one output folder and commits it atomically (ingest, score,
 * sample): {@code --output} and {@code --overwrite}.
 */
public final class OutputFolderOptions {
    @Option(names = "--output", required = true, paramLabel = "OUT",
            description = "The folder to create; refused if it exists, unless --overwrite.")
    String output;

    @Option(names = "--overwrite", description = "Replace an existing OUT (only once the new one is complete).")
    boolean overwrite;
}
