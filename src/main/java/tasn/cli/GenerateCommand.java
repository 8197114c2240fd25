package tasn.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import tasn.config.UsageException;
import tasn.data.SyntheticDataset;

/** {@code tasn generate}: writes a synthetic fine-grained image set (see {@link SyntheticDataset}). */
@Command(name = "generate",
        mixinStandardHelpOptions = true,
        description = {
                "Write a synthetic fine-grained image set in ImageFolder layout: every image shows the same kind of",
                "bird on a noisy background; classes differ only in one small mark (its kind and hue) on the bird."})
public final class GenerateCommand implements Callable<Integer> {

    @Option(names = "--output", required = true, paramLabel = "DIR",
            description = "Output directory, any Hadoop path (file:, hdfs:, ...).")
    String output;

    @Option(names = "--classes", defaultValue = "10", paramLabel = "N",
            description = "Number of classes, 1-" + SyntheticDataset.MAX_CLASSES + " (default: ${DEFAULT-VALUE}).")
    int classes;

    @Option(names = "--per-class", defaultValue = "40", paramLabel = "M",
            description = "Images per class (default: ${DEFAULT-VALUE}).")
    int perClass;

    @Option(names = "--size", defaultValue = "64", paramLabel = "S",
            description = "Image side in pixels, " + SyntheticDataset.MIN_SIZE + "-4096 (default: ${DEFAULT-VALUE}).")
    int size;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "X",
            description = "Seed; the same seed writes the same files (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--format", defaultValue = "jpeg", paramLabel = "jpeg|png|mixed",
            description = "Image file format; mixed picks one per image (default: ${DEFAULT-VALUE}).")
    String format;

    @Option(names = "--splits",
            description = "Write train/ and test/ subfolders (" + (100 - SyntheticDataset.TEST_PERCENT) + "/"
                    + SyntheticDataset.TEST_PERCENT + " per class) instead of one ImageFolder tree.")
    boolean splits;

    @Option(names = "--overwrite", description = "Replace an existing non-empty output directory.")
    boolean overwrite;

    @Override
    public Integer call() throws Exception {
        SyntheticDataset.Format fileFormat = switch (format.toLowerCase(Locale.ROOT)) {
            case "jpeg", "jpg" -> SyntheticDataset.Format.JPEG;
            case "png" -> SyntheticDataset.Format.PNG;
            case "mixed" -> SyntheticDataset.Format.MIXED;
            default -> throw new UsageException("--format must be jpeg, png or mixed, got '" + format + "'");
        };
        SyntheticDataset.Spec spec = new SyntheticDataset.Spec(classes, perClass, size, seed, fileFormat, splits);
        long start = System.nanoTime();
        SyntheticDataset.Summary summary = new SyntheticDataset(spec).write(new Path(output), new Configuration(), overwrite);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT, "generate: wrote %d train + %d test images of %d classes (%d x %d px, %.1f MB) to %s in %.1f s%n",
                summary.trainImages(), summary.testImages(), summary.classNames().size(), size, size,
                summary.bytes() / 1e6, output, seconds);
        return TasnMain.EXIT_OK;
    }
}
