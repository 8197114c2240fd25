package tasn.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TasnMainTest {

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        CommandLine cli = TasnMain.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void helpListsEverySubcommandAndExitsZero() {
        Result r = run("--help");
        assertEquals(TasnMain.EXIT_OK, r.code());
        for (CommandLine sub : TasnMain.commandLine().getSubcommands().values()) {
            assertTrue(r.out().contains(sub.getCommandName()), "help lists " + sub.getCommandName());
        }
    }

    @Test
    void everySubcommandHasHelp() {
        for (String name : TasnMain.commandLine().getSubcommands().keySet()) {
            if (name.equals("help")) {
                continue;
            }
            Result r = run(name, "--help");
            assertEquals(TasnMain.EXIT_OK, r.code(), name + " --help");
            assertTrue(r.out().contains("Usage:"), name + " --help prints usage");
        }
    }

    @Test
    void unknownSubcommandOrNoneIsAUsageErrorWithExitTwo() {
        Result unknown = run("fly");
        assertEquals(TasnMain.EXIT_USAGE, unknown.code());
        assertTrue(unknown.err().contains("fly"), unknown.err());
        Result none = run();
        assertEquals(TasnMain.EXIT_USAGE, none.code());
        assertTrue(none.err().contains("subcommand"), none.err());
    }
}
