package tasn.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tasn.config.ConfigLoader;
import tasn.config.DataConfig;
import tasn.config.TasnConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The ingest job end to end on a local[2] Spark, on generated fixtures with broken files among them. */
class IngestJobTest {
    private static final int RAW = 32;

    @TempDir
    static Path dir;
    static SparkSession spark;
    static Path flowers;
    static Path out;
    static IngestJob.Summary summary;
    static JsonNode dataset;

    @BeforeAll
    static void ingestAnImageFolderWithBrokenFiles() throws IOException {
        spark = SparkSession.builder().master("local[2]").appName("IngestJobTest")
                .config("spark.ui.enabled", "false").config("spark.sql.shuffle.partitions", "4").getOrCreate();
        flowers = dir.resolve("flowers");
        int variant = 0;
        for (String cls : List.of("red", "blue")) {
            for (int i = 0; i < 6; i++) {
                ImageFixtures.write(flowers.resolve("train/" + cls + "/img" + i + ".png"), 48 + 8 * i, 40, cls.length(), variant++);
            }
            for (int i = 0; i < 2; i++) {
                ImageFixtures.write(flowers.resolve("test/" + cls + "/img" + i + ".png"), 40, 56, cls.length(), variant++);
            }
        }
        ImageFixtures.writeBytes(flowers.resolve("train/red/empty.jpg"), new byte[0]);
        ImageFixtures.writeBytes(flowers.resolve("train/red/truncated.jpg"), ImageFixtures.truncatedJpeg());
        ImageFixtures.writeBytes(flowers.resolve("train/blue/text.jpg"), "this is not a picture\n".getBytes());
        ImageFixtures.writeBytes(flowers.resolve("test/blue/random.png"), ImageFixtures.randomBytes(7, 3000));
        ImageFixtures.writeBytes(flowers.resolve("train/blue/.DS_Store"), new byte[]{0, 0, 0, 1});
        ImageFixtures.writeBytes(flowers.resolve("test/red/Thumbs.db"), new byte[]{1, 2});
        ImageFixtures.writeBytes(flowers.resolve("train/notes.txt"), "notes".getBytes());

        out = dir.resolve("out");
        summary = ingest(flowers, InputLayout.IMAGEFOLDER, out, 2,
                "data.copies = 2", "data.val-fraction = 0.25");
        dataset = new ObjectMapper().readTree(out.resolve("dataset.json").toFile());
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }

    static IngestJob.Summary ingest(Path input, InputLayout layout, Path output, int files, String... settings) {
        List<String> overrides = Stream.concat(Stream.of("data.raw-size = " + RAW, "data.min-files = " + files),
                Stream.of(settings)).toList();
        TasnConfig config = ConfigLoader.load(null, overrides);
        return new IngestJob(spark).run(new IngestJob.Request(input.toString(), layout, output.toString(), false, config));
    }

    static List<Row> rows(Path output, Split split) {
        return spark.read().parquet(output.resolve(split.key()).toString()).collectAsList();
    }

    static Map<String, String> rejects(Path output) throws IOException {
        return Files.readAllLines(output.resolve("rejects.csv")).stream().skip(1)
                .collect(Collectors.toMap(l -> l.substring(l.lastIndexOf('/') + 1, l.lastIndexOf(',')),
                        l -> l.substring(l.lastIndexOf(',') + 1)));
    }

    @Test
    void everyListedFileIsWrittenOrRejectedWithItsReason() throws IOException {
        assertEquals(Map.of("empty.jpg", "empty-file", "truncated.jpg", "truncated", "text.jpg", "not-an-image",
                "random.png", "not-an-image"), rejects(out));
        JsonNode counts = dataset.get("counts");
        assertEquals(20, counts.get("listed").asLong());
        assertEquals(16, counts.get("written").asLong());
        assertEquals(4, counts.get("rejected").asLong());
        assertEquals(3, counts.get("ignored").asLong());
        assertEquals(List.of(20L, 16L, 4L, 3L), List.of(summary.listed(), summary.written(), summary.rejected(), summary.ignored()));
        long listed = 0;
        long rows = 0;
        for (Split split : Split.values()) {
            JsonNode s = counts.get("splits").get(split.key());
            assertEquals(s.get("listed").asLong(), s.get("written").asLong() + s.get("rejected").asLong());
            long expectedRows = s.get("written").asLong() * (split == Split.TRAIN ? 2 : 1);
            assertEquals(expectedRows, s.get("rows").asLong(), split.key());
            assertEquals(expectedRows, rows(out, split).size(), split.key());
            listed += s.get("listed").asLong();
            rows += s.get("rows").asLong();
        }
        assertEquals(20, listed);
        assertEquals(rows, counts.get("rows").asLong());
        assertEquals(4, counts.get("splits").get("test").get("listed").asLong() - 1);
        assertTrue(counts.get("splits").get("val").get("written").asLong() > 0, "val carved from train");
        assertEquals(10, counts.get("classes").get("red").get("listed").asLong());
        assertEquals(8, counts.get("classes").get("red").get("written").asLong());
        assertEquals(List.of("blue", "red"), List.of(dataset.get("classes").get(0).asText(), dataset.get("classes").get(1).asText()));
        assertEquals(ShardSchema.SCHEMA_VERSION, dataset.get("schema_version").asInt());
        assertEquals(RAW, dataset.get("raw_size").asInt());
        TasnConfig resolved = ConfigLoader.fromRendered(dataset.get("config").asText());
        assertEquals(2, resolved.data().copies());
        assertEquals(resolved.render(), ConfigLoader.fromRendered(Files.readString(out.resolve("config.conf"))).render());
        try (Stream<Path> siblings = Files.list(dir)) {
            assertEquals(Set.of(), siblings.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".out."))
                    .collect(Collectors.toSet()), "no temporary folders left");
        }
    }

    @Test
    void shardRowsFollowTheSchemaAndTrainImagesHaveTheirCopies() {
        assertEquals(ShardSchema.SCHEMA.fieldNames().length,
                spark.read().parquet(out.resolve("train").toString()).schema().fields().length);
        assertEquals(List.of(ShardSchema.columns()),
                List.of(spark.read().parquet(out.resolve("train").toString()).schema().fieldNames()));
        Map<String, Set<Integer>> copiesById = new HashMap<>();
        for (Row row : rows(out, Split.TRAIN)) {
            assertEquals(RAW, row.getInt(row.fieldIndex(ShardSchema.HEIGHT)));
            assertEquals(RAW, row.getInt(row.fieldIndex(ShardSchema.WIDTH)));
            assertEquals(3, row.getInt(row.fieldIndex(ShardSchema.CHANNELS)));
            assertEquals(RAW * RAW * 3, ((byte[]) row.getAs(ShardSchema.PIXELS)).length);
            assertEquals("raw", row.getAs(ShardSchema.ENCODING));
            assertEquals("train", row.getAs(ShardSchema.SPLIT));
            String labelName = row.getAs(ShardSchema.LABEL_NAME);
            assertEquals(labelName.equals("blue") ? 0 : 1, (int) row.getAs(ShardSchema.LABEL));
            String path = row.getAs(ShardSchema.PATH);
            String relative = path.substring(path.indexOf("/flowers/") + "/flowers/".length());
            assertEquals(ImageId.of(relative), row.getAs(ShardSchema.ID));
            copiesById.computeIfAbsent(row.getAs(ShardSchema.ID), k -> new HashSet<>()).add(row.getAs(ShardSchema.COPY));
        }
        assertFalse(copiesById.isEmpty());
        copiesById.values().forEach(copies -> assertEquals(Set.of(0, 1), copies));
    }

    @Test
    void evalViewReadBackFromAShardEqualsAnIndependentDecodeAndResize() throws IOException {
        List<Row> test = rows(out, Split.TEST);
        assertEquals(4, test.size());
        for (Row row : test) {
            String path = row.getAs(ShardSchema.PATH);
            Path file = flowers.resolve(path.substring(path.indexOf("/flowers/") + "/flowers/".length()));
            RgbImage expected = ImageViews.evalView(ImageFixtures.decodeWithImageIO(file), RAW);
            RgbImage actual = PixelCodec.decode(row.getAs(ShardSchema.PIXELS), DataConfig.PixelEncoding.RAW, RAW, RAW);
            assertEquals(expected.pixels().length, actual.pixels().length);
            int worst = 0;
            for (int i = 0; i < expected.pixels().length; i++) {
                worst = Math.max(worst, Math.abs((expected.pixels()[i] & 0xff) - (actual.pixels()[i] & 0xff)));
            }
            assertTrue(worst <= 1, file + ": largest difference " + worst + " grey levels");
        }
    }

    @Test
    void channelStatisticsAreThoseOfTheTrainingRows() {
        double[] sum = new double[3];
        double[] sumSquares = new double[3];
        long pixels = 0;
        for (Row row : rows(out, Split.TRAIN)) {
            byte[] px = row.getAs(ShardSchema.PIXELS);
            RgbImage view = PixelCodec.decode(px, DataConfig.PixelEncoding.RAW, RAW, RAW);
            byte[] hwc = view.pixels();
            for (int i = 0; i < hwc.length; i += 3) {
                for (int c = 0; c < 3; c++) {
                    int v = hwc[i + c] & 0xff;
                    sum[c] += v;
                    sumSquares[c] += (double) v * v;
                }
            }
            pixels += (long) RAW * RAW;
        }
        for (int c = 0; c < 3; c++) {
            double mean = sum[c] / pixels;
            double std = Math.sqrt(sumSquares[c] / pixels - mean * mean);
            assertEquals(mean, dataset.get("channel_mean").get(c).asDouble(), 1e-6);
            assertEquals(std, dataset.get("channel_std").get(c).asDouble(), 1e-6);
        }
    }

    @Test
    void rowsAreTheSameWhateverTheNumberOfPartitions() throws IOException {
        Path two = dir.resolve("two");
        Path five = dir.resolve("five");
        ingest(flowers, InputLayout.IMAGEFOLDER, two, 2, "data.copies = 2", "data.val-fraction = 0.25");
        ingest(flowers, InputLayout.IMAGEFOLDER, five, 5, "data.copies = 2", "data.val-fraction = 0.25");
        for (Split split : Split.values()) {
            assertEquals(fingerprints(two, split), fingerprints(five, split), split.key());
        }
        try (Stream<Path> files = Files.list(five.resolve("train"))) {
            assertTrue(files.filter(p -> p.getFileName().toString().endsWith(".parquet")).count() >= 5,
                    "at least data.min-files shard files");
        }
    }

    private static Set<String> fingerprints(Path output, Split split) {
        return rows(output, split).stream()
                .map(r -> r.getAs(ShardSchema.ID) + "/" + r.getAs(ShardSchema.COPY) + "/"
                        + Base64.getEncoder().encodeToString(r.getAs(ShardSchema.PIXELS)))
                .collect(Collectors.toSet());
    }

    @Test
    void cubLayoutWithAMissingImageAndAnUnknownClassIngestsTheRestAsJpeg() throws IOException {
        Path cub = dir.resolve("CUB_200_2011");
        ImageFixtures.write(cub.resolve("images/001.Gull/g1.jpg"), 50, 40, 1, 0);
        ImageFixtures.write(cub.resolve("images/001.Gull/g2.jpg"), 50, 40, 1, 1);
        ImageFixtures.write(cub.resolve("images/002.Tern/t1.jpg"), 40, 50, 2, 0);
        ImageFixtures.write(cub.resolve("images/002.Tern/t2.jpg"), 40, 50, 2, 1);
        Files.writeString(cub.resolve("images.txt"),
                "1 001.Gull/g1.jpg\n2 001.Gull/g2.jpg\n3 002.Tern/t1.jpg\n4 002.Tern/t2.jpg\n5 002.Tern/gone.jpg\n");
        Files.writeString(cub.resolve("classes.txt"), "1 001.Gull\n2 002.Tern\n");
        Files.writeString(cub.resolve("image_class_labels.txt"), "1 1\n2 1\n3 2\n4 9\n5 2\n");
        Files.writeString(cub.resolve("train_test_split.txt"), "1 1\n2 0\n3 0\n4 1\n5 1\n");
        Path cubOut = dir.resolve("cub-out");

        IngestJob.Summary cubSummary = ingest(cub, InputLayout.CUB, cubOut, 2, "data.encoding = jpeg", "data.val-fraction = 0");

        assertEquals(List.of(5L, 3L, 2L), List.of(cubSummary.listed(), cubSummary.written(), cubSummary.rejected()));
        assertEquals(Map.of("gone.jpg", "missing-file", "t2.jpg", "unknown-class"), rejects(cubOut));
        List<Row> test = rows(cubOut, Split.TEST);
        assertEquals(2, test.size());
        for (Row row : test) {
            assertEquals("jpeg", row.getAs(ShardSchema.ENCODING));
            RgbImage view = PixelCodec.decode(row.getAs(ShardSchema.PIXELS), DataConfig.PixelEncoding.JPEG, RAW, RAW);
            assertEquals(RAW, view.height());
            assertEquals(RAW, view.width());
        }
        assertEquals(1, rows(cubOut, Split.TRAIN).size());
        assertEquals(0, rows(cubOut, Split.VAL).size(), "val-fraction 0 gives an empty val split, still readable");
    }

    @Test
    void rowGroupsAreAboutDataRowGroupBytes() throws IOException {
        Path noise = dir.resolve("noise");
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 50; i++) {
            java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(64, 64, java.awt.image.BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < 64; y++) {
                for (int x = 0; x < 64; x++) {
                    image.setRGB(x, y, random.nextInt(1 << 24));
                }
            }
            ImageFixtures.writeBytes(noise.resolve("static/" + i + ".png"), ImageFixtures.encode(image, "png"));
        }
        Path noiseOut = dir.resolve("noise-out");
        ingest(noise, InputLayout.IMAGEFOLDER, noiseOut, 1, "data.raw-size = 64", "data.copies = 5",
                "data.val-fraction = 0", "data.row-group-bytes = 1048576");

        List<Path> files;
        try (Stream<Path> list = Files.list(noiseOut.resolve("train"))) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".parquet")).toList();
        }
        assertEquals(1, files.size(), "data.min-files = 1");
        long fileBytes = Files.size(files.get(0));
        assertTrue(fileBytes > 2_500_000, "250 rows of 12 KB noise hardly compress: " + fileBytes);
        try (var reader = org.apache.parquet.hadoop.ParquetFileReader.open(org.apache.parquet.hadoop.util.HadoopInputFile
                .fromPath(new org.apache.hadoop.fs.Path(files.get(0).toUri()), new org.apache.hadoop.conf.Configuration()))) {
            var blocks = reader.getFooter().getBlocks();
            assertTrue(blocks.size() >= 2, "a " + fileBytes + "-byte file in 1 MiB row groups has several, got " + blocks.size());
            for (int i = 0; i < blocks.size() - 1; i++) {
                long bytes = blocks.get(i).getTotalByteSize();
                assertTrue(bytes >= 900_000 && bytes <= 2_000_000, "row group " + i + ": " + bytes + " bytes");
            }
        }
    }
}
