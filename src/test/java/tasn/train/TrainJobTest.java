package tasn.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tasn.config.ConfigLoader;
import tasn.config.TasnConfig;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The train job end to end on Spark local[2], with a small two-head graph and generated shards. */
class TrainJobTest {
    static final int SIZE = 16;
    static SparkSession spark;
    @TempDir
    static Path data;

    @BeforeAll
    static void start() throws Exception {
        spark = TrainingFixtures.spark("local[2]");
        TrainingFixtures.writeDataset(spark, data, new TrainingFixtures.Shape(3, 12, 4, 3, 2, SIZE), 7);
    }

    @AfterAll
    static void stop() {
        TrainingFixtures.stop(spark);
    }

    static TasnConfig config(String... overrides) {
        List<String> all = new ArrayList<>(List.of("train.workers=2", "train.batch-size-per-worker=4",
                "train.averaging-frequency=2", "train.optimizer=nesterov", "train.learning-rate=0.05",
                "train.schedule=constant", "train.log-every-iterations=2", "train.eval-batch-size=5"));
        all.addAll(List.of(overrides));
        return ConfigLoader.load("tiny", all);
    }

    static TrainJob.Summary train(Path runDir, TasnConfig config, boolean resume, boolean baseline) throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        TrainJob.Summary summary = new TrainJob(spark, new ToyGraphs(SIZE, true), new PrintStream(progress, true))
                .run(new TrainJob.Request(data.toString(), runDir.toString(), config, resume, baseline, null, false));
        assertTrue(progress.toString().contains("images/s"), progress.toString());
        return summary;
    }

    static List<JsonNode> lines(Path runDir, String event) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
            JsonNode node = new ObjectMapper().readTree(line);
            if (event.equals(node.path("event").asText())) {
                out.add(node);
            }
        }
        return out;
    }

    @Test
    void trainsEvaluatesEveryHeadAndWritesTheRunDirectory(@TempDir Path runs) throws Exception {
        Path run = runs.resolve("run");
        TrainJob.Summary summary = train(run, config("train.epochs=3"), false, false);

        List<JsonNode> epochs = lines(run, "epoch");
        assertEquals(List.of(1, 2, 3), epochs.stream().map(e -> e.get("epoch").asInt()).toList());
        for (JsonNode e : epochs) {
            for (String split : List.of("val", "test")) {
                for (String head : List.of("head_master", "head_part")) {
                    JsonNode r = e.path("eval").path(split).path(head);
                    assertTrue(r.path("top1").isNumber() && r.path("top5").isNumber(), split + " " + head + " in " + e);
                    assertEquals(split.equals("val") ? 12 : 9, r.path("images").asInt());
                }
            }
            assertTrue(e.path("learning_rate").asDouble() == 0.05 && e.path("images_per_second").asDouble() > 0, e.toString());
        }
        // 36 images, 2 workers x 4 x 2 = 16 per round: 3 rounds, 6 iterations an epoch, a line every 2
        assertEquals(9, lines(run, "iteration").size());
        assertEquals(18, summary.iterations());
        assertTrue(epochs.get(2).get("loss").asDouble() < epochs.get(0).get("loss").asDouble(),
                "training loss falls: " + epochs);
        // top-5 of 3 classes is always right
        assertEquals(1.0, epochs.get(2).path("eval").path("val").path("head_master").path("top5").asDouble());

        byte[] png = Files.readAllBytes(run.resolve("curves.png"));
        assertArrayEquals(new byte[]{(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
        assertTrue(Files.readString(run.resolve("config.conf")).contains("batch-size-per-worker"));
        List<String> kept = new ArrayList<>();
        try (var s = Files.list(run.resolve("checkpoints"))) {
            s.forEach(p -> kept.add(p.getFileName().toString()));
        }
        assertTrue(kept.containsAll(List.of("epoch-000002", "epoch-000003")) && kept.size() <= 3, kept.toString());

        File model = run.resolve("model.zip").toFile();
        ComputationGraph loaded = ModelSerializer.restoreComputationGraph(model, false);
        assertEquals(List.of("head_master", "head_part"), loaded.getConfiguration().getNetworkOutputs());
        tasn.model.SavedModel saved = tasn.model.SavedModel.load(model, false);
        assertTrue(saved.runConfig().contains("batch-size-per-worker"), saved.runConfig());
        assertEquals(3, saved.model().numClasses());
        assertEquals("class0\nclass1\nclass2", ModelSerializer.getObjectFromFile(model, TrainJob.CLASSES_KEY));
        String mean = ModelSerializer.getObjectFromFile(model, tasn.model.SavedModel.CHANNEL_MEAN_KEY);
        assertTrue(mean.matches("\\[[-0-9.eE]+, [-0-9.eE]+, [-0-9.eE]+\\]"), "the model carries the training mean: " + mean);
    }

    @Test
    void resumeAfterALostEpochRepeatsNoEpochAndEndsWhereAnUninterruptedRunEnds(@TempDir Path runs) throws Exception {
        Path run = runs.resolve("run");
        train(run, config("train.epochs=2"), false, false);
        ComputationGraph uninterrupted = ModelSerializer.restoreComputationGraph(run.resolve("model.zip").toFile(), false);
        // As if the driver died while saving epoch 2: its metrics line is written, its checkpoint is not,
        // and a newer checkpoint directory is garbage.
        deleteTree(run.resolve("checkpoints/epoch-000002"));
        Path broken = Files.createDirectories(run.resolve("checkpoints/epoch-000003"));
        Files.writeString(broken.resolve("state.json"), "{\"epoch\": 3");
        Files.delete(run.resolve("model.zip"));

        train(run, config("train.epochs=2"), true, false);

        assertEquals(List.of(1, 2), lines(run, "epoch").stream().map(e -> e.get("epoch").asInt()).toList());
        assertEquals(6, lines(run, "iteration").size());
        ComputationGraph resumed = ModelSerializer.restoreComputationGraph(run.resolve("model.zip").toFile(), false);
        double difference = resumed.params().sub(uninterrupted.params()).amaxNumber().doubleValue();
        assertTrue(difference < 1e-5, "resumed parameters differ from the uninterrupted run's by " + difference);
    }

    @Test
    void aDivergingLossStopsNamingEpochAndIterationAndKeepsTheLastGoodCheckpoint(@TempDir Path runs) throws Exception {
        Path run = runs.resolve("run");
        train(run, config("train.epochs=1"), false, false);
        TrainingDiverged diverged = org.junit.jupiter.api.Assertions.assertThrows(TrainingDiverged.class,
                () -> train(run, config("train.epochs=2", "train.learning-rate=1e6", "train.optimizer=sgd"), true, false));
        assertTrue(diverged.getMessage().matches("training diverged at epoch 2, iteration \\d+: .*epoch-000001.*"),
                diverged.getMessage());
        Checkpoints.Restored last = new Checkpoints(org.apache.hadoop.fs.FileSystem.getLocal(new org.apache.hadoop.conf.Configuration()),
                new org.apache.hadoop.fs.Path(run.resolve("checkpoints").toString()), 2).newestValid().orElseThrow();
        assertEquals(1, last.state().epoch());
        assertTrue(Files.notExists(run.resolve("checkpoints/epoch-000002")));
    }

    @Test
    void theBaselineTrainsItsOneHead(@TempDir Path runs) throws Exception {
        Path run = runs.resolve("run");
        train(run, config("train.epochs=1"), false, true);
        JsonNode epoch = lines(run, "epoch").get(0);
        assertEquals(List.of("head_master"), iterable(epoch.path("eval").path("val").fieldNames()));
    }

    static List<String> iterable(java.util.Iterator<String> names) {
        List<String> out = new ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }

    static void deleteTree(Path dir) throws Exception {
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
