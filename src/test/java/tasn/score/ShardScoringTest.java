package tasn.score;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tasn.config.ConfigLoader;
import tasn.config.UsageException;
import tasn.data.IngestJob;
import tasn.data.InputLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Scoring an ingest output: its val and test rows only, with the same predictions as scoring
 * the raw files (ingest's evaluation view and the score job's are one code path), and
 * refused when its classes or view size do not fit the model.
 */
class ShardScoringTest {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path model;
    static Path images;

    @BeforeAll
    static void start() throws IOException {
        // Java serialization here: the ingest job that makes the shards parallelizes tasn.data.ListedImage,
        // a record, which Kryo cannot build (ScoreJobTest and SampleJobTest run the score side on Kryo).
        spark = SparkSession.builder().master("local[2]").appName("ShardScoringTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
        model = ScoreFixtures.saveTinyModel(dir.resolve("model.zip"));
        images = ScoreFixtures.imageFolder(dir.resolve("images"), 5, 21);
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static Path ingest(String name, String... overrides) {
        Path out = dir.resolve(name);
        new IngestJob(spark).run(new IngestJob.Request(images.toString(), InputLayout.IMAGEFOLDER, out.toString(), false,
                ConfigLoader.load("tiny", List.of(overrides))));
        return out;
    }

    private static Map<String, Row> byId(Path scored) {
        Map<String, Row> rows = new HashMap<>();
        for (Row r : spark.read().parquet(scored.resolve("predictions.parquet").toString()).collectAsList()) {
            rows.put(r.getAs(PredictionSchema.ID), r);
        }
        return rows;
    }

    @Test
    void shardRowsScoreLikeTheirRawFiles() {
        Path shards = ingest("shards", "data.raw-size=32", "data.val-fraction=0.4", "data.copies=2");
        long evalRows = spark.read().parquet(shards.resolve("val").toString()).count();
        assertTrue(evalRows > 0 && evalRows < 15, "some images went to val: " + evalRows);
        ScoreJob.Summary fromShards = new ScoreJob(spark).run(new ScoreJob.Request(model.toString(), shards.toString(),
                ScoreLayout.SHARDS, dir.resolve("scored-shards").toString(), 3, "master", false,
                ConfigLoader.load("tiny", List.of())));
        assertEquals(evalRows, fromShards.images(), "val and test rows only, one per image");
        new ScoreJob(spark).run(new ScoreJob.Request(model.toString(), images.toString(), ScoreLayout.IMAGEFOLDER,
                dir.resolve("scored-raw").toString(), 3, "master", false, ConfigLoader.load("tiny", List.of())));
        Map<String, Row> raw = byId(dir.resolve("scored-raw"));
        Map<String, Row> shard = byId(dir.resolve("scored-shards"));
        assertEquals(evalRows, shard.size());
        for (Map.Entry<String, Row> e : shard.entrySet()) {
            Row r = raw.get(e.getKey());
            assertNotNull(r, "the same image id from the raw listing");
            Row s = e.getValue();
            assertEquals(r.<Integer>getAs(PredictionSchema.LABEL), s.<Integer>getAs(PredictionSchema.LABEL));
            assertEquals(r.<Integer>getAs(PredictionSchema.PREDICTION), s.<Integer>getAs(PredictionSchema.PREDICTION));
            assertEquals(r.<Double>getAs(PredictionSchema.PROBABILITY), s.<Double>getAs(PredictionSchema.PROBABILITY), 1e-6);
        }
        assertTrue(Files.exists(dir.resolve("scored-shards/report.json")));
    }

    @Test
    void shardsOfAnotherSizeAreRefusedWithTheFix() {
        Path shards = ingest("shards-48", "data.raw-size=48", "data.val-fraction=0.4");
        UsageException e = assertThrows(UsageException.class, () -> new ScoreJob(spark).run(new ScoreJob.Request(
                model.toString(), shards.toString(), ScoreLayout.SHARDS, dir.resolve("never").toString(), 3, "master",
                false, ConfigLoader.load("tiny", List.of()))));
        assertTrue(e.getMessage().contains("48 x 48") && e.getMessage().contains("data.raw-size=32"), e.getMessage());
        assertTrue(Files.notExists(dir.resolve("never")));
    }
}
