package tasn.cli;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tasn ingest} on the command line: exit codes, --overwrite, and a re-run after a killed run. */
class IngestCommandTest {
    @TempDir
    static Path dir;
    static Path images;
    static SparkSession spark;

    @BeforeAll
    static void startSparkAndWriteImages() throws IOException {
        spark = SparkSession.builder().master("local[2]").appName("IngestCommandTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
        images = dir.resolve("images");
        for (String cls : List.of("ant", "bee")) {
            for (int i = 0; i < 3; i++) {
                BufferedImage image = new BufferedImage(30 + i, 20, BufferedImage.TYPE_INT_RGB);
                image.setRGB(i, i, cls.equals("ant") ? 0xff0000 : 0x00ff00);
                Path file = images.resolve(cls + "/" + i + ".png");
                Files.createDirectories(file.getParent());
                ImageIO.write(image, "png", file.toFile());
            }
        }
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    /** Runs the program as the user would; returns the exit code and what it printed on stderr. */
    private static Result tasn(String... args) {
        StringWriter err = new StringWriter();
        int code = TasnMain.commandLine().setErr(new PrintWriter(err, true)).execute(args);
        return new Result(code, err.toString());
    }

    private record Result(int code, String err) {
    }

    private static String[] ingest(Path output, String... more) {
        return Stream.concat(Stream.of("ingest", "--input", images.toString(), "--layout", "imagefolder",
                "--output", output.toString(), "--config", "tiny", "--set", "data.raw-size=16"), Stream.of(more))
                .toArray(String[]::new);
    }

    private static List<String> hiddenSiblings(Path output) throws IOException {
        try (Stream<Path> files = Files.list(output.getParent())) {
            return files.map(p -> p.getFileName().toString())
                    .filter(n -> n.startsWith("." + output.getFileName() + ".")).collect(Collectors.toList());
        }
    }

    @Test
    void existingOutputIsRefusedWithExit2UnlessOverwriteReplacesIt() throws IOException {
        Path out = dir.resolve("out");
        assertEquals(0, TasnMain.run(ingest(out)));
        Files.writeString(out.resolve("marker"), "from the first run");

        Result refused = tasn(ingest(out));
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("--output") && refused.err().contains("--overwrite"), refused.err());
        assertTrue(Files.exists(out.resolve("marker")), "the refused run leaves OUT alone");

        Result replaced = tasn(ingest(out, "--overwrite"));
        assertEquals(0, replaced.code(), replaced.err());
        assertFalse(Files.exists(out.resolve("marker")), "--overwrite replaces the whole folder");
        assertTrue(Files.exists(out.resolve("dataset.json")));
        assertEquals(List.of(), hiddenSiblings(out));
    }

    @Test
    void aRerunAfterAKilledRunSucceedsAndCleansItsLeftovers() throws IOException {
        Path out = dir.resolve("killed");
        // What a run killed while writing leaves: a hidden temp folder with half the shards
        // (Spark's _temporary among them), and no OUT. And from a killed --overwrite, an old copy aside.
        Path stale = dir.resolve(".killed.tmp-0b5e7c1a-dead-beef-0000-000000000000");
        Files.createDirectories(stale.resolve("train/_temporary/0/task_0"));
        Files.write(stale.resolve("train/part-00000-half.zstd.parquet"), new byte[]{'P', 'A', 'R', '1', 0, 0});
        Files.createDirectories(dir.resolve(".killed.old-11111111-2222-3333-4444-555555555555/train"));
        assertFalse(Files.exists(out));

        Result rerun = tasn(ingest(out));

        assertEquals(0, rerun.code(), rerun.err());
        assertEquals(List.of(), hiddenSiblings(out), "leftovers of the killed run are deleted");
        for (String name : List.of("dataset.json", "rejects.csv", "config.conf", "train", "val", "test")) {
            assertTrue(Files.exists(out.resolve(name)), name);
        }
        long rows = spark.read().parquet(out.resolve("train").toString()).count()
                + spark.read().parquet(out.resolve("val").toString()).count();
        assertEquals(6, rows, "every image once (copies = 1, no test split)");
    }

    @Test
    void commandLineErrorsExit2AndNameTheOption() throws IOException {
        Result noInput = tasn("ingest", "--layout", "imagefolder", "--output", dir.resolve("x").toString());
        assertEquals(2, noInput.code());
        assertTrue(noInput.err().contains("--input"), noInput.err());

        Result badLayout = tasn("ingest", "--input", images.toString(), "--layout", "coco", "--output", dir.resolve("x").toString());
        assertEquals(2, badLayout.code());
        assertTrue(badLayout.err().contains("--layout coco") && badLayout.err().contains("imagefolder, cub, list"), badLayout.err());

        Result missing = tasn("ingest", "--input", dir.resolve("nowhere").toString(), "--layout", "cub", "--output", dir.resolve("x").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--input") && missing.err().contains("no such file"), missing.err());

        Result badKey = tasn(ingest(dir.resolve("x"), "--set", "data.copiez=2"));
        assertEquals(2, badKey.code());
        assertTrue(badKey.err().contains("data.copiez") && badKey.err().contains("data.copies"), badKey.err());

        Result inside = tasn("ingest", "--input", images.toString(), "--layout", "imagefolder",
                "--output", images.resolve("shards").toString());
        assertEquals(2, inside.code());
        assertTrue(inside.err().contains("--output") && inside.err().contains("overlaps --input"), inside.err());

        Path list = dir.resolve("list.csv");
        Files.writeString(list, "path,label\nimages/ant/0.png,\n");
        Path listOut = dir.resolve("list-out");
        Result emptyLabel = tasn("ingest", "--input", list.toString(), "--layout", "list", "--output", listOut.toString());
        assertEquals(0, emptyLabel.code(), "an empty label is a reject, not a failure: " + emptyLabel.err());
        assertEquals(List.of("path,reason", listOut.getParent().resolve("images/ant/0.png").toUri().toString()
                .replace("file:///", "file:/") + ",empty-label"), Files.readAllLines(listOut.resolve("rejects.csv")));
        assertFalse(Files.exists(dir.resolve("x")), "no output from a failed command");
    }
}
