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
import tasn.config.UsageException;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
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

    /** Trains (at least one epoch) or resumes. */
    static TrainJob.Summary train(Path runDir, TasnConfig config, boolean resume, boolean baseline) throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        TrainJob.Summary summary = train(data, runDir, config, resume, baseline, null, progress);
        assertTrue(progress.toString().contains("images/s"), progress.toString());
        return summary;
    }

    static TrainJob.Summary train(Path dataDir, Path runDir, TasnConfig config, boolean resume, boolean baseline, String init,
                                  ByteArrayOutputStream progress) throws Exception {
        return new TrainJob(spark, new ToyGraphs(SIZE, true), new PrintStream(progress, true))
                .run(new TrainJob.Request(dataDir.toString(), runDir.toString(), config, resume, baseline, init, false));
    }

    static String refused(Path runDir, TasnConfig config, boolean baseline, String init) {
        return refused(data, runDir, config, baseline, init);
    }

    /** Resuming is refused with a usage error, and the run directory is left as it was. */
    static String refused(Path dataDir, Path runDir, TasnConfig config, boolean baseline, String init) {
        String before = listing(runDir);
        String message = assertThrows(UsageException.class, () -> new TrainJob(spark, new ToyGraphs(SIZE, true),
                new PrintStream(OutputStream.nullOutputStream())).run(new TrainJob.Request(dataDir.toString(),
                runDir.toString(), config, true, baseline, init, false))).getMessage();
        assertEquals(before, listing(runDir), "a refused resume changes nothing in " + runDir);
        return message;
    }

    /** Every file of a directory with its size and content digest. */
    static String listing(Path dir) {
        try (var walk = Files.walk(dir)) {
            StringBuilder out = new StringBuilder();
            for (Path p : walk.sorted().toList()) {
                out.append(dir.relativize(p));
                if (Files.isRegularFile(p)) {
                    out.append(' ').append(java.util.Arrays.hashCode(Files.readAllBytes(p)));
                }
                out.append('\n');
            }
            return out.toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static double maxDifference(Path a, Path b) throws Exception {
        ComputationGraph x = ModelSerializer.restoreComputationGraph(a.toFile(), false);
        ComputationGraph y = ModelSerializer.restoreComputationGraph(b.toFile(), false);
        return x.params().sub(y.params()).amaxNumber().doubleValue();
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
        // No resume may change the learning rate of a run, so the diverging rate is written into the run's own
        // configuration, as if the run had been started with a schedule that jumps after its first epoch.
        TasnConfig diverging = config("train.epochs=2", "train.learning-rate=1e6");
        Files.writeString(run.resolve("config.conf"), diverging.render());
        Files.delete(run.resolve(".config.conf.crc"));  // Hadoop's local file system checks it on reading
        TrainingDiverged diverged = org.junit.jupiter.api.Assertions.assertThrows(TrainingDiverged.class,
                () -> train(run, diverging, true, false));
        assertTrue(diverged.getMessage().matches("training diverged at epoch 2, iteration \\d+: .*epoch-000001.*"),
                diverged.getMessage());
        Checkpoints.Restored last = new Checkpoints(org.apache.hadoop.fs.FileSystem.getLocal(new org.apache.hadoop.conf.Configuration()),
                new org.apache.hadoop.fs.Path(run.resolve("checkpoints").toString()), 2).newestValid().orElseThrow();
        assertEquals(1, last.state().epoch());
        assertTrue(Files.notExists(run.resolve("checkpoints/epoch-000002")));
    }

    @Test
    void theBaselineTrainsItsOneHeadAndAResumeWithoutTheFlagKeepsItABaseline(@TempDir Path runs) throws Exception {
        Path run = runs.resolve("run");
        train(run, config("train.epochs=1"), false, true);
        JsonNode epoch = lines(run, "epoch").get(0);
        assertEquals(List.of("head_master"), iterable(epoch.path("eval").path("val").fieldNames()));

        // The run records its mode: resumed without --baseline it stays the baseline.
        train(run, config("train.epochs=2"), true, false);
        assertEquals(List.of(1, 2), lines(run, "epoch").stream().map(e -> e.get("epoch").asInt()).toList());
        assertEquals(List.of("head_master"), iterable(lines(run, "epoch").get(1).path("eval").path("val").fieldNames()));
        assertTrue(tasn.model.SavedModel.load(run.resolve("model.zip").toFile(), false).isBaseline());
    }

    @Test
    void aFinishedRunResumedWithMoreEpochsTrainsOnlyTheNewOnesAndEndsWhereTheLongerRunEnds(@TempDir Path runs)
            throws Exception {
        // A step schedule whose steps lie ahead: every epoch so far ran at 0.05, whatever the total.
        Path run = runs.resolve("run");
        train(run, config("train.epochs=2", "train.schedule=step", "train.step-epochs=[100]"), false, false);
        String firstEpochs = String.join("\n", Files.readAllLines(run.resolve("metrics.jsonl")));

        // Extended to 3 epochs with a step that drops the third epoch's rate, keeping 1 checkpoint and logging
        // every 100 iterations: the two epochs trained keep their rates, so all of it may change.
        TasnConfig longer = config("train.epochs=3", "train.schedule=step", "train.step-epochs=[2]",
                "train.keep-checkpoints=1", "train.log-every-iterations=100");
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        TrainJob.Summary summary = train(data, run, longer, true, false, null, progress);
        assertTrue(progress.toString().contains("train.epochs 2 -> 3") && progress.toString().contains("train.step-epochs "
                + "[100] -> [2]") && progress.toString().contains("train.keep-checkpoints 2 -> 1")
                && progress.toString().contains("train.log-every-iterations 2 -> 100"), progress.toString());
        assertTrue(progress.toString().contains("2 of 3 epochs done"), progress.toString());

        List<JsonNode> epochs = lines(run, "epoch");
        assertEquals(List.of(1, 2, 3), epochs.stream().map(e -> e.get("epoch").asInt()).toList());
        assertTrue(String.join("\n", Files.readAllLines(run.resolve("metrics.jsonl"))).startsWith(firstEpochs),
                "epochs 1 and 2 are not trained again");
        double[] rates = {0.05, 0.05, 0.005};
        for (int i = 0; i < 3; i++) {
            assertEquals(rates[i], epochs.get(i).get("learning_rate").asDouble(), 1e-12, epochs.get(i).toString());
        }
        assertEquals(3 * 6, summary.iterations());
        // 3 iteration lines in each of epochs 1 and 2 (one every 2 iterations); in epoch 3, every 100: only the last.
        assertEquals(3 + 3 + 1, lines(run, "iteration").size());
        assertEquals(longer.render(), Files.readString(run.resolve("config.conf")), "the resumed run writes its configuration");
        try (var s = Files.list(run.resolve("checkpoints"))) {
            List<String> kept = s.map(p -> p.getFileName().toString()).sorted().toList();
            assertTrue(kept.contains("epoch-000003") && kept.size() <= 2, "the newest one and the best: " + kept);
        }

        Path straight = runs.resolve("straight");
        train(straight, config("train.epochs=3", "train.schedule=step", "train.step-epochs=[2]"), false, false);
        double difference = maxDifference(run.resolve("model.zip"), straight.resolve("model.zip"));
        assertTrue(difference < 1e-5, "extended run's parameters differ from a 3-epoch run's by " + difference);

        // Neither fewer epochs than are done, nor a schedule that changes a trained epoch's rate.
        String fewer = refused(run, config("train.epochs=2", "train.schedule=step", "train.step-epochs=[2]"), false, null);
        assertTrue(fewer.contains("train.epochs: the run has 3, the command gives 2")
                && fewer.contains("already trained 3 epochs"), fewer);
        String earlier = refused(run, config("train.epochs=3", "train.schedule=step", "train.step-epochs=[1]"), false, null);
        assertTrue(earlier.contains("train.step-epochs: the run has [2], the command gives [1]")
                && earlier.contains("learning rate of epoch 2, already trained at 0.0500000"), earlier);
    }

    @Test
    void aCosineRunRefusesANewTotalOnceItsEpochsRanAtTheOldOnesRates(@TempDir Path runs) throws Exception {
        Path run = runs.resolve("run");
        train(run, config("train.epochs=2", "train.schedule=cosine"), false, false);
        String message = refused(run, config("train.epochs=4", "train.schedule=cosine", "train.log-every-iterations=1"),
                false, null);
        assertTrue(message.startsWith("--resume: the command line conflicts with the run in "), message);
        assertTrue(message.contains("train.epochs: the run has 2, the command gives 4")
                && message.contains("learning rate of epoch 2, already trained at 0.0250000 (the command's schedule "
                + "gives 0.0426777)") && message.contains("with train.schedule = cosine every epoch's rate depends on "
                + "train.epochs") && message.contains("--init " + new org.apache.hadoop.fs.Path(run.resolve(
                "checkpoints/epoch-000002/model.zip").toUri())), message);
        assertTrue(message.contains("--overwrite"), message);
        assertFalse(message.contains("log-every-iterations"), "an operational key is no conflict: " + message);
        // The same total with the same schedule is the run itself: nothing left to train.
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        train(data, run, config("train.epochs=2", "train.schedule=cosine"), true, false, null, progress);
        assertTrue(progress.toString().contains("2 of 2 epochs done"), progress.toString());
        assertEquals(List.of(1, 2), lines(run, "epoch").stream().map(e -> e.get("epoch").asInt()).toList());
    }

    @Test
    void theInitModelAndTheDataClassesARunStartedFromAreCheckedOnResume(@TempDir Path runs) throws Exception {
        Path fresh = runs.resolve("fresh");
        train(fresh, config("train.epochs=1"), false, false);
        Path pretrained = fresh.resolve("model.zip");
        Path started = runs.resolve("started");
        train(data, started, config("train.epochs=1"), false, false, pretrained.toString(), new ByteArrayOutputStream());

        // The command that started the run, with --resume added (the model named relative to the working
        // directory this time): the --init model is the one the run started from, and is not read again.
        String relative = Path.of("").toAbsolutePath().relativize(pretrained.toAbsolutePath()).toString();
        Path moved = runs.resolve("moved.zip");
        Files.move(pretrained, moved);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        train(data, started, config("train.epochs=1"), true, false, relative, progress);
        assertFalse(progress.toString().contains("--init"), "nothing to say about --init: " + progress);
        Files.move(moved, pretrained);
        assertTrue(Files.exists(started.resolve("model.zip")));

        String other = refused(started, config("train.epochs=1"), false, started.resolve("model.zip").toString());
        assertTrue(other.contains("--init file:" + started.resolve("model.zip").toUri().getPath()) && other.contains("the run "
                + "started from file:" + pretrained.toUri().getPath()), other);
        String none = refused(fresh, config("train.epochs=1"), false, pretrained.toString());
        assertTrue(none.contains("the run started from fresh weights, not from a saved model"), none);
        String baseline = refused(fresh, config("train.epochs=1"), true, null);
        assertTrue(baseline.contains("--baseline: the run trains TASN, not the baseline"), baseline);

        // Data whose classes are not the run's (only dataset.json is read before the check).
        Path renamed = Files.createDirectories(runs.resolve("renamed"));
        Files.writeString(renamed.resolve("dataset.json"),
                Files.readString(data.resolve("dataset.json")).replace("\"class1\"", "\"robin\""));
        String classes = refused(renamed, fresh, config("train.epochs=1"), false, null);
        assertTrue(classes.contains("--data " + renamed + ": label 1 is class robin there but class1 in the run"), classes);

        // A checkpoint written before state.json recorded how the run started: --init cannot be checked, and is
        // accepted with a note that it is not read.
        Path state = started.resolve("checkpoints/epoch-000001/state.json");
        com.fasterxml.jackson.databind.node.ObjectNode json =
                (com.fasterxml.jackson.databind.node.ObjectNode) new ObjectMapper().readTree(Files.readString(state));
        json.remove(List.of("init", "classes"));
        Files.writeString(state, json.toString());
        Files.delete(state.resolveSibling(".state.json.crc"));  // Hadoop's local file system checks it on reading
        progress = new ByteArrayOutputStream();
        train(data, started, config("train.epochs=1"), true, false, fresh.resolve("model.zip").toString(), progress);
        assertTrue(progress.toString().contains("not read; the resumed run takes its parameters from its checkpoint (which "
                + "does not record how the run started)"), progress.toString());
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
