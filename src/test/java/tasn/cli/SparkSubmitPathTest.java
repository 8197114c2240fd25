package tasn.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.serializer.KryoRegistrator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jobs/*.sh on a Spark installation assembled by deploy/spark-home/make.sh (SPARK_HOME), whose
 * own conf/spark-defaults.conf plays the cluster's: turns event logging on, enables dynamic
 * allocation, sets a Parquet codec, waits 5 s for locality, names a Kryo registrator of its
 * own and JVM options of its own. An ingest on a standalone cluster of that installation
 * (local-cluster: a Master and a Worker in the driver, the executor a JVM of its own, started
 * before it fetches the job jar) must keep the cluster's settings, add the project's, let the
 * user's --conf win, pass --files through, and log with the project's log4j2 configuration in
 * the driver and in the executor. The job jar is target/classes as a jar (TASN_JOB_JAR) with
 * the dependencies on the driver's and executors' class path: no nested Maven build.
 */
class SparkSubmitPathTest {
    /** Spark's default log4j2 pattern starts with yy/MM/dd HH:mm:ss; ours with HH:mm:ss. */
    private static final Pattern SPARK_PATTERN = Pattern.compile("^\\d\\d/\\d\\d/\\d\\d \\d\\d:\\d\\d:\\d\\d [A-Z]+ ");
    private static final Pattern OUR_PLUGIN_LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d INFO LoggingPlugin: logging configured from "
            + "jar:file:.*!/tasn/log4j2.properties \\(in place of .*org/apache/spark/log4j2-defaults.properties\\)$");

    @TempDir
    static Path shared;
    static Path sparkHome;
    static Path events;
    static Path jobJar;
    static String classpath;

    /** A Kryo registrator the cluster's spark-defaults.conf names: Spark must find it beside ours. */
    public static final class ClusterRegistrator implements KryoRegistrator {
        @Override
        public void registerClasses(com.esotericsoftware.kryo.Kryo kryo) {
        }
    }

    @BeforeAll
    static void installation() throws Exception {
        ScriptRun made = ScriptRun.run(Map.of(), List.of("deploy/spark-home/make.sh", shared.resolve("spark-home").toString()));
        assertEquals(0, made.exit(), made.stderr());
        sparkHome = Path.of(made.stdout().trim());
        assertTrue(Files.isExecutable(sparkHome.resolve("bin/spark-submit")));
        events = Files.createDirectories(shared.resolve("events"));
        Files.writeString(sparkHome.resolve("conf/spark-defaults.conf"), String.join("\n",
                "# the cluster's own defaults",
                "spark.eventLog.enabled          true",
                "spark.eventLog.dir=" + events.toUri(),
                "spark.eventLog.compress: false",
                "spark.dynamicAllocation.enabled true",
                "spark.sql.parquet.compression.codec snappy",
                "spark.locality.wait 5s",
                "spark.kryo.registrator " + ClusterRegistrator.class.getName(),
                "spark.driver.extraJavaOptions -Dtasn.test.cluster=driver",
                "spark.executor.extraJavaOptions -Dtasn.test.cluster=executor \\",
                "    -Dtasn.test.continued=yes", ""));
        jobJar = ScriptRun.classesJar(shared);
        // The dependencies, and the cluster's registrator alone (target/test-classes also holds
        // log4j2-test.properties, which log4j2 would pick up in place of Spark's default).
        String registrator = ClusterRegistrator.class.getName().replace('.', '/') + ".class";
        Path clusterClasses = shared.resolve("cluster-classes");
        Files.createDirectories(clusterClasses.resolve(registrator).getParent());
        Files.copy(ScriptRun.ROOT.resolve("target/test-classes").resolve(registrator), clusterClasses.resolve(registrator));
        classpath = ScriptRun.dependencyClasspath() + ":" + clusterClasses;
    }

    @Test
    void anIngestKeepsTheClustersSettingsTakesTheProjectsAndTheUsersAndLogsWithOurs() throws Exception {
        Path images = shared.resolve("images");
        for (String cls : List.of("plain", "marked")) {
            for (int i = 0; i < 3; i++) {
                png(images.resolve("train/" + cls + "/img" + i + ".png"), cls.length() * 20, i);
                png(images.resolve("test/" + cls + "/img" + i + ".png"), cls.length() * 20, i + 3);
            }
        }
        Path shipped = Files.writeString(shared.resolve("shipped.txt"), "a file for --files\n");
        Path out = shared.resolve("shards");
        ScriptRun r = ScriptRun.run(Map.of("SPARK_HOME", sparkHome.toString(), "TASN_JOB_JAR", jobJar.toString()), List.of(
                "jobs/ingest.sh", "--input", images.toString(), "--master", "local-cluster[1,1,1024]",
                "--driver-class-path", classpath, "--conf", "spark.executor.extraClassPath=" + classpath,
                "--layout", "imagefolder", "--driver-memory=1g", "--conf", "spark.executor.memory=1g",
                "--conf=spark.locality.wait=2s", "--files=" + shipped, "-c", "spark.ui.enabled=false", "--output", out.toString(),
                "--config", "tiny", "--set", "data.raw-size=24", "--set", "data.min-files=2"), 15);
        assertEquals(0, r.exit(), r.stdout() + r.stderr());
        assertTrue(r.stdout().contains("ingest: listed 12, written 12, rejected 0"), r.stdout());

        // The event log is where the cluster's defaults put it, with the settings in force.
        List<Path> logs;
        try (Stream<Path> files = Files.list(events)) {
            logs = files.toList();
        }
        assertEquals(1, logs.size(), "one event log in " + events + ": " + logs);
        JsonNode environment = environmentUpdate(logs.get(0));
        JsonNode spark = environment.get("Spark Properties");
        assertEquals("true", setting(spark, "spark.eventLog.enabled"));                 // the cluster's
        assertEquals("snappy", setting(spark, "spark.sql.parquet.compression.codec"));  // the cluster's over our default
        assertEquals("false", setting(spark, "spark.dynamicAllocation.enabled"));       // our need over the cluster's
        assertEquals("2s", setting(spark, "spark.locality.wait"));                      // the user's over both files
        assertEquals("4", setting(spark, "spark.task.maxFailures"));                    // ours where the cluster has none
        assertEquals(ClusterRegistrator.class.getName() + ",org.nd4j.kryo.Nd4jRegistrator,tasn.data.RecordKryoRegistrator",
                setting(spark, "spark.kryo.registrator"));
        assertEquals("tasn.cli.LoggingPlugin", setting(spark, "spark.plugins"));
        assertTrue(setting(spark, "spark.files").endsWith(shipped.toString()), setting(spark, "spark.files"));
        // The merged driver options reached the driver's JVM (the launcher library started it with them).
        JsonNode system = environment.get("System Properties");
        assertEquals("driver", setting(system, "tasn.test.cluster"));
        assertEquals("5G", setting(system, "org.bytedeco.javacpp.maxbytes"));

        // The driver: Spark's default pattern until the SparkContext starts the plugin, ours after.
        assertLoggingSwitchedToOurs("driver", r.stderr());
        assertTrue(r.stderr().lines().anyMatch(l -> l.matches("\\d\\d:\\d\\d:\\d\\d INFO IngestJob: listed 12 images in 2 classes.*")),
                "tasn's INFO lines in our pattern: " + r.stderr());

        // The executor, a JVM of its own: its command has the cluster's options and ours, merged.
        String appId = logs.get(0).getFileName().toString();
        String executor = Files.readString(sparkHome.resolve("work/" + appId + "/0/stderr"));
        String command = executor.lines().filter(l -> l.startsWith("Spark Executor Command:")).findFirst().orElseThrow();
        assertTrue(command.contains("\"-Dtasn.test.cluster=executor\" \"-Dtasn.test.continued=yes\""), command);
        assertTrue(command.indexOf("-Dtasn.test.continued=yes") < command.indexOf("-Dorg.bytedeco.javacpp.maxbytes=5G"), command);
        assertTrue(command.contains("-Dorg.eclipse.deeplearning4j.helpers.disable=false"), command);
        assertTrue(executor.contains("Using Spark's default log4j profile"), executor);
        assertLoggingSwitchedToOurs("executor", executor);
    }

    /** Lines in Spark's default pattern before the plugin's line, none after it (root at WARN, our pattern). */
    private static void assertLoggingSwitchedToOurs(String jvm, String log) {
        List<String> lines = log.lines().toList();
        int switched = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (OUR_PLUGIN_LINE.matcher(lines.get(i)).matches()) {
                switched = i;
                break;
            }
        }
        assertTrue(switched > 0, jvm + ": no LoggingPlugin line in our pattern: " + log);
        assertTrue(lines.subList(0, switched).stream().anyMatch(l -> SPARK_PATTERN.matcher(l).find()),
                jvm + ": it did start on Spark's default configuration: " + log);
        List<String> after = lines.subList(switched + 1, lines.size()).stream().filter(l -> SPARK_PATTERN.matcher(l).find()).toList();
        assertEquals(List.of(), after, jvm + ": lines in Spark's default pattern after the switch");
    }

    @Test
    void aUsersPropertiesFileReplacesTheClustersAndEveryOptionReachesSparkSubmit() throws Exception {
        Path mine = Files.writeString(shared.resolve("mine.conf"), "spark.locality.wait 1s\nspark.mine.setting yes\n");
        Path extraJar = ScriptRun.classesJar(Files.createDirectories(shared.resolve("extra")));
        Path shipped = Files.writeString(shared.resolve("shipped-too.txt"), "x\n");
        Path generated = shared.resolve("generated");
        List<String> command = new ArrayList<>(List.of("jobs/generate.sh", "--verbose", "--output", generated.toString(),
                "--properties-file=" + mine, "--classes", "2", "--conf", "spark.user.setting=1", "--per-class", "2",
                "--files", shipped.toString(), "--jars=" + extraJar, "--name", "my-generate", "--size", "32",
                "--driver-java-options=-Dtasn.test.user=yes", "--driver-class-path", classpath, "--master", "local[1]"));
        ScriptRun r = ScriptRun.run(Map.of("SPARK_HOME", sparkHome.toString(), "TASN_JOB_JAR", jobJar.toString()), command);
        assertEquals(0, r.exit(), r.stdout() + r.stderr());
        String verbose = r.stdout() + r.stderr();
        assertTrue(verbose.contains("Using properties file: " + mine), verbose);
        String used = verbose.substring(verbose.indexOf("Spark properties used"), verbose.indexOf("Main class:"));
        assertFalse(used.contains("spark.eventLog.enabled"), "the user's file replaced the cluster's: " + used);
        assertTrue(used.contains("(spark.locality.wait,1s)"), used);
        assertTrue(used.contains("(spark.mine.setting,yes)"), used);
        assertTrue(used.contains("(spark.user.setting,1)"), used);
        assertTrue(used.contains("(spark.kryo.registrator,org.nd4j.kryo.Nd4jRegistrator,tasn.data.RecordKryoRegistrator)"), used);
        assertTrue(used.contains("(spark.driver.extraJavaOptions,-Dtasn.test.user=yes)"), "--driver-java-options is the user's value: " + used);
        assertTrue(Pattern.compile("driverExtraJavaOptions\\s+-Dtasn.test.user=yes\n").matcher(verbose).find(), verbose);
        assertTrue(Pattern.compile("files\\s+file:" + Pattern.quote(shipped.toString())).matcher(verbose).find(), verbose);
        assertTrue(Pattern.compile("jars\\s+file:" + Pattern.quote(extraJar.toString())).matcher(verbose).find(), verbose);
        assertTrue(Pattern.compile("name\\s+my-generate").matcher(verbose).find(), verbose);
        assertTrue(Pattern.compile("master\\s+local\\[1]").matcher(verbose).find(), verbose);
        try (Stream<Path> written = Files.walk(generated)) {
            assertTrue(written.anyMatch(p -> p.toString().endsWith(".jpg")), "generate wrote its images");
        }
    }

    /** A 40x36 PNG: a tinted background with a small square whose place varies. */
    private static void png(Path file, int tint, int variant) throws IOException {
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(40, 36, java.awt.image.BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = image.createGraphics();
        g.setColor(new java.awt.Color(tint, 120, 200 - tint));
        g.fillRect(0, 0, 40, 36);
        g.setColor(java.awt.Color.WHITE);
        g.fillRect(4 + 3 * variant, 6, 6, 6);
        g.dispose();
        Files.createDirectories(file.getParent());
        javax.imageio.ImageIO.write(image, "png", file.toFile());
    }

    private static JsonNode environmentUpdate(Path eventLog) throws IOException {
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(eventLog)) {
            JsonNode event = json.readTree(line);
            if (event.path("Event").asText().equals("SparkListenerEnvironmentUpdate")) {
                return event;
            }
        }
        throw new AssertionError("no environment update in " + eventLog);
    }

    private static String setting(JsonNode properties, String key) {
        if (properties.isObject()) {
            assertTrue(properties.has(key), key + " missing from " + properties);
            return properties.get(key).asText();
        }
        for (JsonNode pair : properties) {
            if (pair.get(0).asText().equals(key)) {
                return pair.get(1).asText();
            }
        }
        throw new AssertionError(key + " missing from " + properties);
    }
}
