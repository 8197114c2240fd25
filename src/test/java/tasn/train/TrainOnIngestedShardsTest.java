package tasn.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tasn.cli.TasnMain;
import tasn.config.ConfigLoader;
import tasn.config.TasnConfig;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The train job reads what the real pipeline writes: generate a synthetic image folder, ingest
 * it (png pixels, two augmentation copies), and train on the shards; every split is read and
 * every training image is used once per epoch.
 */
class TrainOnIngestedShardsTest {
    @Test
    void trainsOnTheShardsOfTheIngestJob(@TempDir Path dir) throws Exception {
        // generate and ingest run on their own Spark session (Java serialization: ingest's records cannot go
        // through Kryo), the train job on its own (Kryo with ND4J's registrator).
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
        {
            assertEquals(0, TasnMain.run("generate", "--output", dir.resolve("images").toString(), "--classes", "3",
                    "--per-class", "10", "--size", "40", "--splits", "--seed", "3"));
            assertEquals(0, TasnMain.run("ingest", "--input", dir.resolve("images").toString(), "--layout", "imagefolder",
                    "--output", dir.resolve("shards").toString(), "--config", "tiny", "--set", "data.raw-size=24",
                    "--set", "data.copies=2", "--set", "data.encoding=png"));
            JsonNode dataset = new ObjectMapper().readTree(dir.resolve("shards/dataset.json").toFile());
            long trainImages = dataset.path("counts").path("splits").path("train").path("written").asLong();
            assertTrue(trainImages >= 8, dataset.toString());
        }
        SparkSession spark = TrainingFixtures.spark("local[2]");
        try {
            JsonNode dataset = new ObjectMapper().readTree(dir.resolve("shards/dataset.json").toFile());
            long trainImages = dataset.path("counts").path("splits").path("train").path("written").asLong();

            TasnConfig config = ConfigLoader.load("tiny", List.of("data.raw-size=24", "train.workers=2",
                    "train.batch-size-per-worker=2", "train.averaging-frequency=1", "train.epochs=1",
                    "train.log-every-iterations=1"));
            TrainJob.Summary summary = new TrainJob(spark, new ToyGraphs(24, true), new PrintStream(OutputStream.nullOutputStream()))
                    .run(new TrainJob.Request(dir.resolve("shards").toString(), dir.resolve("run").toString(), config,
                            false, false, null, false));
            long perRound = 2 * 2;
            assertEquals((trainImages + perRound - 1) / perRound, summary.iterations(), "one iteration per round of 4 images");
            String metrics = Files.readString(dir.resolve("run/metrics.jsonl"));
            assertTrue(metrics.contains("\"val\"") && metrics.contains("\"test\""), metrics);
        } finally {
            TrainingFixtures.stop(spark);
        }
    }
}
