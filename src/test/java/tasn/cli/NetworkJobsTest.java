package tasn.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import tasn.model.speed.OneDnnHelpers;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Where the command line switches DL4J's oneDNN helpers on: jobs that build networks, never help or version. */
class NetworkJobsTest {

    private static boolean buildsNetworks(String... args) {
        return NetworkJobs.buildsNetworks(TasnMain.commandLine().parseArgs(args));
    }

    @Test
    void everySubcommandIsClassifiedExactlyOnce() {
        Set<Class<?>> seen = new HashSet<>();
        for (CommandLine sub : TasnMain.commandLine().getSubcommands().values()) {
            Class<?> type = sub.getCommand().getClass();
            boolean network = NetworkJobs.NETWORK.contains(type);
            boolean none = NetworkJobs.NO_NETWORK.contains(type);
            assertTrue(network ^ none, sub.getCommandName() + " (" + type.getName()
                    + ") must be in exactly one of NetworkJobs.NETWORK and NetworkJobs.NO_NETWORK");
            seen.add(type);
        }
        Set<Class<?>> declared = new HashSet<>(NetworkJobs.NETWORK);
        declared.addAll(NetworkJobs.NO_NETWORK);
        declared.remove(TasnMain.class);
        assertEquals(declared, seen, "NetworkJobs names a class that is no subcommand");
    }

    @Test
    void networkJobsSwitchTheHelpersOnButNotForHelpOrVersion() {
        assertTrue(buildsNetworks("train", "--data", "d", "--output", "o"));
        assertTrue(buildsNetworks("inspect", "--config", "tiny"));
        assertTrue(buildsNetworks("score", "--model", "m", "--input", "i", "--output", "o"));
        assertTrue(buildsNetworks("sample", "--model", "m", "--input", "i", "--output", "o"));
        assertFalse(buildsNetworks("ingest", "--input", "i", "--layout", "cub", "--output", "o"));
        assertFalse(buildsNetworks("generate", "--output", "o"));
        for (String job : new String[]{"train", "inspect", "score", "sample"}) {
            assertFalse(buildsNetworks(job, "--help"), job + " --help");
            assertFalse(buildsNetworks(job, "-V"), job + " -V");
            assertFalse(buildsNetworks("help", job), "help " + job);
        }
        assertFalse(buildsNetworks("--version"));
        assertFalse(buildsNetworks());
    }

    @Test
    void inspectRunsWithTheHelpersSwitchedOn() {
        String before = System.getProperty(OneDnnHelpers.DISABLE_PROPERTY);
        System.clearProperty(OneDnnHelpers.DISABLE_PROPERTY);
        PrintStream saved = System.out;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            assertEquals(TasnMain.EXIT_OK, TasnMain.run("inspect", "--config", "tiny"));
        } finally {
            System.setOut(saved);
        }
        try {
            // Only DeepLearningSpeed.enable() sets it: the command line called it for inspect.
            assertEquals("false", System.getProperty(OneDnnHelpers.DISABLE_PROPERTY));
        } finally {
            if (before != null) {
                System.setProperty(OneDnnHelpers.DISABLE_PROPERTY, before);
            }
        }
    }
}
