package tasn.train;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import tasn.config.TasnConfig;
import tasn.config.UsageException;

import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every bad input of the train job is a usage error (exit 2) that names the problem and writes nothing. */
class TrainInputErrorsTest {
    static SparkSession spark;
    @TempDir
    static Path data;

    @BeforeAll
    static void start() throws Exception {
        spark = TrainingFixtures.spark("local[2]");
        TrainingFixtures.writeDataset(spark, data, new TrainingFixtures.Shape(3, 4, 1, 0, 1, 8), 3);
    }

    @AfterAll
    static void stop() {
        TrainingFixtures.stop(spark);
    }

    static void train(Path dataDir, Path runDir, TasnConfig config, boolean resume, boolean overwrite) throws Exception {
        new TrainJob(spark, new ToyGraphs(8, true), new PrintStream(OutputStream.nullOutputStream()))
                .run(new TrainJob.Request(dataDir.toString(), runDir.toString(), config, resume, false, null, overwrite));
    }

    static String refused(Executable run) {
        return assertThrows(UsageException.class, run).getMessage();
    }

    static TasnConfig config(String... overrides) {
        java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("train.workers=2", "train.batch-size-per-worker=2",
                "train.epochs=1"));
        all.addAll(java.util.List.of(overrides));
        return tasn.config.ConfigLoader.load("tiny", all);
    }

    @Test
    void missingShardsAreRefused(@TempDir Path dir) {
        Path run = dir.resolve("run");
        String message = refused(() -> train(dir.resolve("nothing"), run, config(), false, false));
        assertTrue(message.contains("no dataset.json") && message.contains("jobs/ingest.sh"), message);
        assertFalse(Files.exists(run));

        Path noTrain = dir.resolve("no-train");
        copyDatasetJson(noTrain, null);
        message = refused(() -> train(noTrain, run, config(), false, false));
        assertTrue(message.contains("no training shards"), message);
        assertFalse(Files.exists(run));
    }

    @Test
    void anotherSchemaVersionIsRefused(@TempDir Path dir) throws Exception {
        Path other = dir.resolve("v2");
        copyDatasetJson(other, s -> s.replace("\"schema_version\": 1", "\"schema_version\": 2"));
        String message = refused(() -> train(other, dir.resolve("run"), config(), false, false));
        assertTrue(message.contains("schema_version 2") && message.contains("reads version 1"), message);
        assertFalse(Files.exists(dir.resolve("run")));
    }

    @Test
    void labelsOutsideTheClassListAreRefused(@TempDir Path dir) throws Exception {
        Path twoClasses = dir.resolve("two");
        copyDatasetJson(twoClasses, s -> s.replace(", \"class2\"", ""));
        Files.createSymbolicLink(twoClasses.resolve("train"), data.resolve("train"));
        String message = refused(() -> train(twoClasses, dir.resolve("run"), config(), false, false));
        assertTrue(message.contains("label outside the 2 classes") && message.contains("for example 2"), message);
        assertFalse(Files.exists(dir.resolve("run")));
    }

    @Test
    void aBatchLargerThanEachWorkersShareIsRefused(@TempDir Path dir) {
        String message = refused(() -> train(data, dir.resolve("run"), config("train.batch-size-per-worker=7"), false, false));
        assertTrue(message.contains("train.batch-size-per-worker = 7") && message.contains("6 training images per worker"), message);
        assertFalse(Files.exists(dir.resolve("run")));
    }

    @Test
    void resumingARunWithoutCheckpointsIsRefused(@TempDir Path dir) throws Exception {
        String message = refused(() -> train(data, dir.resolve("run"), config(), true, false));
        assertTrue(message.contains("no readable checkpoint"), message);
        assertFalse(Files.exists(dir.resolve("run")));
        Files.createDirectories(dir.resolve("empty"));
        message = refused(() -> train(data, dir.resolve("empty"), config(), true, false));
        assertTrue(message.contains("--resume"), message);
        try (var list = Files.list(dir.resolve("empty"))) {
            assertEquals(0, list.count());
        }
    }

    @Test
    void anExistingRunDirectoryIsRefusedWithoutResumeOrOverwrite(@TempDir Path dir) throws Exception {
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.writeString(run.resolve("notes.txt"), "mine");
        String message = refused(() -> train(data, run, config(), false, false));
        assertTrue(message.contains("already exists") && message.contains("--overwrite"), message);
        assertEquals("mine", Files.readString(run.resolve("notes.txt")));
    }

    private static void copyDatasetJson(Path to, java.util.function.UnaryOperator<String> edit) {
        try {
            Files.createDirectories(to);
            String json = Files.readString(data.resolve("dataset.json"));
            Files.writeString(to.resolve("dataset.json"), edit == null ? json : edit.apply(json));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
