package tasn.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code --version} of the program and of every job prints the program's version. Here the
 * classes come from target/classes, which has no manifest, so the version is the development
 * build's; the version from a jar's manifest is checked under spark-submit
 * ({@link SparkSubmitExitTest}) and on the packaged jars ({@link PackagedJarVersionTest}).
 */
class VersionTest {

    private static String version(String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = TasnMain.commandLine();
        cli.setOut(new PrintWriter(out));
        assertEquals(TasnMain.EXIT_OK, cli.execute(args), String.join(" ", args));
        return out.toString().trim();
    }

    @Test
    void everyJobPrintsTheProgramVersion() {
        String expected = "tasn-spark (development build)";
        assertEquals(expected, version("--version"));
        for (String job : TasnMain.commandLine().getSubcommands().keySet()) {
            if (!job.equals("help")) {
                assertEquals(expected, version(job, "--version"), job + " --version");
                assertEquals(expected, version(job, "-V"), job + " -V");
            }
        }
    }
}
