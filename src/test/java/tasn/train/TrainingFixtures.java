package tasn.train;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import tasn.data.ShardSchema;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Test fixtures: a local Spark session with the train job's settings, and a small generated
 * data set written as the ingest job writes it (dataset.json and Parquet shards per split,
 * raw CHW pixels). Class c is a noisy image with a bright square whose place and colour
 * depend on c, so a small network learns it in a few epochs.
 */
public final class TrainingFixtures {
    private TrainingFixtures() {
    }

    public static SparkSession spark(String master) {
        SparkConf conf = TrainingSession.configure(new SparkConf().setMaster(master).setAppName("tasn train test")
                .set("spark.ui.enabled", "false").set("spark.sql.shuffle.partitions", "4"));
        return SparkSession.builder().config(conf).getOrCreate();
    }

    /** Stops the session and forgets it, so the next job in this JVM starts a session of its own. */
    public static void stop(SparkSession spark) {
        spark.stop();
        SparkSession.clearActiveSession();
        SparkSession.clearDefaultSession();
    }

    /** The generated data set's shape. */
    public record Shape(int classes, int trainPerClass, int valPerClass, int testPerClass, int copies, int size) {
    }

    public static Path writeDataset(SparkSession spark, Path dir, Shape shape, long seed) throws IOException {
        Random random = new Random(seed);
        writeSplit(spark, dir, "train", shape, shape.trainPerClass(), shape.copies(), random);
        if (shape.valPerClass() > 0) {
            writeSplit(spark, dir, "val", shape, shape.valPerClass(), 1, random);
        }
        if (shape.testPerClass() > 0) {
            writeSplit(spark, dir, "test", shape, shape.testPerClass(), 1, random);
        }
        StringBuilder classes = new StringBuilder();
        for (int c = 0; c < shape.classes(); c++) {
            classes.append(c == 0 ? "" : ", ").append("\"class").append(c).append('"');
        }
        Files.writeString(dir.resolve("dataset.json"), "{\"schema_version\": 1, \"classes\": [" + classes
                + "], \"copies\": " + shape.copies() + ", \"channel_mean\": [60.0, 60.0, 60.0], "
                + "\"channel_std\": [50.0, 50.0, 50.0]}\n");
        return dir;
    }

    private static void writeSplit(SparkSession spark, Path dir, String split, Shape shape, int perClass, int copies,
                                   Random random) {
        List<Row> rows = new ArrayList<>();
        for (int c = 0; c < shape.classes(); c++) {
            for (int i = 0; i < perClass; i++) {
                String id = String.format("%s-%02d-%03d", split, c, i);
                for (int k = 0; k < copies; k++) {
                    rows.add(RowFactory.create(id, "/gen/" + id + ".png", c, "class" + c, split, k, shape.size(),
                            shape.size(), 3, image(c, shape.size(), random), "raw"));
                }
            }
        }
        spark.createDataFrame(rows, ShardSchema.SCHEMA).repartition(2).write().parquet(dir.resolve(split).toString());
    }

    /** A noisy CHW image with a bright square in a class-dependent corner and channel. */
    static byte[] image(int c, int size, Random random) {
        int plane = size * size;
        byte[] chw = new byte[3 * plane];
        for (int i = 0; i < chw.length; i++) {
            chw[i] = (byte) random.nextInt(60);
        }
        int half = size / 2;
        int y0 = (c % 2) * half + random.nextInt(Math.max(1, half / 4));
        int x0 = ((c / 2) % 2) * half + random.nextInt(Math.max(1, half / 4));
        int channel = c % 3;
        for (int y = y0; y < Math.min(size, y0 + half / 2 + 1); y++) {
            for (int x = x0; x < Math.min(size, x0 + half / 2 + 1); x++) {
                chw[channel * plane + y * size + x] = (byte) 230;
            }
        }
        return chw;
    }
}
