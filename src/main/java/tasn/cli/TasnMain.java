package tasn.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import tasn.config.ConfigException;
import tasn.config.UsageException;

import java.util.List;

/**
 * The tasn-spark program: one command with a subcommand per job. Exit codes (DESIGN.md):
 * 0 success, 1 the job failed, 2 the command line or configuration is wrong.
 */
@Command(name = "tasn",
        mixinStandardHelpOptions = true,
        versionProvider = TasnMain.Version.class,
        description = "Train, score and inspect TASN fine-grained image classifiers on Apache Spark.",
        subcommands = {
                CommandLine.HelpCommand.class,
                GenerateCommand.class,
                IngestCommand.class,
                InspectCommand.class,
                TrainCommand.class,
                ScoreCommand.class,
                SampleCommand.class,
        })
public final class TasnMain implements Runnable {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * The program's entry point. It never calls {@code System.exit} on success: it returns, so
     * that in YARN cluster mode the ApplicationMaster records the run as SUCCEEDED (an exit from
     * the user's main, even exit(0), is "exited early", a FAILED attempt that YARN runs again).
     * A failure's exit code reaches whoever started the program through {@link ExitCode#fail}
     * (declared as Exception: naming Spark's exception here would make the JVM load Spark's
     * classes just to start main).
     */
    public static void main(String[] args) throws Exception {
        int code = run(args);
        if (code != EXIT_OK) {
            ExitCode.fail(code);
        }
    }

    /** Runs the program and returns its exit code, without exiting (tests call this). */
    public static int run(String... args) {
        CommandLine cli = commandLine();
        return cli.execute(args);
    }

    /** The configured command line, with the project's error handling. */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new TasnMain());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Throwable cause = rootUserError(ex);
            if (cause instanceof ConfigException || cause instanceof UsageException) {
                commandLine.getErr().println("error: " + cause.getMessage());
                return EXIT_USAGE;
            }
            commandLine.getErr().println("error: " + commandLine.getCommandName() + " failed: " + describe(ex));
            if (System.getenv("TASN_DEBUG") != null) {
                ex.printStackTrace(commandLine.getErr());
            } else {
                commandLine.getErr().println("(set TASN_DEBUG=1 for the stack trace)");
            }
            return EXIT_FAILED;
        });
        cli.setExitCodeExceptionMapper(ex -> EXIT_USAGE);
        cli.setExecutionStrategy(TasnMain::execute);
        // Every job's --version prints the program's version (picocli would print nothing for a
        // subcommand without a version provider of its own).
        for (CommandLine sub : cli.getSubcommands().values()) {
            if (sub.getCommandSpec().versionProvider() == null) {
                sub.getCommandSpec().versionProvider(new Version());
            }
        }
        return cli;
    }

    /**
     * Runs the parsed command. A job that builds DL4J networks in this JVM first switches on
     * DL4J's oneDNN layer helpers ({@link NetworkJobs}); help, version and the jobs that need no
     * network never load ND4J, so {@code --help} and {@code --version} answer at once.
     */
    private static int execute(CommandLine.ParseResult parseResult) {
        if (!NetworkJobs.answersOnly(parseResult)) {
            java.util.Optional<String> refusal = SupportedPlatform.refusal();
            if (refusal.isPresent()) {
                List<CommandLine> commands = parseResult.asCommandLineList();
                throw new CommandLine.ExecutionException(commands.get(commands.size() - 1), refusal.get(),
                        new UsageException(refusal.get()));
            }
        }
        if (NetworkJobs.buildsNetworks(parseResult)) {
            try {
                tasn.model.speed.DeepLearningSpeed.enable();
            } catch (RuntimeException | LinkageError e) {
                // ND4J could not load: a failed job (exit 1) with its message, like any other.
                List<CommandLine> commands = parseResult.asCommandLineList();
                throw new CommandLine.ExecutionException(commands.get(commands.size() - 1),
                        "ND4J, which this job needs, did not load: " + e, e);
            }
        }
        return new CommandLine.RunLast().execute(parseResult);
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand; see --help");
    }

    private static Throwable rootUserError(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof ConfigException || t instanceof UsageException) {
                return t;
            }
        }
        return ex;
    }

    private static String describe(Throwable ex) {
        String message = ex.getMessage();
        return message == null ? ex.getClass().getName() : message;
    }

    /** Reports the version from the jar manifest, or the development version. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = TasnMain.class.getPackage().getImplementationVersion();
            return new String[]{"tasn-spark " + (v == null ? "(development build)" : v)};
        }
    }
}
