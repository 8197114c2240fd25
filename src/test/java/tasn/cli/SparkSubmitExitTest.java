package tasn.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The program under spark-submit in client mode, as the embedded launcher of {@code jobs/*.sh}
 * runs it ({@code java @conf/java17.flags -cp APP_JAR:target/classpath.txt
 * org.apache.spark.deploy.SparkSubmit ... --class tasn.cli.TasnMain APP_JAR JOB ...}; a Spark
 * installation's spark-submit is the same class): a successful main returns instead of calling
 * System.exit, and the JVM still ends (no non-daemon thread is left behind), with exit code 0;
 * a failed job exits 1 and a bad command line 2 (SparkUserAppException, which spark-submit turns
 * into that exit code); {@code --version} prints the version of the jar's manifest.
 *
 * <p>The app jar is built from target/classes with the pom's version in its manifest, as
 * maven-jar-plugin writes it (the packaged jars themselves: {@link PackagedJarVersionTest}).
 */
class SparkSubmitExitTest {
    static final Duration BOUND = Duration.ofMinutes(4);

    @TempDir
    static Path dir;
    static Path appJar;
    static String version;

    @BeforeAll
    static void buildAppJar() throws IOException {
        version = ChildJvm.pomVersion();
        appJar = ChildJvm.appJar(dir.resolve("app/tasn-spark.jar"), version);
    }

    /** Runs {@code tasn JOB...} through spark-submit in local mode; returns when the JVM has ended. */
    static ChildJvm.Result submit(String log, String... job) throws Exception {
        List<String> command = new ArrayList<>(List.of(ChildJvm.java(), ChildJvm.java17Flags(), "-Xmx2g", "-cp",
                appJar + java.io.File.pathSeparator + String.join(java.io.File.pathSeparator, ChildJvm.dependencyClasspath()),
                "org.apache.spark.deploy.SparkSubmit", "--master", "local[2]", "--conf", "spark.ui.enabled=false",
                "--properties-file", ChildJvm.ROOT.resolve("conf/spark-defaults.conf").toString(),
                "--driver-memory", "2g", "--class", "tasn.cli.TasnMain", appJar.toString()));
        command.addAll(List.of(job));
        return ChildJvm.run(command, Map.of(), dir.resolve(log), BOUND);
    }

    @Test
    void versionComesFromTheJarManifest() throws Exception {
        ChildJvm.Result r = submit("version.log", "--version");
        assertEquals(0, r.exit(), r.tail(30));
        assertTrue(r.output().lines().anyMatch(("tasn-spark " + version)::equals), r.tail(30));
        ChildJvm.Result job = submit("ingest-version.log", "ingest", "--version");
        assertEquals(0, job.exit(), job.tail(30));
        assertTrue(job.output().lines().anyMatch(("tasn-spark " + version)::equals), job.tail(30));
    }

    @Test
    void aBadCommandLineExitsTwoAndAFailedJobOne() throws Exception {
        ChildJvm.Result usage = submit("usage.log", "ingest", "--input", "in", "--layout", "imagefolder",
                "--output", dir.resolve("never").toString(), "--bogus");
        assertEquals(TasnMain.EXIT_USAGE, usage.exit(), usage.tail(30));
        assertTrue(usage.output().contains("Unknown option: '--bogus'"), usage.tail(30));

        Path file = Files.writeString(dir.resolve("a-file"), "not a folder");
        ChildJvm.Result failed = submit("failed.log", "generate", "--output", file.resolve("images").toString(),
                "--classes", "2", "--per-class", "2", "--size", "32");
        assertEquals(TasnMain.EXIT_FAILED, failed.exit(), failed.tail(30));
        assertTrue(failed.output().contains("error: generate failed"), failed.tail(30));
    }

    @Test
    void aJobWithoutSparkReturnsAndTheJvmEnds() throws Exception {
        Path images = dir.resolve("generated");
        ChildJvm.Result r = submit("generate.log", "generate", "--output", images.toString(), "--classes", "2",
                "--per-class", "3", "--size", "32");
        assertEquals(0, r.exit(), r.tail(30));
        try (var files = Files.walk(images)) {
            assertEquals(6, files.filter(p -> p.toString().endsWith(".jpg")).count(), "generated images");
        }
    }

    /**
     * Jobs whose threads could outlive main: ingest (a local Spark session, OpenCV on its
     * executors) and inspect (ND4J and DL4J, with the oneDNN helpers switched on by the command
     * line). Each JVM must end by itself once main has returned.
     */
    @Test
    @Tag("slow")
    void sparkAndNd4jJobsReturnAndTheJvmEnds() throws Exception {
        Path images = dir.resolve("images");
        AntBeeImages.write(images);
        Path shards = dir.resolve("shards");
        ChildJvm.Result ingest = submit("ingest.log", "ingest", "--input", images.toString(), "--layout", "imagefolder",
                "--output", shards.toString(), "--config", "tiny", "--set", "data.raw-size=16");
        assertEquals(0, ingest.exit(), ingest.tail(40));
        assertTrue(Files.isRegularFile(shards.resolve("dataset.json")), ingest.tail(40));

        ChildJvm.Result inspect = submit("inspect.log", "inspect", "--config", "tiny");
        assertEquals(0, inspect.exit(), inspect.tail(40));
        assertTrue(inspect.output().contains("DL4J oneDNN layer helpers on"), inspect.tail(40));
        assertTrue(inspect.output().contains("head_distillation"), inspect.tail(40));
    }
}
