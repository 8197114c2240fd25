package tasn.cli;

import org.apache.hadoop.yarn.api.records.ApplicationAttemptReport;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;
import org.apache.hadoop.yarn.api.records.YarnApplicationState;
import org.apache.hadoop.yarn.client.api.YarnClient;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Jobs submitted to a real YARN (Hadoop's MiniYARNCluster: a ResourceManager and a NodeManager in
 * this JVM, containers as child processes) with {@code --master yarn --deploy-mode cluster}, so
 * that the job's main runs inside Spark's ApplicationMaster:
 * <ul>
 *   <li>ingest, submitted with spark-submit while YARN allows two attempts, ends SUCCEEDED in one
 *       attempt and writes its output (a main that called System.exit, even exit(0), ended the
 *       attempt FAILED, "exited early", and YARN ran the job again);</li>
 *   <li>a job given a bad option, submitted with deploy/yarn/submit.sh, ends FAILED in one
 *       attempt with the diagnostics "User application exited with status 2", and submit.sh
 *       exits 2 (spark-submit itself exits 1 for any failed application).</li>
 * </ul>
 * The final status, diagnostics and attempts come from the ResourceManager through YarnClient.
 *
 * <p>As in Spark's own YARN suite, nothing is downloaded: spark-submit is
 * org.apache.spark.deploy.SparkSubmit from the Maven classpath (for submit.sh, behind a stand-in
 * SPARK_HOME whose bin/spark-submit starts it), with the cluster's configuration written to a
 * folder that HADOOP_CONF_DIR names and that is on the client's classpath (as a Spark
 * installation's spark-submit puts it); the ApplicationMaster and executors get the jobs'
 * classpath (target/classpath.txt and spark-yarn) through spark.driver/executor.extraClassPath,
 * and the tasn classes from the application jar, a jar of target/classes.
 */
@Tag("slow")
class YarnClusterModeTest {
    static final Duration SUBMISSION_BOUND = Duration.ofMinutes(8);
    static final String SEP = File.pathSeparator;

    @TempDir
    static Path dir;
    static MiniYARNCluster yarn;
    static YarnClient rm;
    static Path confDir;
    static Path appJar;
    static Path images;
    static List<String> jobClasspath;

    @BeforeAll
    static void startYarn() throws Exception {
        YarnConfiguration conf = new YarnConfiguration();
        // Containers run even on a nearly full disk.
        conf.set("yarn.nodemanager.disk-health-checker.max-disk-utilization-per-disk-percentage", "100.0");
        // hadoop-client-minicluster has no capacity-scheduler.xml (Spark's suite does the same).
        conf.set("yarn.scheduler.capacity.root.queues", "default");
        conf.setInt("yarn.scheduler.capacity.root.default.capacity", 100);
        conf.setFloat("yarn.scheduler.capacity.root.default.user-limit-factor", 1);
        conf.setInt("yarn.scheduler.capacity.root.default.maximum-capacity", 100);
        conf.set("yarn.scheduler.capacity.root.default.state", "RUNNING");
        conf.set("yarn.scheduler.capacity.root.default.acl_submit_applications", "*");
        conf.set("yarn.scheduler.capacity.root.default.acl_administer_queue", "*");
        conf.setInt("yarn.scheduler.capacity.node-locality-delay", -1);
        conf.set(YarnConfiguration.RM_HOSTNAME, "127.0.0.1");
        // Room for submit.sh's smallest containers (1g heap + 2g off-heap) on this 2-core
        // machine: vcores are only counted, memory is not enforced (ND4J and Spark's JVMs have
        // large virtual sizes; what is tested here is the application's life, not its size).
        conf.setInt(YarnConfiguration.NM_PMEM_MB, 12288);
        conf.setInt(YarnConfiguration.NM_VCORES, 8);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 256);
        conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
        conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        // YARN's default, stated: a FAILED first attempt would be followed by a second one.
        conf.setInt(YarnConfiguration.RM_AM_MAX_ATTEMPTS, 2);

        yarn = new MiniYARNCluster(YarnClusterModeTest.class.getSimpleName(), 1, 1, 1);
        yarn.init(conf);
        yarn.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (yarn.getConfig().get(YarnConfiguration.RM_ADDRESS).endsWith(":0")) {
            if (System.nanoTime() > deadline) {
                fail("the ResourceManager did not publish its address");
            }
            Thread.sleep(100);
        }
        assertTrue(yarn.waitForNodeManagersToConnect(60_000), "the NodeManager did not register");

        confDir = Files.createDirectories(dir.resolve("hadoop-conf"));
        try (OutputStream out = Files.newOutputStream(confDir.resolve("yarn-site.xml"))) {
            yarn.getConfig().writeXml(out);
        }
        rm = YarnClient.createYarnClient();
        rm.init(yarn.getConfig());
        rm.start();

        appJar = ChildJvm.appJar(dir.resolve("app/tasn-spark.jar"), ChildJvm.pomVersion());
        jobClasspath = new ArrayList<>(ChildJvm.dependencyClasspath());
        jobClasspath.add(ChildJvm.testClasspathJar("spark-yarn_"));
        images = dir.resolve("images");
        AntBeeImages.write(images);
    }

    @AfterAll
    static void stopYarn() throws Exception {
        try {
            if (rm != null) {
                for (ApplicationReport app : rm.getApplications()) {
                    if (!EnumSet.of(YarnApplicationState.FINISHED, YarnApplicationState.FAILED, YarnApplicationState.KILLED)
                            .contains(app.getYarnApplicationState())) {
                        rm.killApplication(app.getApplicationId());
                    }
                }
                rm.stop();
            }
        } finally {
            if (yarn != null) {
                Path work = yarn.getTestWorkDir().toPath();
                yarn.stop();
                deleteRecursively(work); // the NodeManager's folders and container logs
                for (Path p = work.getParent(); p != null && p.startsWith(ChildJvm.ROOT.resolve("target")); p = p.getParent()) {
                    try (Stream<Path> left = Files.list(p)) {
                        if (left.findAny().isPresent() || p.equals(ChildJvm.ROOT.resolve("target"))) {
                            break;
                        }
                    }
                    Files.delete(p); // the empty folders MiniYARNCluster made above it
                }
            }
        }
    }

    /**
     * The Spark settings of every submission here: no Spark jars to upload (the classpath comes
     * from extraClassPath, as in Spark's suite), JAVA_HOME and SPARK_LOCAL_IP for the containers
     * (the NodeManager's environment has neither), small containers, a staging folder of its own.
     */
    static Map<String, String> testSettings() throws IOException {
        Path fakeSparkJar = dir.resolve("no-spark-jars.jar");
        if (!Files.exists(fakeSparkJar)) {
            Files.createFile(fakeSparkJar);
        }
        String flags = Files.readAllLines(ChildJvm.ROOT.resolve("conf/java17.flags")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).collect(Collectors.joining(" "));
        Map<String, String> conf = new LinkedHashMap<>();
        conf.put("spark.yarn.jars", "local:" + fakeSparkJar);
        conf.put("spark.driver.extraClassPath", String.join(SEP, jobClasspath));
        conf.put("spark.executor.extraClassPath", String.join(SEP, jobClasspath));
        conf.put("spark.yarn.stagingDir", dir.resolve("staging").toUri().toString());
        conf.put("spark.yarn.appMasterEnv.JAVA_HOME", System.getProperty("java.home"));
        conf.put("spark.executorEnv.JAVA_HOME", System.getProperty("java.home"));
        conf.put("spark.yarn.appMasterEnv.SPARK_LOCAL_IP", "127.0.0.1");
        conf.put("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1");
        conf.put("spark.ui.enabled", "false");
        conf.put("spark.yarn.report.interval", "2s");
        conf.put("spark.driver.extraJavaOptions", flags);
        conf.put("spark.executor.extraJavaOptions", flags);
        return conf;
    }

    /** The spark-submit client: SparkSubmit with the cluster's configuration on its classpath. */
    static List<String> sparkSubmit() throws IOException {
        List<String> cp = new ArrayList<>();
        cp.add(confDir.toString());
        cp.addAll(jobClasspath);
        List<String> command = new ArrayList<>(List.of(ChildJvm.java(), ChildJvm.java17Flags(), "-Xmx512m", "-cp",
                String.join(SEP, cp), "org.apache.spark.deploy.SparkSubmit"));
        testSettings().forEach((k, v) -> command.addAll(List.of("--conf", k + "=" + v)));
        return command;
    }

    static Map<String, String> clientEnv() {
        return Map.of("HADOOP_CONF_DIR", confDir.toString(), "SPARK_LOCAL_IP", "127.0.0.1");
    }

    static ApplicationId submittedApplication(ChildJvm.Result r) {
        Matcher m = Pattern.compile("Submitted application (application_\\d+_\\d+)").matcher(r.output());
        if (!m.find()) {
            fail("the client never submitted an application:\n" + r.tail(60));
        }
        return ApplicationId.fromString(m.group(1));
    }

    /** The report of {@code app} with its attempts, and the end of its ApplicationMaster's log. */
    static String describe(ApplicationId app) throws Exception {
        ApplicationReport report = rm.getApplicationReport(app);
        StringBuilder out = new StringBuilder("application " + app + ": " + report.getYarnApplicationState() + "/"
                + report.getFinalApplicationStatus() + ", diagnostics: " + report.getDiagnostics() + "\nattempts:");
        for (ApplicationAttemptReport attempt : rm.getApplicationAttempts(app)) {
            out.append("\n  ").append(attempt.getApplicationAttemptId()).append(' ')
                    .append(attempt.getYarnApplicationAttemptState()).append(' ').append(attempt.getDiagnostics());
        }
        try (Stream<Path> files = Files.walk(yarn.getTestWorkDir().toPath())) {
            for (Path log : files.filter(p -> p.getFileName().toString().equals("stderr"))
                    .filter(p -> p.toString().contains(app.toString())).sorted().toList()) {
                List<String> lines = Files.readAllLines(log);
                out.append("\n--- ").append(log).append(" (last 40 lines)\n")
                        .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size())));
            }
        }
        return out.toString();
    }

    @Test
    void ingestInClusterModeSucceedsInOneAttempt() throws Exception {
        Path shards = dir.resolve("shards");
        List<String> command = sparkSubmit();
        command.addAll(List.of("--master", "yarn", "--deploy-mode", "cluster", "--name", "tasn-ingest-yarn",
                "--properties-file", ChildJvm.ROOT.resolve("conf/spark-defaults.conf").toString(),
                "--driver-memory", "1g", "--executor-memory", "1g", "--num-executors", "1", "--executor-cores", "1",
                "--conf", "spark.executor.memoryOverhead=512m", "--conf", "spark.driver.memoryOverhead=512m",
                "--class", "tasn.cli.TasnMain", appJar.toString(),
                "ingest", "--input", images.toUri().toString(), "--layout", "imagefolder",
                "--output", shards.toUri().toString(), "--config", "tiny", "--set", "data.raw-size=16"));
        ChildJvm.Result r = ChildJvm.run(command, clientEnv(), dir.resolve("ingest-client.log"), SUBMISSION_BOUND);
        ApplicationId app = submittedApplication(r);
        String story = "client exit " + r.exit() + "\n" + describe(app) + "\n--- client (last 30 lines)\n" + r.tail(30);

        ApplicationReport report = rm.getApplicationReport(app);
        assertEquals(FinalApplicationStatus.SUCCEEDED, report.getFinalApplicationStatus(), story);
        assertEquals(YarnApplicationState.FINISHED, report.getYarnApplicationState(), story);
        assertEquals(1, rm.getApplicationAttempts(app).size(), story);
        assertEquals(1, report.getCurrentApplicationAttemptId().getAttemptId(), story);
        assertEquals(0, r.exit(), story);
        assertTrue(Files.isRegularFile(shards.resolve("dataset.json")), "no dataset.json: " + story);
        try (Stream<Path> parts = Files.list(shards.resolve("train"))) {
            assertTrue(parts.anyMatch(p -> p.getFileName().toString().endsWith(".parquet")), "no train shard: " + story);
        }
    }

    @Test
    void aBadOptionEndsFailedWithExitTwoThroughSubmitSh() throws Exception {
        // A stand-in Spark installation: bin/spark-submit is SparkSubmit with this test's settings,
        // given before submit.sh's own options so that those win.
        Path sparkHome = dir.resolve("spark-home");
        Path script = Files.createDirectories(sparkHome.resolve("bin")).resolve("spark-submit");
        Files.createDirectories(sparkHome.resolve("conf"));
        Files.createDirectories(sparkHome.resolve("jars"));
        String words = sparkSubmit().stream().map(YarnClusterModeTest::shellQuote).collect(Collectors.joining(" "));
        Files.writeString(script, "#!/usr/bin/env bash\nexec " + words + " \"$@\"\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

        List<String> command = List.of(ChildJvm.ROOT.resolve("deploy/yarn/submit.sh").toString(), "--jar", appJar.toString(),
                "--executors", "1", "--executor-cores", "1", "--executor-memory", "1g", "--memory-overhead", "2g",
                "--driver-memory", "1g", "--driver-overhead", "2g",
                "ingest", "--input", images.toUri().toString(), "--layout", "imagefolder",
                "--output", dir.resolve("never").toUri().toString(), "--bogus");
        Map<String, String> env = new LinkedHashMap<>(clientEnv());
        env.put("SPARK_HOME", sparkHome.toString());
        ChildJvm.Result r = ChildJvm.run(command, env, dir.resolve("bad-option-client.log"), SUBMISSION_BOUND);
        ApplicationId app = submittedApplication(r);
        String story = "submit.sh exit " + r.exit() + "\n" + describe(app) + "\n--- client (last 30 lines)\n" + r.tail(30);

        ApplicationReport report = rm.getApplicationReport(app);
        assertEquals(FinalApplicationStatus.FAILED, report.getFinalApplicationStatus(), story);
        assertTrue(report.getDiagnostics().contains("User application exited with status 2"), story);
        assertEquals(1, rm.getApplicationAttempts(app).size(), story);
        assertEquals(TasnMain.EXIT_USAGE, r.exit(), story);
        assertTrue(r.output().contains("the job exited with status 2"), story);
        assertTrue(!Files.exists(dir.resolve("never")), story);
    }

    static String shellQuote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
