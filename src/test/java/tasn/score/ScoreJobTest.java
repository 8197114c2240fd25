package tasn.score;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tasn.cli.TasnMain;
import tasn.config.ConfigLoader;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The score job on a tiny saved TASN, real Spark local[2], real files, and its Transformer. */
class ScoreJobTest {
    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path model;
    static Path images;
    static Path out;
    static ScoreJob.Summary summary;
    static int loadsAfterFirstRun;
    static int loadsBeforeAll;

    @BeforeAll
    static void scoreAFolderWithBrokenFiles() throws IOException {
        spark = SparkSession.builder().master("local[2]").appName("ScoreJobTest")
                .config("spark.ui.enabled", "false")
                // Kryo with ND4J's registrator, as conf/spark-defaults.conf ships it: what crosses to executors must survive it.
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator").config("spark.sql.shuffle.partitions", "4").getOrCreate();
        model = ScoreFixtures.saveTinyModel(dir.resolve("model.zip"));
        images = ScoreFixtures.imageFolder(dir.resolve("images"), 4, 7);
        Files.write(images.resolve("bee/broken.jpg"), new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00, 0x10, 0x20});
        Files.write(images.resolve("ant/empty.png"), new byte[0]);
        out = dir.resolve("scored");
        int loadsBefore = LoadedModels.loads();
        summary = new ScoreJob(spark).run(new ScoreJob.Request(model.toString(), images.toString(), ScoreLayout.IMAGEFOLDER,
                out.toString(), 3, "master", false, ConfigLoader.load("tiny", List.of("score.batch-size=5"))));
        loadsAfterFirstRun = LoadedModels.loads() - loadsBefore;
        loadsBeforeAll = loadsBefore;
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    private static List<Row> predictions() {
        return spark.read().parquet(out.resolve("predictions.parquet").toString()).collectAsList();
    }

    @Test
    void everyImageGetsOneRowWithProbabilitiesSummingToOneAndTopKInOrder() {
        List<Row> rows = predictions();
        assertEquals(3 * 4 + 2, rows.size());
        assertEquals(14, summary.images());
        assertEquals(12, summary.scored());
        int scored = 0;
        for (Row r : rows) {
            if (!r.isNullAt(r.fieldIndex(PredictionSchema.ERROR))) {
                continue;
            }
            scored++;
            List<Double> top = r.getList(r.fieldIndex(PredictionSchema.TOP_PROBABILITIES));
            List<String> labels = r.getList(r.fieldIndex(PredictionSchema.TOP_LABELS));
            assertEquals(3, top.size());
            assertEquals(1.0, top.stream().mapToDouble(Double::doubleValue).sum(), 1e-4, "top 3 of 3 classes sum to 1");
            for (int i = 1; i < top.size(); i++) {
                assertTrue(top.get(i - 1) >= top.get(i), "top-k in decreasing order: " + top);
            }
            int prediction = r.getInt(r.fieldIndex(PredictionSchema.PREDICTION));
            assertEquals(ScoreFixtures.CLASSES.get(prediction), labels.get(0));
            assertEquals(labels.get(0), r.getString(r.fieldIndex(PredictionSchema.PREDICTION_NAME)));
            assertEquals(top.get(0), r.getDouble(r.fieldIndex(PredictionSchema.PROBABILITY)), 1e-12);
            assertEquals("master", r.getString(r.fieldIndex(PredictionSchema.HEAD)));
            String trueName = r.getString(r.fieldIndex(PredictionSchema.LABEL_NAME));
            assertEquals(ScoreFixtures.CLASSES.indexOf(trueName), r.getInt(r.fieldIndex(PredictionSchema.LABEL)));
            int rank = r.getInt(r.fieldIndex(PredictionSchema.TRUE_RANK));
            assertEquals(trueName, labels.get(rank - 1), "true_rank points at the true class in top_labels");
        }
        assertEquals(12, scored);
    }

    @Test
    void unreadableImagesGetRowsWithReasonsAndAreCounted() throws IOException {
        Map<String, String> errors = new HashMap<>();
        for (Row r : predictions()) {
            String error = r.getString(r.fieldIndex(PredictionSchema.ERROR));
            if (error != null) {
                errors.put(Path.of(java.net.URI.create(r.getString(r.fieldIndex(PredictionSchema.PATH)))).getFileName().toString(), error);
                assertTrue(r.isNullAt(r.fieldIndex(PredictionSchema.PREDICTION)));
                assertNotNull(r.getString(r.fieldIndex(PredictionSchema.ERROR_DETAIL)));
            }
        }
        assertEquals(Map.of("broken.jpg", "truncated", "empty.png", "empty-file"), errors);
        assertEquals(Map.of("empty-file", 1L, "truncated", 1L), summary.refused());
        JsonNode json = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(2, json.get("refused").asInt());
        assertEquals(1, json.get("refused_by_reason").get("truncated").asInt());
    }

    @Test
    void reportAccuracyEqualsTheOneRecomputedFromTheCsv() throws IOException {
        long labelled = 0;
        long correct = 0;
        long csvRows = 0;
        try (Reader reader = Files.newBufferedReader(out.resolve("predictions.csv"))) {
            for (CSVRecord rec : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build().parse(reader)) {
                csvRows++;
                if (!rec.get("label").isEmpty() && !rec.get("prediction").isEmpty()) {
                    labelled++;
                    if (rec.get("label").equals(rec.get("prediction"))) {
                        correct++;
                    }
                }
                if (!rec.get("prediction").isEmpty()) {
                    assertEquals(3, rec.get("top_labels").split("\\|").length);
                }
            }
        }
        assertEquals(14, csvRows);
        JsonNode report = new ObjectMapper().readTree(out.resolve("report.json").toFile());
        assertEquals(labelled, report.get("count").asLong());
        assertEquals((double) correct / labelled, report.get("top1").asDouble(), 1e-12);
        assertEquals(1.0, report.get("top5").asDouble(), 1e-12, "with 3 classes the true class is always in the top 5");
        assertEquals(2, report.get("unscored").asLong());
        long support = 0;
        for (JsonNode c : report.get("per_class")) {
            support += c.get("support").asLong();
        }
        assertEquals(labelled, support);
        List<String> csv = Files.readAllLines(out.resolve("confusion.csv"));
        assertEquals("true \\ predicted,ant,bee,cicada", csv.get(0));
        long cells = 0;
        for (String line : csv.subList(1, csv.size())) {
            for (String v : line.substring(line.indexOf(',') + 1).split(",")) {
                cells += Long.parseLong(v);
            }
        }
        assertEquals(labelled, cells);
        BufferedImage png = ImageIO.read(out.resolve("confusion.png").toFile());
        assertTrue(png.getWidth() > 100 && png.getHeight() > 100);
    }

    @Test
    void theModelIsLoadedOncePerJvmAcrossRunsAndPartitions() {
        assertEquals(1, loadsAfterFirstRun, "one JVM in local mode: one load for the driver check and every partition");
        Result run = tasn("score", "--model", model.toString(), "--input", images.toString(), "--layout", "unlabeled",
                "--output", dir.resolve("unlabeled").toString(), "--top-k", "2", "--head", "part");
        assertEquals(0, run.code(), run.err());
        assertEquals(1, LoadedModels.loads() - loadsBeforeAll, "the second run reuses the loaded model");
        assertFalse(Files.exists(dir.resolve("unlabeled/report.json")), "no labels, no report");
        assertTrue(Files.exists(dir.resolve("unlabeled/predictions.csv")));
    }

    @Test
    void theTransformerInAPipelineGivesTheSamePredictionsAsTheJob() {
        Dataset<Row> files = spark.read().format("binaryFile").option("recursiveFileLookup", "true").load(images.toString());
        // As a stage of a Spark ML Pipeline, the way a Spark user would place it.
        TasnModel stage = new TasnModel().setModelPath(model.toString()).setTopK(3).setBatchSize(4);
        Dataset<Row> scored = new Pipeline().setStages(new PipelineStage[]{stage}).fit(files).transform(files);
        Map<String, Row> byPath = new HashMap<>();
        for (Row r : scored.collectAsList()) {
            byPath.put(java.net.URI.create(r.getString(r.fieldIndex("path"))).getPath(), r);
        }
        // Spark's file sources skip zero-length files, so the empty file has no row to transform.
        List<Row> job = predictions().stream().filter(r -> !"empty-file".equals(r.getAs(PredictionSchema.ERROR))).toList();
        assertEquals(job.size(), byPath.size(), "transformer rows: " + byPath.keySet());
        for (Row j : job) {
            Row t = byPath.get(java.net.URI.create(j.getString(j.fieldIndex(PredictionSchema.PATH))).getPath());
            assertNotNull(t, "the transformer scored " + j.getString(j.fieldIndex(PredictionSchema.PATH)));
            assertEquals(j.<Object>getAs(PredictionSchema.PREDICTION), t.<Object>getAs(PredictionSchema.PREDICTION));
            assertEquals(j.<Object>getAs(PredictionSchema.ERROR), t.<Object>getAs(PredictionSchema.ERROR));
            if (j.getAs(PredictionSchema.ERROR) == null) {
                assertEquals(j.<Double>getAs(PredictionSchema.PROBABILITY), t.<Double>getAs(PredictionSchema.PROBABILITY), 1e-6);
                assertEquals(j.getList(j.fieldIndex(PredictionSchema.TOP_LABELS)), t.getList(t.fieldIndex(PredictionSchema.TOP_LABELS)));
            }
            assertNull(t.getAs(PredictionSchema.TRUE_RANK));
        }
    }

    @Test
    void wrongCommandLinesExitWithTwoAndSayWhy() throws IOException {
        Result missing = tasn("score", "--model", dir.resolve("nope.zip").toString(), "--input", images.toString(),
                "--output", dir.resolve("o1").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("--model") && missing.err().contains("no such file"), missing.err());

        Result exists = tasn("score", "--model", model.toString(), "--input", images.toString(), "--output", out.toString());
        assertEquals(2, exists.code());
        assertTrue(exists.err().contains("already exists") && exists.err().contains("--overwrite"), exists.err());

        Path other = ScoreFixtures.imageFolder(dir.resolve("other"), 1, 3);
        Files.move(other.resolve("cicada"), other.resolve("dragonfly"));
        Result classes = tasn("score", "--model", model.toString(), "--input", other.toString(), "--output",
                dir.resolve("o2").toString());
        assertEquals(2, classes.code());
        assertTrue(classes.err().contains("'dragonfly' is not one of the model's 3 classes"), classes.err());

        Result head = tasn("score", "--model", model.toString(), "--input", images.toString(), "--output",
                dir.resolve("o3").toString(), "--head", "fc9");
        assertEquals(2, head.code());
        assertTrue(head.err().contains("--head fc9"), head.err());

        Path notAModel = Files.writeString(dir.resolve("notes.zip"), "hello");
        Result bad = tasn("score", "--model", notAModel.toString(), "--input", images.toString(), "--output",
                dir.resolve("o4").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("not a model zip"), bad.err());
        for (String o : List.of("o1", "o2", "o3", "o4")) {
            assertFalse(Files.exists(dir.resolve(o)), o + " must not be created");
        }
    }

    private static Result tasn(String... args) {
        StringWriter err = new StringWriter();
        int code = TasnMain.commandLine().setErr(new PrintWriter(err, true)).execute(args);
        return new Result(code, err.toString());
    }

    private record Result(int code, String err) {
    }
}
