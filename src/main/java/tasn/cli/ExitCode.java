package tasn.cli;

import org.apache.spark.SparkUserAppException;

/**
 * Hands a failed run's exit code (1 the job failed, 2 bad command line or configuration) to
 * whoever started {@link TasnMain#main}, in the way that starter understands.
 *
 * <p>Under Spark's launchers the code travels as {@link SparkUserAppException}: spark-submit
 * in client or local mode (also the embedded launcher of {@code jobs/*.sh}) turns it into
 * {@code exit(code)}, and YARN's ApplicationMaster (cluster mode) finishes the application
 * FAILED with that exit code and the diagnostics "User application exited with status N". A
 * {@code System.exit} there would instead end the ApplicationMaster before it records a final
 * status: the attempt ends FAILED, "Shutdown hook called before final status was reported"
 * (even for exit(0)), and YARN starts another attempt of the whole job. Started any other way
 * ({@code java tasn.cli.TasnMain}, Spark's standalone DriverWrapper) the program exits with the
 * code.
 *
 * <p>A separate class, so that a successful run (and {@code --help}) never loads Spark's classes.
 */
final class ExitCode {
    private ExitCode() {
    }

    /** Ends the program with {@code code} (not 0): throws under Spark's launchers, exits otherwise. */
    static void fail(int code) throws SparkUserAppException {
        if (startedBySparkLauncher()) {
            throw new SparkUserAppException(code);
        }
        System.exit(code);
    }

    /** Whether main was called by spark-submit (any mode) or YARN's ApplicationMaster. */
    static boolean startedBySparkLauncher() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> isSparkLauncher(f.getClassName())));
    }

    /** The classes on the stack of a main that spark-submit or the ApplicationMaster called. */
    static boolean isSparkLauncher(String className) {
        return className.startsWith("org.apache.spark.deploy.SparkSubmit")
                || className.startsWith("org.apache.spark.deploy.InProcessSparkSubmit")
                || className.startsWith("org.apache.spark.deploy.yarn.ApplicationMaster");
    }
}
