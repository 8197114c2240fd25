package tasn.data;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tasn.config.ConfigLoader;
import tasn.config.TasnConfig;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The jobs run with conf/spark-defaults.conf (Kryo with ND4J's registrator and ours), as
 * jobs/*.sh launch them: ingest must work under exactly those settings, records and all.
 */
class IngestUnderSparkDefaultsTest {

    @Test
    void ingestRunsWithTheShippedSparkDefaults(@TempDir Path dir) throws IOException {
        Properties defaults = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of("conf/spark-defaults.conf"))) {
            defaults.load(reader);
        }
        assertTrue(defaults.getProperty("spark.serializer").contains("Kryo"), "the shipped defaults use Kryo");
        SparkConf conf = new SparkConf().setMaster("local[2]").setAppName("IngestUnderSparkDefaultsTest")
                .set("spark.ui.enabled", "false");
        for (String key : List.of("spark.serializer", "spark.kryo.registrator", "spark.kryoserializer.buffer.max",
                "spark.sql.parquet.compression.codec")) {
            conf.set(key, defaults.getProperty(key).trim());
        }
        Path input = dir.resolve("images");
        for (String cls : List.of("plain", "marked")) {
            for (int i = 0; i < 4; i++) {
                ImageFixtures.write(input.resolve("train/" + cls + "/img" + i + ".png"), 40, 36, cls.length(), i);
            }
        }
        ImageFixtures.writeBytes(input.resolve("train/plain/empty.jpg"), new byte[0]);
        SparkSession spark = SparkSession.builder().config(conf).getOrCreate();
        try {
            TasnConfig config = ConfigLoader.load(null, List.of("data.raw-size = 24", "data.min-files = 2"));
            IngestJob.Summary summary = new IngestJob(spark).run(new IngestJob.Request(
                    input.toString(), InputLayout.IMAGEFOLDER, dir.resolve("out").toString(), false, config));
            assertEquals(9, summary.listed());
            assertEquals(8, summary.written());
            assertEquals(1, summary.rejected());
            assertEquals("org.apache.spark.serializer.KryoSerializer", spark.conf().get("spark.serializer"));
        } finally {
            spark.stop();
        }
    }
}
