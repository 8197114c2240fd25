package tasn.cli;

import picocli.CommandLine;

import java.util.List;
import java.util.Set;

/**
 * Which jobs build DL4J networks in the JVM that parses the command line, and so need DL4J's
 * oneDNN layer helpers switched on first ({@link tasn.model.speed.DeepLearningSpeed#enable()}).
 * Executors switch them on themselves, in the code that builds a network there (the training
 * worker, the evaluation, the model loading of score and sample).
 *
 * <p>Every subcommand of {@link TasnMain} is in exactly one of the two sets (a test checks it);
 * one in neither is treated as a network job, the safe side. Help and version requests never
 * are: they must answer without loading ND4J or OpenCV.
 */
final class NetworkJobs {
    /** Build or load a network on the driver, or run Spark tasks that do in local mode. */
    static final Set<Class<?>> NETWORK = Set.of(
            InspectCommand.class, TrainCommand.class, ScoreCommand.class, SampleCommand.class);
    /** Build no network: images and Parquet (a Spark session may still load ND4J's Kryo registrator). */
    static final Set<Class<?>> NO_NETWORK = Set.of(
            GenerateCommand.class, IngestCommand.class, CommandLine.HelpCommand.class, TasnMain.class);

    private NetworkJobs() {
    }

    /** Whether the command {@code parseResult} will run builds networks (false for help/version). */
    static boolean buildsNetworks(CommandLine.ParseResult parseResult) {
        if (answersOnly(parseResult)) {
            return false;
        }
        List<CommandLine> commands = parseResult.asCommandLineList();
        Object job = commands.get(commands.size() - 1).getCommand();
        return !NO_NETWORK.contains(job.getClass());
    }

    /** Whether the command line only asks for help or the version (or names no job): no job runs. */
    static boolean answersOnly(CommandLine.ParseResult parseResult) {
        for (CommandLine.ParseResult level = parseResult; level != null; level = level.subcommand()) {
            if (level.isUsageHelpRequested() || level.isVersionHelpRequested()) {
                return true;
            }
        }
        List<CommandLine> commands = parseResult.asCommandLineList();
        Object job = commands.get(commands.size() - 1).getCommand();
        return job instanceof TasnMain || job instanceof CommandLine.HelpCommand;
    }
}
