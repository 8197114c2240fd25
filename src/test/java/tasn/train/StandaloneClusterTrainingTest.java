package tasn.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * jobs/train.sh against a real standalone Spark cluster on loopback (deploy/standalone: a
 * Master and two one-core Workers, each its own JVM): a run completes; a Worker killed in
 * mid-epoch does not stop it (Spark runs the lost averaging round again); a driver killed
 * after a checkpoint is followed by --resume, which completes the remaining epochs. Every
 * process the test starts is stopped by its PID. Needs {@code mvn -DskipTests package} first.
 */
@Tag("slow")
class StandaloneClusterTrainingTest {
    static final Path ROOT = Path.of(System.getProperty("user.dir"));
    static final int EPOCHS = 3;
    @TempDir
    Path dir;
    Path state;
    String masterUrl;
    final List<Process> started = new ArrayList<>();

    @BeforeEach
    void startCluster() throws Exception {
        if (!Files.exists(ROOT.resolve("target/tasn-spark-0.1.0-SNAPSHOT.jar")) || !Files.exists(ROOT.resolve("target/classpath.txt"))) {
            fail("the standalone cluster runs from the packaged jar: run mvn -DskipTests package first");
        }
        SparkSession spark = TrainingFixtures.spark("local[2]");
        try {
            TrainingFixtures.writeDataset(spark, dir.resolve("data"), new TrainingFixtures.Shape(3, 8, 2, 0, 2, 64), 21);
        } finally {
            TrainingFixtures.stop(spark);
        }
        state = dir.resolve("cluster");
        Process start = new ProcessBuilder("deploy/standalone/start.sh", "--workers", "2", "--cores", "1", "--memory", "2g",
                "--dir", state.toString()).directory(ROOT.toFile())
                .redirectError(dir.resolve("start.log").toFile()).start();
        String out = new String(start.getInputStream().readAllBytes()).trim();
        assertTrue(start.waitFor(5, TimeUnit.MINUTES) && start.exitValue() == 0, "cluster start: " + Files.readString(dir.resolve("start.log")));
        masterUrl = out.substring(out.lastIndexOf('\n') + 1);
        assertTrue(masterUrl.startsWith("spark://127.0.0.1:"), masterUrl);
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (Process p : started) {
            if (p.isAlive()) {
                p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
        Process stop = new ProcessBuilder("deploy/standalone/stop.sh", "--dir", state.toString()).directory(ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("stop.log").toFile()).start();
        stop.waitFor(2, TimeUnit.MINUTES);
    }

    Process driver(Path run, String log, String... extra) throws IOException {
        List<String> command = new ArrayList<>(List.of("jobs/train.sh", "--master", masterUrl, "--executor-memory", "1500m",
                "--data", dir.resolve("data").toString(), "--output", run.toString(), "--config", "tiny",
                "--epochs", String.valueOf(EPOCHS), "--set", "train.workers=2", "--set", "train.batch-size-per-worker=4",
                "--set", "train.averaging-frequency=1", "--set", "train.log-every-iterations=1"));
        command.addAll(List.of(extra)); // --resume: the killed driver's very command, with --resume added
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(log).toFile());
        builder.environment().put("TASN_JAVA_OPTS", "-Xmx3g");
        builder.environment().remove("SPARK_HOME");
        Process p = builder.start();
        started.add(p);
        return p;
    }

    @Test
    void aRunCompletesThoughAWorkerIsKilledInMidEpoch() throws Exception {
        Path run = dir.resolve("run");
        Process driver = driver(run, "driver.log");
        waitFor(() -> epochLines(run, "iteration").stream().anyMatch(l -> l.path("epoch").asInt() == 2), driver, "driver.log");
        long worker = workerPid(1);
        ProcessHandle.of(worker).ifPresent(ProcessHandle::destroyForcibly);
        assertTrue(driver.waitFor(15, TimeUnit.MINUTES), "driver finished");
        String log = Files.readString(dir.resolve("driver.log"));
        assertEquals(0, driver.exitValue(), log);
        assertTrue(log.contains("Lost executor"), "the driver saw the executor go: " + log);
        assertEquals(List.of(1, 2, 3), epochNumbers(run));
        assertTrue(Files.exists(run.resolve("model.zip")));
    }

    @Test
    void aKilledDriverIsResumedAndCompletesTheRemainingEpochs() throws Exception {
        Path run = dir.resolve("run");
        Process first = driver(run, "driver-1.log");
        waitFor(() -> Files.exists(run.resolve("checkpoints/epoch-000001/state.json")), first, "driver-1.log");
        first.destroyForcibly().waitFor(1, TimeUnit.MINUTES);
        assertTrue(!Files.exists(run.resolve("model.zip")), "the first driver was killed before the end");

        Process second = driver(run, "driver-2.log", "--resume");
        assertTrue(second.waitFor(15, TimeUnit.MINUTES), "resumed driver finished");
        assertEquals(0, second.exitValue(), Files.readString(dir.resolve("driver-2.log")));
        assertEquals(List.of(1, 2, 3), epochNumbers(run));
        assertTrue(Files.readString(dir.resolve("driver-2.log")).contains("resuming from"));
    }

    long workerPid(int i) throws IOException {
        for (String line : Files.readAllLines(state.resolve("pids"))) {
            String[] parts = line.trim().split("\\s+");
            if (parts[0].equals("worker-" + i)) {
                return Long.parseLong(parts[1]);
            }
        }
        throw new IllegalStateException("no worker-" + i + " in " + state.resolve("pids"));
    }

    void waitFor(BooleanSupplier condition, Process driver, String log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (!driver.isAlive()) {
                fail("the driver ended early (exit " + driver.exitValue() + "): " + Files.readString(dir.resolve(log)));
            }
            if (System.nanoTime() > deadline) {
                fail("timed out; driver log: " + Files.readString(dir.resolve(log)));
            }
            Thread.sleep(200);
        }
    }

    static List<JsonNode> epochLines(Path run, String event) {
        List<JsonNode> out = new ArrayList<>();
        File file = run.resolve("metrics.jsonl").toFile();
        if (!file.exists()) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(file.toPath())) {
                JsonNode node = new ObjectMapper().readTree(line);
                if (event.equals(node.path("event").asText())) {
                    out.add(node);
                }
            }
        } catch (IOException e) {
            return out; // replaced while read: try again
        }
        return out;
    }

    static List<Integer> epochNumbers(Path run) {
        return epochLines(run, "epoch").stream().map(e -> e.path("epoch").asInt()).toList();
    }
}
