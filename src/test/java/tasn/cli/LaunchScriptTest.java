package tasn.cli;

import org.apache.spark.launcher.SparkSubmitOptionNames;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * jobs/_launch.sh (behind every jobs/*.sh), mostly through TASN_DRY_RUN=1: every spark-submit
 * option reaches spark-submit in both forms while the job's own options reach the job; the
 * project's Spark settings are layered on the cluster's spark-defaults.conf; the embedded path
 * runs as before; help takes the short path. SparkSubmitPathTest runs the real submissions.
 */
class LaunchScriptTest {
    private static final Path ROOT = ScriptRun.ROOT;
    /** Options the launcher keeps for the job (picocli's) or refuses. */
    private static final Set<String> JOBS_OWN = Set.of("--help", "-h", "--version");
    private static final Set<String> REFUSED = Set.of("--class", "--kill", "--status", "--usage-error");

    @TempDir
    Path dir;
    Path sparkHome;
    Path jar;

    @BeforeEach
    void installation() throws Exception {
        sparkHome = Files.createDirectories(dir.resolve("spark-home"));
        Files.createDirectories(sparkHome.resolve("conf"));
        jar = Files.createFile(dir.resolve("job.jar"));
    }

    private ScriptRun dryRun(Map<String, String> extraEnvironment, String job, String... args) throws Exception {
        Map<String, String> env = new HashMap<>(Map.of("SPARK_HOME", sparkHome.toString(), "TASN_JOB_JAR", jar.toString(),
                "TASN_DRY_RUN", "1"));
        env.putAll(extraEnvironment);
        List<String> command = ScriptRun.command("jobs/" + job + ".sh");
        command.addAll(List.of(args));
        return ScriptRun.run(env, command);
    }

    /** The launcher's lists are Spark 3.5.9's: an option Spark adds must be handled here too. */
    @Test
    void theLaunchersOptionListsAreSparkSubmits() throws Exception {
        ScriptRun lists = ScriptRun.run(Map.of(), List.of("bash", "-c",
                "ROOT=.; source deploy/spark-submit-common.sh; echo \"${SPARK_SUBMIT_VALUE_OPTIONS[*]}\"; echo \"${SPARK_SUBMIT_SWITCHES[*]}\""));
        String[] lines = lists.stdout().split("\n");
        assertEquals(new TreeSet<>(SparkSubmitOptionNames.withValue()), new TreeSet<>(List.of(lines[0].split(" "))));
        assertEquals(new TreeSet<>(SparkSubmitOptionNames.switches()), new TreeSet<>(List.of(lines[1].split(" "))));
    }

    /** No job option has the name of a spark-submit option, except the help options the jobs keep. */
    @Test
    void noJobOptionIsNamedLikeASparkSubmitOption() {
        Set<String> spark = new TreeSet<>(SparkSubmitOptionNames.withValue());
        spark.addAll(SparkSubmitOptionNames.switches());
        for (var sub : TasnMain.commandLine().getSubcommands().values()) {
            for (var option : sub.getCommandSpec().options()) {
                for (String name : option.names()) {
                    assertTrue(!spark.contains(name) || JOBS_OWN.contains(name),
                            sub.getCommandName() + " " + name + " would be taken by spark-submit");
                }
            }
        }
    }

    @Test
    void everySparkSubmitOptionReachesSparkSubmitInBothFormsAndTheJobKeepsItsOwn() throws Exception {
        Path properties = Files.writeString(dir.resolve("mine.conf"), "spark.mine true\n");
        for (boolean equalsForm : List.of(false, true)) {
            SubmitOptionsLine line = SubmitOptionsLine.of(option -> REFUSED.contains(option) || JOBS_OWN.contains(option),
                    equalsForm, properties, n -> List.of("--set", "data.copies=" + n));   // job options between them
            List<String> args = new ArrayList<>(List.of("--input", "in"));
            args.addAll(line.args());
            List<List<String>> expected = line.expected();
            int n = line.valued();
            args.addAll(List.of("--layout", "imagefolder", "--output", "out"));

            List<String> words = dryRun(Map.of(), "ingest", args.toArray(String[]::new)).words();
            int jarAt = words.indexOf(jar.toString());
            List<String> submit = words.subList(0, jarAt);
            for (List<String> pair : expected) {
                assertTrue(java.util.Collections.indexOfSubList(submit, pair) >= 0, pair + " missing from " + submit);
            }
            List<String> job = words.subList(jarAt + 1, words.size());
            List<String> expectedJob = new ArrayList<>(List.of("ingest", "--input", "in"));
            for (int i = 1; i <= n; i++) {
                expectedJob.addAll(List.of("--set", "data.copies=" + i));
            }
            expectedJob.addAll(List.of("--layout", "imagefolder", "--output", "out"));
            assertEquals(expectedJob, job);
            assertEquals(sparkHome.resolve("bin/spark-submit").toString(), words.get(0));
        }
    }

    @Test
    void optionsThatSubmitNoJobOrReplaceTheMainClassAreRefusedByName() throws Exception {
        for (String option : REFUSED) {
            for (List<String> form : List.of(List.of(option, "x"), List.of(option + "=x"))) {
                List<String> args = new ArrayList<>(form);
                args.addAll(List.of("--output", "o"));
                ScriptRun r = dryRun(Map.of(), "generate", args.toArray(String[]::new));
                assertEquals(2, r.exit(), form + ": " + r.stdout());
                assertTrue(r.stderr().startsWith("tasn: " + option), r.stderr());
                assertEquals("", r.stdout());
            }
        }
        assertRefused("tasn: --files needs a value", "--output", "o", "--files");
        assertRefused("tasn: --conf spark.x: expected KEY=VALUE", "--conf", "spark.x", "--output", "o");
        assertRefused("tasn: --properties-file " + dir.resolve("none.conf") + ": no such file",
                "--properties-file=" + dir.resolve("none.conf"), "--output", "o");
    }

    private void assertRefused(String message, String... args) throws Exception {
        ScriptRun r = dryRun(Map.of(), "generate", args);
        assertEquals(2, r.exit(), r.stdout());
        assertTrue(r.stderr().contains(message), r.stderr());
    }

    @Test
    void theClustersDefaultsStayAndTheProjectsAreLayeredOnThem() throws Exception {
        Files.writeString(sparkHome.resolve("conf/spark-defaults.conf"), String.join("\n",
                "spark.eventLog.enabled true",
                "spark.kryo.registrator=com.example.ClusterRegistrator, org.nd4j.kryo.Nd4jRegistrator",
                "spark.executor.extraJavaOptions: -Dcluster=1 \\",
                "    -XX:+UseG1GC",
                "spark.plugins com.example.ClusterPlugin",
                "spark.dynamicAllocation.enabled true",
                "spark.locality.wait 3s",
                "spark.task.maxFailures 8", ""));
        List<String> words = dryRun(Map.of(), "ingest", "--input", "in", "--conf", "spark.task.maxFailures=9",
                "--layout", "imagefolder", "--output", "out").words();
        assertFalse(words.contains("--properties-file"), "Spark must read the cluster's file itself: " + words);
        Map<String, String> conf = ScriptRun.confs(words);
        // Lists: the cluster's value as it is, our items it lacks appended (none twice).
        assertEquals("com.example.ClusterRegistrator, org.nd4j.kryo.Nd4jRegistrator,tasn.data.RecordKryoRegistrator",
                conf.get("spark.kryo.registrator"));
        assertEquals("com.example.ClusterPlugin,tasn.cli.LoggingPlugin", conf.get("spark.plugins"));
        assertEquals("-Dcluster=1 -XX:+UseG1GC -Dorg.bytedeco.javacpp.maxbytes=5G -Dorg.bytedeco.javacpp.maxphysicalbytes=9G "
                + "-Dorg.eclipse.deeplearning4j.helpers.disable=false", conf.get("spark.executor.extraJavaOptions"));
        // A need replaces the cluster's value; a default does not; the user's value wins over both.
        assertEquals("false", conf.get("spark.dynamicAllocation.enabled"));
        assertFalse(conf.containsKey("spark.locality.wait"), "the cluster's 3s stays: " + conf);
        assertEquals("9", conf.get("spark.task.maxFailures"));
        assertEquals(1, words.stream().filter(w -> w.startsWith("spark.task.maxFailures=")).count(), words.toString());
        assertEquals("zstd", conf.get("spark.sql.parquet.compression.codec"));
        assertFalse(conf.containsKey("spark.eventLog.enabled"), "the cluster's own settings are Spark's to read: " + conf);

        // SPARK_CONF_DIR is where Spark looks first.
        Path confDir = Files.createDirectories(dir.resolve("conf-dir"));
        Files.writeString(confDir.resolve("spark-defaults.conf"), "spark.plugins=com.example.Other\n");
        Map<String, String> fromConfDir = ScriptRun.confs(dryRun(Map.of("SPARK_CONF_DIR", confDir.toString()), "ingest",
                "--input", "in").words());
        assertEquals("com.example.Other,tasn.cli.LoggingPlugin", fromConfDir.get("spark.plugins"));
        assertEquals("org.nd4j.kryo.Nd4jRegistrator,tasn.data.RecordKryoRegistrator", fromConfDir.get("spark.kryo.registrator"));
    }

    @Test
    void aUsersPropertiesFileOrOptionWinsOverTheProjectsValue() throws Exception {
        Files.writeString(sparkHome.resolve("conf/spark-defaults.conf"), "spark.plugins com.example.ClusterPlugin\n");
        Path mine = Files.writeString(dir.resolve("mine.conf"), "spark.kryo.registrator my.Registrator\nspark.locality.wait 1s\n");
        ScriptRun r = dryRun(Map.of(), "ingest", "--properties-file", mine.toString(), "--input", "in",
                "--executor-memory", "2g", "--driver-java-options=-Dmine=1");
        List<String> words = r.words();
        Map<String, String> conf = ScriptRun.confs(words);
        assertEquals(mine.toString(), words.get(words.indexOf("--properties-file") + 1));
        // The user's file replaced the cluster's (Spark's rule): nothing is merged with the cluster's.
        assertEquals("tasn.cli.LoggingPlugin", conf.get("spark.plugins"));
        for (String key : List.of("spark.kryo.registrator", "spark.locality.wait", "spark.executor.memory",
                "spark.driver.extraJavaOptions")) {
            assertFalse(conf.containsKey(key), key + " is the user's: " + conf);
        }
        assertEquals("-Dmine=1", words.get(words.indexOf("--driver-java-options") + 1));
        assertEquals("4g", conf.get("spark.driver.memory"));
        assertTrue(r.stderr().contains("tasn: note: your value of spark.kryo.registrator replaces the project's "
                + "(org.nd4j.kryo.Nd4jRegistrator,tasn.data.RecordKryoRegistrator)"), r.stderr());
        assertTrue(r.stderr().contains("your value of spark.driver.extraJavaOptions replaces"), r.stderr());
    }

    @Test
    void theEmbeddedPathRunsAsBefore() throws Exception {
        Map<String, String> env = Map.of("TASN_JOB_JAR", jar.toString(), "TASN_DRY_RUN", "1");
        List<String> words = ScriptRun.run(env, ScriptRun.command("jobs/ingest.sh", "--input", "in", "--conf", "spark.x=1",
                "--output", "out")).words();
        assertEquals("java", words.get(0));
        assertEquals(List.of("-Xmx4g", "-Dorg.bytedeco.javacpp.maxbytes=5G", "-Dorg.bytedeco.javacpp.maxphysicalbytes=9G",
                "@" + ROOT.resolve("conf/java17.flags"), "-Dlog4j2.configurationFile=" + ROOT.resolve("conf/log4j2.properties"),
                "-cp"), words.subList(1, 7));
        assertEquals(jar + ":" + ScriptRun.dependencyClasspath(), words.get(7));
        assertEquals(List.of("org.apache.spark.deploy.SparkSubmit", "--conf", "spark.ui.showConsoleProgress=false",
                        "--properties-file", ROOT.resolve("conf/spark-defaults.conf").toString(), "--master", "local[*]",
                        "--class", "tasn.cli.TasnMain", "--conf", "spark.x=1", jar.toString(), "ingest", "--input", "in",
                        "--output", "out"),
                words.subList(8, words.size()));

        Path mine = Files.writeString(dir.resolve("mine.conf"), "spark.a 1\n");
        ScriptRun own = ScriptRun.run(Map.of("TASN_JOB_JAR", jar.toString(), "TASN_DRY_RUN", "1", "TASN_JAVA_OPTS", "-Xmx2g"),
                ScriptRun.command("jobs/ingest.sh", "--master=local[2]", "--properties-file", mine.toString(),
                        "--driver-memory", "1g", "--input", "in"));
        List<String> ownWords = own.words();
        assertEquals("-Xmx2g", ownWords.get(1));
        assertEquals(1, ownWords.stream().filter("--properties-file"::equals).count(), ownWords.toString());
        assertEquals(mine.toString(), ownWords.get(ownWords.indexOf("--properties-file") + 1));
        assertEquals("local[2]", ownWords.get(ownWords.indexOf("--master") + 1));
        assertTrue(own.stderr().contains("--driver-memory has no effect on the embedded Spark"), own.stderr());
    }

    /** -h/--help, -V/--version and a job without arguments run TasnMain in a plain JVM: no SparkSubmit, no module flags. */
    @Test
    void helpAndVersionTakeTheShortPathOnBothPaths() throws Exception {
        for (boolean withSparkHome : List.of(true, false)) {
            Map<String, String> env = withSparkHome ? Map.of() : Map.of("SPARK_HOME", "");
            for (List<String> args : List.<List<String>>of(List.of("--help"), List.of("--input", "x", "-h"), List.of("-V"),
                    List.of("--version", "--master", "local[2]"), List.of())) {
                List<String> words = dryRun(env, "ingest", args.toArray(String[]::new)).words();
                assertEquals("java", words.get(0), words.toString());
                assertFalse(words.contains("org.apache.spark.deploy.SparkSubmit"), words.toString());
                assertTrue(words.stream().noneMatch(w -> w.startsWith("--add-opens") || w.startsWith("@")), words.toString());
                int main = words.indexOf("tasn.cli.TasnMain");
                List<String> jobArgs = new ArrayList<>(args);
                jobArgs.removeAll(List.of("--master", "local[2]"));
                jobArgs.add(0, "ingest");
                assertEquals(jobArgs, words.subList(main + 1, words.size()));
                String classpath = words.get(words.indexOf("-cp") + 1);
                assertTrue(classpath.startsWith(jar + ":"), classpath);
                assertTrue(withSparkHome ? classpath.endsWith(sparkHome.resolve("jars") + "/*")
                        : classpath.endsWith(ScriptRun.dependencyClasspath()), classpath);
            }
            // inspect without arguments inspects the default configuration: a real run.
            List<String> inspect = dryRun(env, "inspect").words();
            assertTrue(inspect.get(0).endsWith("spark-submit") || inspect.contains("org.apache.spark.deploy.SparkSubmit"),
                    inspect.toString());
        }
    }

    /** A real --help: picocli's text and the launcher's paragraph, with no spark-submit run (it would fail here). */
    @Test
    void helpPrintsTheJobsOptionsAndTheSparkSubmitOptionsWithoutSpark() throws Exception {
        Path classesJar = ScriptRun.classesJar(dir);
        Path bin = Files.createDirectories(sparkHome.resolve("bin"));
        Path submit = Files.writeString(bin.resolve("spark-submit"), "#!/bin/sh\necho 'spark-submit must not run' >&2\nexit 99\n");
        Files.setPosixFilePermissions(submit, PosixFilePermissions.fromString("rwxr-xr-x"));
        for (Map<String, String> env : List.of(
                Map.of("TASN_JOB_JAR", classesJar.toString()),
                Map.of("TASN_JOB_JAR", classesJar.toString(), "SPARK_HOME", sparkHome.toString()))) {
            List<String> command = ScriptRun.command("jobs/ingest.sh", "--help");
            if (env.containsKey("SPARK_HOME")) {
                command.addAll(List.of("--driver-class-path", ScriptRun.dependencyClasspath()));
            }
            ScriptRun r = ScriptRun.run(env, command);
            assertEquals(0, r.exit(), r.stderr());
            assertTrue(r.stdout().startsWith("Usage: tasn ingest"), r.stdout());
            assertTrue(r.stdout().contains("--layout=imagefolder|cub|list"), r.stdout());
            String paragraph = r.stdout().substring(r.stdout().indexOf("spark-submit options: jobs/ingest.sh passes these"));
            List<String> all = new ArrayList<>(SparkSubmitOptionNames.withValue());
            all.addAll(SparkSubmitOptionNames.switches());
            for (String option : all) {
                String shown = switch (option) {
                    case "-c" -> "--conf (-c)";
                    case "-v" -> "--verbose (-v)";
                    case "-h", "--help" -> "-h/--help";
                    case "--version" -> "-V/--version";
                    default -> option;
                };
                assertTrue(paragraph.contains(shown), shown + " missing from " + paragraph);
            }
            assertTrue(paragraph.contains("--class, --kill, --status, --usage-error are refused"), paragraph);
        }
    }
}
