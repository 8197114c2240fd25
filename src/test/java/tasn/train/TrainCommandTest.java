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
    void theInterruptedCommandWithResumeAddedContinuesFromItsCheckpoint(@TempDir Path runs) throws Exception {
        Path run = runs.resolve("run");
        String[] command = with("--output", run.toString(), "--config", "tiny", "--epochs", "2");
        Result r = train(command);
        assertEquals(TasnMain.EXIT_OK, r.code(), r.err());
        String config = Files.readString(run.resolve("config.conf"));
        List<String> epochOne = Files.readAllLines(run.resolve("metrics.jsonl")).stream()
                .filter(l -> l.contains("\"epoch\":1,")).toList();
        // As if the job had been killed while training epoch 2.
        TrainJobTest.deleteTree(run.resolve("checkpoints/epoch-000002"));
        Files.delete(run.resolve("model.zip"));

        r = train(plus(command, "--resume"));
        assertEquals(TasnMain.EXIT_OK, r.code(), r.err());
        List<JsonNode> epochs = epochLines(run);
        assertEquals(List.of(1, 2), epochs.stream().map(e -> e.get("epoch").asInt()).toList());
        assertEquals(epochOne, Files.readAllLines(run.resolve("metrics.jsonl")).stream()
                .filter(l -> l.contains("\"epoch\":1,")).toList(), "epoch 1 is not trained again");
        assertEquals(2 * epochs.get(0).get("iteration").asLong(), epochs.get(1).get("iteration").asLong(),
                "iterations count on from the checkpoint");
        assertTrue(Files.exists(run.resolve("checkpoints/epoch-000002/model.zip")) && Files.exists(run.resolve("model.zip")));
        assertEquals(config, Files.readString(run.resolve("config.conf")), "the same command resolves to the same config");

        // Changes that alter what the run computes are refused, each key named with both values.
        String before = TrainJobTest.listing(run);
        r = train(plus(command, "--resume", "--set", "train.learning-rate=0.2", "--set", "model.backbone.width=16"));
        assertEquals(TasnMain.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("train.learning-rate: the run has 0.05, the command gives 0.2")
                && r.err().contains("model.backbone.width: the run has 8, the command gives 16")
                && r.err().contains("--overwrite"), r.err());
        // --set conflicts the same way on the run's own config.conf (no --config).
        r = train(with("--output", run.toString(), "--resume", "--set", "seed=7"));
        assertEquals(TasnMain.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("seed: the run has 42, the command gives 7"), r.err());
        // Another preset differs in many keys; all are named.
        r = train(with("--output", run.toString(), "--resume", "--config", "cpu", "--epochs", "2"));
        assertEquals(TasnMain.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("name: the run has tiny, the command gives cpu")
                && r.err().contains("data.raw-size: the run has 64, the command gives 224")
                && r.err().contains("model.backbone.width: the run has 8, the command gives 64"), r.err());
        // tiny's cosine schedule spreads over the 2 epochs, both trained: another total is refused.
        r = train(with("--output", run.toString(), "--config", "tiny", "--epochs", "3", "--resume"));
        assertEquals(TasnMain.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("train.epochs: the run has 2, the command gives 3")
                && r.err().contains("train.schedule = cosine"), r.err());
        r = train(plus(command, "--resume", "--baseline"));
        assertEquals(TasnMain.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--baseline: the run trains TASN"), r.err());
        assertEquals(before, TrainJobTest.listing(run), "refused commands leave the run as it was");
    }

    static String[] plus(String[] command, String... more) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    static List<JsonNode> epochLines(Path run) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            JsonNode node = new ObjectMapper().readTree(line);
            if ("epoch".equals(node.path("event").asText())) {
                out.add(node);
            }
        }
        return out;
    }

    static List<String> names(Path dir) throws Exception {
        try (var s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
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

        // --config is welcome on --resume, but there is no run to resume.
        r = train(with("--output", existing.toString(), "--resume", "--config", "tiny"));
        assertEquals(TasnMain.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("--resume: " + existing + " holds no readable checkpoint"), r.err());
        assertEquals(List.of("keep.txt"), names(existing));

        List<String> big = new ArrayList<>(List.of(with("--output", runs.resolve("big").toString(), "--config", "tiny")));
        big.addAll(List.of("--set", "train.batch-size-per-worker=50"));
        r = train(big.toArray(String[]::new));
        assertEquals(TasnMain.EXIT_USAGE, r.code(), r.err());
        assertTrue(r.err().contains("train.batch-size-per-worker = 50"), r.err());
        assertFalse(Files.exists(runs.resolve("big")));
    }
}
