package tasn.sample;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tasn.config.ConfigLoader;
import tasn.score.ScoreFixtures;
import tasn.score.ScoreLayout;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sample job end to end on Spark local[2]: exported to a real HDFS (MiniDFSCluster) and to
 * the local file system, read back and compared, and the gallery opened in headless Chromium.
 */
class SampleJobTest {
    private static final String CHROMIUM = "/usr/bin/chromium";

    @TempDir
    static java.nio.file.Path dir;
    static SparkSession spark;
    static MiniDFSCluster hdfs;
    static java.nio.file.Path model;
    static java.nio.file.Path images;
    static java.nio.file.Path local;
    static SampleJob.Summary localSummary;

    @BeforeAll
    static void exportLocally() throws IOException {
        spark = SparkSession.builder().master("local[2]").appName("SampleJobTest")
                .config("spark.ui.enabled", "false")
                // Kryo with ND4J's registrator, as conf/spark-defaults.conf ships it: what crosses to executors must survive it.
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.kryo.registrator", "org.nd4j.kryo.Nd4jRegistrator").config("spark.sql.shuffle.partitions", "4").getOrCreate();
        model = ScoreFixtures.saveTinyModel(dir.resolve("model.zip"));
        images = ScoreFixtures.imageFolder(dir.resolve("images"), 2, 11);
        Files.copy(images.resolve("bee/img-0.png"), images.resolve("bee/we!rd name&<x>.png"));
        Files.write(images.resolve("ant/broken.jpg"), new byte[]{(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 0x00});
        local = dir.resolve("samples");
        localSummary = run(local.toString());
    }

    @AfterAll
    static void stop() {
        if (hdfs != null) {
            hdfs.shutdown();
        }
        spark.stop();
    }

    private static SampleJob.Summary run(String output) {
        return new SampleJob(spark).run(new SampleJob.Request(model.toString(), images.toString(), ScoreLayout.IMAGEFOLDER,
                output, 0, 2, false, ConfigLoader.load("tiny", List.of("score.batch-size=3"))));
    }

    @Test
    void everyImageGetsItsPicturesAndPredictionsOrItsReason() throws IOException {
        assertEquals(3 * 2 + 2, localSummary.images());
        assertEquals(3 * 2 + 1, localSummary.exported());
        List<java.nio.file.Path> folders;
        try (var list = Files.list(local.resolve("images"))) {
            folders = list.toList();
        }
        assertEquals(7, folders.size());
        for (java.nio.file.Path folder : folders) {
            String name = folder.getFileName().toString();
            assertTrue(name.matches("[A-Za-z0-9_-]+"), "safe folder name: " + name);
            assertEquals(32, ImageIO.read(folder.resolve("original.png").toFile()).getWidth());
            assertEquals(32, ImageIO.read(folder.resolve("heatmap.png").toFile()).getWidth());
            for (String sampled : List.of("structure.png", "detail.png", "detail-random-1.png", "detail-random-2.png")) {
                BufferedImage image = ImageIO.read(folder.resolve(sampled).toFile());
                assertEquals(16, image.getWidth(), sampled);
                assertEquals(16, image.getHeight(), sampled);
            }
            JsonNode predictions = new ObjectMapper().readTree(folder.resolve("predictions.json").toFile());
            assertEquals(List.of("att", "part", "master", "shared_part", "shared_master"),
                    iterate(predictions.get("heads").fieldNames()));
            double sum = 0;
            for (JsonNode c : predictions.get("heads").get("master").get("top")) {
                sum += c.get("probability").asDouble();
            }
            assertEquals(1.0, sum, 1e-4, "three classes: the top 5 hold all the probability");
        }
        String html = Files.readString(local.resolve("index.html"));
        assertTrue(html.contains("we!rd name&amp;&lt;x&gt;.png"), "paths are escaped in the gallery");
        assertTrue(html.contains("truncated"), "the broken file is listed with its reason");
        assertFalse(html.contains("http://") || html.contains("https://"), "no network link");
    }

    @Test
    void everyPredictionsJsonHasFiniteMagnificationsAtLeastOneAndTheSummaryHasTheirMean() throws IOException {
        List<java.nio.file.Path> folders;
        try (var list = Files.list(local.resolve("images"))) {
            folders = list.toList();
        }
        assertEquals(7, folders.size());
        double[] sums = new double[4];
        for (java.nio.file.Path folder : folders) {
            JsonNode predictions = new ObjectMapper().readTree(folder.resolve("predictions.json").toFile());
            double[] values = magnifications(predictions.get("magnification"), folder + "/predictions.json");
            for (int k = 0; k < 4; k++) {
                sums[k] += values[k];
            }
        }
        JsonNode summary = new ObjectMapper().readTree(local.resolve("summary.json").toFile());
        double[] means = magnifications(summary.get("mean_magnification"), "summary.json");
        for (int k = 0; k < 4; k++) {
            assertEquals(sums[k] / folders.size(), means[k], 1e-9, "mean over the exported images, value " + k);
        }
    }

    /** structure rows, structure columns, detail rows, detail columns; each present, finite and >= 1. */
    private static double[] magnifications(JsonNode node, String where) {
        assertTrue(node != null && node.isObject(), where + ": magnification object: " + node);
        assertEquals(List.of("structure", "detail"), iterate(node.fieldNames()), where);
        double[] values = new double[4];
        int k = 0;
        for (String map : List.of("structure", "detail")) {
            assertEquals(List.of("rows", "columns"), iterate(node.get(map).fieldNames()), where + " " + map);
            for (String axis : List.of("rows", "columns")) {
                JsonNode value = node.get(map).get(axis);
                assertTrue(value.isNumber(), where + " " + map + "." + axis + ": " + value);
                double v = value.asDouble();
                assertTrue(Double.isFinite(v) && v >= 1 - 1e-9, where + " " + map + "." + axis + " = " + v);
                values[k++] = v;
            }
        }
        return values;
    }

    @Test
    void exportToHdfsReadsBackTheSameAsTheLocalExport() throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, dir.resolve("hdfs").toString());
        hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        hdfs.waitActive();
        String uri = "hdfs://localhost:" + hdfs.getNameNodePort() + "/exports/samples";
        SampleJob.Summary summary = run(uri);
        assertEquals(localSummary.exported(), summary.exported());

        FileSystem fs = new Path(uri).getFileSystem(hdfs.getConfiguration(0));
        Map<String, byte[]> remote = new TreeMap<>();
        RemoteIterator<LocatedFileStatus> files = fs.listFiles(new Path(uri), true);
        String prefix = fs.makeQualified(new Path(uri)).toUri().getPath() + "/";
        while (files.hasNext()) {
            Path file = files.next().getPath();
            try (InputStream in = fs.open(file)) {
                remote.put(file.toUri().getPath().substring(prefix.length()), in.readAllBytes());
            }
        }
        Map<String, byte[]> onDisk = new TreeMap<>();
        try (var walk = Files.walk(local)) {
            for (java.nio.file.Path file : walk.filter(Files::isRegularFile).toList()) {
                String name = local.relativize(file).toString();
                if (!name.startsWith(".") && !name.contains("/.") && !name.endsWith(".crc")) {
                    onDisk.put(name, Files.readAllBytes(file));
                }
            }
        }
        remote.keySet().removeIf(n -> n.endsWith(".crc"));
        assertEquals(onDisk.keySet(), remote.keySet());
        for (String name : onDisk.keySet()) {
            if (!name.equals("summary.json")) {
                assertArrayEquals(onDisk.get(name), remote.get(name), name + " differs between HDFS and local");
            }
        }
        assertFalse(fs.exists(new Path("hdfs://localhost:" + hdfs.getNameNodePort() + "/exports/.samples.tmp")));
    }

    @Test
    void theGalleryOpensInHeadlessChromiumWithEveryImageLoaded() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(java.nio.file.Path.of(CHROMIUM)),
                CHROMIUM + " is absent: install it (apt-get install -y chromium) to run the gallery check");
        String html = Files.readString(local.resolve("index.html"));
        int images = countMatches(html, "<img ");
        assertEquals(7 * 6, images, "six pictures for each of the seven exported images");
        // A copy of the page with a script that writes each image's natural width into the DOM after load.
        String check = html.replace("</body>", "<script>window.addEventListener('load', function () {"
                + "var imgs = document.images; for (var i = 0; i < imgs.length; i++) {"
                + "imgs[i].setAttribute('data-natural-width', String(imgs[i].naturalWidth)); }"
                + "document.body.setAttribute('data-checked', String(imgs.length)); });</script></body>");
        // Opened from a copy of the folder, so only relative links can work.
        java.nio.file.Path copy = dir.resolve("gallery-copy");
        try (var walk = Files.walk(local)) {
            for (java.nio.file.Path file : walk.toList()) {
                java.nio.file.Path target = copy.resolve(local.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        }
        java.nio.file.Path page = copy.resolve("check.html");
        Files.writeString(page, check);
        java.nio.file.Path profile = Files.createTempDirectory(dir, "chromium-profile");
        Process chromium = new ProcessBuilder(CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--virtual-time-budget=5000", "--dump-dom", page.toUri().toString())
                .redirectError(dir.resolve("chromium.err").toFile()).start();
        byte[] dom = chromium.getInputStream().readAllBytes();
        assertTrue(chromium.waitFor(90, TimeUnit.SECONDS), "chromium finished");
        String text = new String(dom, StandardCharsets.UTF_8);
        assertTrue(text.contains("data-checked=\"" + images + "\""), "the check script ran: "
                + text.substring(0, Math.min(300, text.length())) + " / " + Files.readString(dir.resolve("chromium.err")));
        Matcher widths = Pattern.compile("data-natural-width=\"(\\d+)\"").matcher(text);
        List<Integer> loaded = new ArrayList<>();
        while (widths.find()) {
            loaded.add(Integer.parseInt(widths.group(1)));
        }
        assertEquals(images, loaded.size());
        assertTrue(loaded.stream().allMatch(w -> w == 32 || w == 16), "every image loaded at its size: " + loaded);
    }

    @Test
    void wrongCommandLinesExitWithTwo() {
        java.io.StringWriter err = new java.io.StringWriter();
        int exists = tasn.cli.TasnMain.commandLine().setErr(new java.io.PrintWriter(err, true)).execute("sample",
                "--model", model.toString(), "--input", images.toString(), "--output", local.toString());
        assertEquals(2, exists, err.toString());
        assertTrue(err.toString().contains("already exists"), err.toString());
        err.getBuffer().setLength(0);
        int negative = tasn.cli.TasnMain.commandLine().setErr(new java.io.PrintWriter(err, true)).execute("sample",
                "--model", model.toString(), "--input", images.toString(), "--output", dir.resolve("n").toString(),
                "--random-details", "-1");
        assertEquals(2, negative, err.toString());
        assertTrue(err.toString().contains("--random-details -1"), err.toString());
        err.getBuffer().setLength(0);
        int missing = tasn.cli.TasnMain.commandLine().setErr(new java.io.PrintWriter(err, true)).execute("sample",
                "--model", dir.resolve("missing.zip").toString(), "--input", images.toString(), "--output",
                dir.resolve("m").toString());
        assertEquals(2, missing, err.toString());
        assertTrue(err.toString().contains("no such file"), err.toString());
    }

    private static int countMatches(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    private static List<String> iterate(java.util.Iterator<String> names) {
        List<String> out = new ArrayList<>();
        names.forEachRemaining(out::add);
        return out;
    }
}
