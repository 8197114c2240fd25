package tasn.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tasn.cli.TasnMain;
import tasn.model.SavedModel;
import tasn.model.TasnGraph;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code tasn train} with the real TASN graph (tiny configuration) on Spark local[2], and its exit codes. */
class TrainCommandTest {
    static SparkSession spark;
    @TempDir
    static Path data;

    @BeforeAll
    static void start() throws Exception {
        spark = TrainingFixtures.spark("local[2]");
        TrainingFixtures.writeDataset(spark, data, new TrainingFixtures.Shape(3, 4, 2, 1, 2, 64), 13);
    }

    @AfterAll
    static void stop() {
        TrainingFixtures.stop(spark);
    }

    record Result(int code, String err) {
    }

    static Result train(String... args) {
        CommandLine cli = TasnMain.commandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        List<String> all = new ArrayList<>(List.of("train", "--data", data.toString()));
        all.addAll(List.of(args));
        return new Result(cli.execute(all.toArray(String[]::new)), err.toString());
    }

    static final String[] SMALL = {"--set", "train.workers=2", "--set", "train.batch-size-per-worker=3",
            "--set", "train.averaging-frequency=1", "--set", "train.eval-batch-size=6"};

    static String[] with(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(SMALL));
        return all.toArray(String[]::new);
    }

    @Test
    void trainsTinyTasnEndToEndAndEvaluatesEveryHead(@TempDir Path runs) throws Exception {
        Path run = runs.resolve("run");
        Result r = train(with("--output", run.toString(), "--config", "tiny", "--epochs", "2"));
        assertEquals(TasnMain.EXIT_OK, r.code(), r.err());
        List<JsonNode> epochs = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode node = new ObjectMapper().readTree(line);
            if ("epoch".equals(node.path("event").asText())) {
                epochs.add(node);
            }
        }
        assertEquals(2, epochs.size());
        for (String head : TasnGraph.CLASSIFIERS) {
            JsonNode val = epochs.get(1).path("eval").path("val").path(head);
            assertEquals(6, val.path("images").asInt(), head + " in " + epochs.get(1));
            assertTrue(val.path("top1").isNumber() && Double.isFinite(val.path("loss").asDouble()), head + ": " + val);
        }
        assertFalse(epochs.get(1).path("eval").path("val").has(TasnGraph.HEAD_DISTILLATION));
        SavedModel saved = SavedModel.load(run.resolve("model.zip").toFile(), false);
        assertFalse(saved.isBaseline());
        assertEquals(3, saved.model().numClasses());
    }

    @Test
    void theBaselineFlagTrainsThePlainClassifier(@TempDir Path runs) throws Exception {
        Path run = runs.resolve("run");
        Result r = train(with("--output", run.toString(), "--config", "tiny", "--epochs", "1", "--baseline"));
        assertEquals(TasnMain.EXIT_OK, r.code(), r.err());
        assertTrue(SavedModel.load(run.resolve("model.zip").toFile(), false).isBaseline());
    }

    @Test
    void badCommandLinesExitWithTwoAndWriteNothing(@TempDir Path runs) throws Exception {
        Path existing = Files.createDirectories(runs.resolve("existing"));
        Files.writeString(existing.resolve("keep.txt"), "x");
        Result r = train(with("--output", existing.toString(), "--config", "tiny"));
        assertEquals(TasnMain.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("already exists"), r.err());

        r = train(with("--output", runs.resolve("none").toString(), "--resume"));
        assertEquals(TasnMain.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--resume") && r.err().contains("no config.conf"), r.err());
        assertFalse(Files.exists(runs.resolve("none")));

        r = train(with("--output", existing.toString(), "--resume", "--config", "tiny"));
        assertEquals(TasnMain.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--resume uses the run's own config.conf"), r.err());

        List<String> big = new ArrayList<>(List.of(with("--output", runs.resolve("big").toString(), "--config", "tiny")));
        big.addAll(List.of("--set", "train.batch-size-per-worker=50"));
        r = train(big.toArray(String[]::new));
        assertEquals(TasnMain.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("train.batch-size-per-worker = 50"), r.err());
        assertFalse(Files.exists(runs.resolve("big")));
    }
}
