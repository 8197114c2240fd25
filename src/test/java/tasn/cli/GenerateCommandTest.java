package tasn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateCommandTest {
    @TempDir
    Path temp;

    private record Result(int exitCode, String err) {
    }

    private static Result run(String... args) {
        CommandLine cli = TasnMain.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            return new Result(cli.execute(args), err.toString());
        } finally {
            System.setOut(stdout);
        }
    }

    private static long countFiles(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void writesEveryImageOfTenClassesOfFortyAt64Pixels() throws Exception {
        Path out = temp.resolve("synthetic");
        Result result = run("generate", "--output", out.toString(), "--classes", "10", "--per-class", "40", "--size", "64",
                "--seed", "1", "--splits");
        assertEquals(0, result.exitCode(), result.err());
        assertEquals(400, countFiles(out));
        try (Stream<Path> classes = Files.list(out.resolve("train"))) {
            assertEquals(10, classes.count());
        }
    }

    @Test
    void zeroClassesIsAUsageError() {
        Result result = run("generate", "--output", temp.resolve("x").toString(), "--classes", "0");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("--classes"), result.err());
    }

    @Test
    void anUnknownFormatIsAUsageError() {
        Result result = run("generate", "--output", temp.resolve("x").toString(), "--format", "tiff");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("--format"), result.err());
    }

    @Test
    void aMissingOutputIsAUsageError() {
        Result result = run("generate", "--classes", "3");
        assertEquals(2, result.exitCode());
        assertTrue(result.err().contains("--output"), result.err());
    }

    @Test
    void anExistingNonEmptyOutputNeedsOverwrite() throws Exception {
        Path out = temp.resolve("taken");
        Files.createDirectories(out);
        Files.writeString(out.resolve("precious.txt"), "x");
        Result refused = run("generate", "--output", out.toString(), "--classes", "2", "--per-class", "2");
        assertEquals(2, refused.exitCode());
        assertTrue(refused.err().contains("--overwrite"), refused.err());
        Result replaced = run("generate", "--output", out.toString(), "--classes", "2", "--per-class", "2", "--overwrite");
        assertEquals(0, replaced.exitCode(), replaced.err());
        assertEquals(4, countFiles(out));
    }
}
