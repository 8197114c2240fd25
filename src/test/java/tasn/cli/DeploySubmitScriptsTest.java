package tasn.cli;

import org.apache.spark.launcher.SparkSubmitOptionNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * deploy/yarn/submit.sh and deploy/k8s/submit.sh, through their --dry-run (there is no YARN or
 * Kubernetes cluster here): the containers are sized as docs/sizing.md says, the Spark settings
 * are the tested conf/spark-defaults.conf layered on the cluster's own spark-defaults.conf, every
 * other spark-submit option is passed through, the job command they hand to spark-submit is one
 * the jobs accept, and every bad option is refused with its name.
 */
class DeploySubmitScriptsTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();

    @TempDir
    Path dir;

    @Test
    void yarnSizesTheContainersFromTheOptionsAndSubmitsAJobCommandTheJobAccepts() throws Exception {
        Path jar = Files.createFile(dir.resolve("job.jar"));
        Result r = run("deploy/yarn/submit.sh", "--jar", jar.toString(), "--config", "conf/tasn-cpu.conf",
                "--executors", "3", "--executor-memory", "5g", "--memory-overhead", "7g", "--dry-run",
                "train", "--data", "hdfs:///tasn/shards", "--output", "hdfs:///tasn/runs/cpu-1", "--epochs", "2");
        assertEquals(0, r.exit(), r.stderr());
        List<String> words = r.words();

        assertEquals("yarn", after(words, "--master"));
        assertEquals("3", after(words, "--num-executors"));
        assertEquals("5g", after(words, "--executor-memory"));
        assertProjectSettingsWithoutReplacingTheClusters(words);
        assertTrue(words.contains("spark.executor.memoryOverhead=7g"), words.toString());
        // JavaCPP's caps: overhead - 1 GB for ND4J, heap + overhead - 1 GB for the process.
        String executorOptions = confValue(words, "spark.executor.extraJavaOptions");
        assertTrue(executorOptions.contains("-Dorg.bytedeco.javacpp.maxbytes=6G"), executorOptions);
        assertTrue(executorOptions.contains("-Dorg.bytedeco.javacpp.maxphysicalbytes=11G"), executorOptions);
        assertTrue(executorOptions.contains("--add-opens=java.base/java.nio=ALL-UNNAMED"), executorOptions);
        String driverOptions = confValue(words, "spark.driver.extraJavaOptions");
        assertTrue(driverOptions.contains("-Dorg.bytedeco.javacpp.maxphysicalbytes=7G"), driverOptions);
        // In cluster mode the config file is shipped beside the driver and named by its file name.
        assertEquals(ROOT.resolve("conf/tasn-cpu.conf").toString(), after(words, "--files"));

        List<String> job = words.subList(words.indexOf(jar.toString()) + 1, words.size());
        assertEquals(List.of("train", "--config", "tasn-cpu.conf", "--data", "hdfs:///tasn/shards",
                "--output", "hdfs:///tasn/runs/cpu-1", "--epochs", "2"), job);
        ParseResult parsed = TasnMain.commandLine().parseArgs(job.toArray(String[]::new));
        assertEquals("hdfs:///tasn/runs/cpu-1", parsed.subcommand().matchedOptionValue("--output", ""));
    }

    @Test
    void kubernetesRunsTheImagesJarWithTheImagesConfigAndTheSameMemoryCaps() throws Exception {
        Result r = run("deploy/k8s/submit.sh", "--master", "k8s://https://api.example:6443",
                "--image", "registry.example/tasn-spark:0.1.0", "--config", "tasn-cpu.conf", "--dry-run",
                "score", "--model", "s3a://b/run/model.zip", "--input", "s3a://b/images", "--output", "s3a://b/report");
        assertEquals(0, r.exit(), r.stderr());
        List<String> words = r.words();

        assertEquals("k8s://https://api.example:6443", after(words, "--master"));
        assertTrue(words.contains("spark.kubernetes.container.image=registry.example/tasn-spark:0.1.0"), words.toString());
        assertTrue(words.contains("spark.kubernetes.executor.podTemplateFile=" + ROOT.resolve("deploy/k8s/pod-template.yaml")),
                words.toString());
        assertProjectSettingsWithoutReplacingTheClusters(words);
        String executorOptions = confValue(words, "spark.executor.extraJavaOptions");
        assertTrue(executorOptions.contains("-Dorg.bytedeco.javacpp.maxbytes=5G"), executorOptions);
        assertTrue(executorOptions.contains("-Dorg.bytedeco.javacpp.maxphysicalbytes=9G"), executorOptions);
        assertTrue(executorOptions.contains("-Dorg.bytedeco.javacpp.cachedir=/opt/tasn/javacpp-cache"), executorOptions);

        List<String> job = words.subList(words.indexOf("local:///opt/tasn/tasn-spark-job.jar") + 1, words.size());
        assertEquals(List.of("score", "--config", "/opt/tasn/conf/tasn-cpu.conf", "--model", "s3a://b/run/model.zip",
                "--input", "s3a://b/images", "--output", "s3a://b/report"), job);
        TasnMain.commandLine().parseArgs(job.toArray(String[]::new));
    }

    @Test
    void everyBadOptionIsRefusedWithItsNameAndExitCodeTwo() throws Exception {
        String k8s = "deploy/k8s/submit.sh";
        String yarn = "deploy/yarn/submit.sh";
        String[] master = {"--master", "k8s://https://api:6443", "--image", "img"};
        assertRefused(yarn, "--executor-memory 4096: expected whole gigabytes", "--executor-memory", "4096", "train");
        assertRefused(yarn, "--executors 0: expected a whole number", "--executors", "0", "train");
        assertRefused(yarn, "the job jar " + dir.resolve("missing.jar") + " is missing: build it with 'mvn -Pjob-jar",
                "--jar", dir.resolve("missing.jar").toString(), "train");
        assertRefused(yarn, "--config no-such.conf: no such file", "--jar", Files.createFile(dir.resolve("j.jar")).toString(),
                "--config", "no-such.conf", "train");
        assertRefused(yarn, "--deploy-mode local: use cluster or client", "--deploy-mode", "local", "train");
        assertRefused(yarn, "no job given", "--executors", "2");
        assertRefused(yarn, "unknown option --no-such-option", "--no-such-option", "2", "train");
        assertRefused(yarn, "--master: this script submits to YARN", "--master=local[2]", "train");
        assertRefused(yarn, "--class: the main class is tasn.cli.TasnMain", "--class", "my.Main", "train");
        assertRefused(yarn, "--kill is a spark-submit action that submits no job", "--kill", "driver-1", "train");
        assertRefused(yarn, "--version: run $SPARK_HOME/bin/spark-submit --version", "--version", "train");
        assertRefused(yarn, "--conf spark.x: expected KEY=VALUE", "--conf", "spark.x", "train");
        assertRefused(yarn, "--properties-file " + dir.resolve("none.conf") + ": no such file",
                "--properties-file=" + dir.resolve("none.conf"), "train");
        assertRefused(k8s, "--deploy-mode: this script submits in cluster mode only", concat(master, "--deploy-mode", "client", "train"));
        assertRefused(k8s, "--status is a spark-submit action", concat(master, "--status=driver-1", "train"));
        assertRefused(k8s, "--jars needs a value", concat(master, "--jars"));
        assertRefused(k8s, "--master (missing): give the API server as k8s://", "--image", "img", "train");
        assertRefused(k8s, "--image is missing", "--master", "k8s://https://api:6443", "train");
        assertRefused(k8s, "--driver-overhead 1g: ND4J needs at least 2g off-heap",
                concat(master, "--driver-overhead", "1g", "train"));
        assertRefused(k8s, "--config conf/tasn-cpu.conf: name a file in the image's /opt/tasn/conf",
                concat(master, "--config", "conf/tasn-cpu.conf", "train"));
        assertRefused(k8s, "--jar /opt/tasn/job.jar: give the jar's place inside the image as local:///PATH",
                concat(master, "--jar", "/opt/tasn/job.jar", "train"));
        assertRefused(k8s, "--namespace needs a value", concat(master, "--namespace"));
    }

    /** The job commands written in deploy/README.md and the scripts' own help are ones the jobs accept. */
    @Test
    void theDocumentedJobCommandsParseAsJobCommands() throws Exception {
        Pattern jobLine = Pattern.compile("^[#\\s]*((?:ingest|train|score|sample) --.*)$", Pattern.MULTILINE);
        int checked = 0;
        for (String file : List.of("deploy/README.md", "deploy/yarn/submit.sh", "deploy/k8s/submit.sh")) {
            Matcher m = jobLine.matcher(Files.readString(ROOT.resolve(file)));
            while (m.find()) {
                String[] args = m.group(1).trim().split("\\s+");
                try {
                    TasnMain.commandLine().parseArgs(args);
                } catch (CommandLine.ParameterException e) {
                    fail(file + ": the documented command '" + m.group(1).trim() + "' is not one the job accepts: " + e.getMessage());
                }
                checked++;
            }
        }
        assertTrue(checked >= 4, "expected the README's and both scripts' examples, found " + checked);
    }

    /** The project's settings come as --conf, with no --properties-file that would replace the cluster's spark-defaults.conf. */
    private static void assertProjectSettingsWithoutReplacingTheClusters(List<String> words) {
        assertFalse(words.contains("--properties-file"), words.toString());
        assertEquals("org.nd4j.kryo.Nd4jRegistrator,tasn.data.RecordKryoRegistrator", confValue(words, "spark.kryo.registrator"));
        assertEquals("tasn.cli.LoggingPlugin", confValue(words, "spark.plugins"));
        assertEquals("false", confValue(words, "spark.dynamicAllocation.enabled"));
        assertEquals("1", confValue(words, "spark.executorEnv.OMP_NUM_THREADS"));
    }

    /** Every spark-submit option the scripts do not set themselves reaches spark-submit, as --opt VALUE or --opt=VALUE. */
    @Test
    void everyOtherSparkSubmitOptionReachesSparkSubmitInBothForms() throws Exception {
        Path jar = Files.createFile(dir.resolve("pass.jar"));
        Path properties = Files.writeString(dir.resolve("mine.conf"), "spark.mine true\n");
        Map<String, List<String>> scripts = Map.of(
                "deploy/yarn/submit.sh", List.of("--jar", jar.toString()),
                "deploy/k8s/submit.sh", List.of("--master", "k8s://https://api:6443", "--image", "img"));
        // The scripts' own options of the same name, and the options they refuse.
        Set<String> notPassed = Set.of("--class", "--kill", "--status", "--usage-error", "--version", "--help", "-h",
                "--master", "--deploy-mode", "--num-executors", "--executor-cores", "--executor-memory", "--driver-memory");
        for (var script : scripts.entrySet()) {
            for (boolean equalsForm : List.of(false, true)) {
                SubmitOptionsLine line = SubmitOptionsLine.of(
                        option -> notPassed.contains(option) || (option.equals("--queue") && script.getKey().contains("yarn")),
                        equalsForm, properties, n -> List.of());
                List<String> args = new ArrayList<>(script.getValue());
                args.addAll(line.args());
                List<List<String>> expected = line.expected();
                args.addAll(List.of("--dry-run", "ingest", "--input", "in", "--output", "out"));
                Result r = run(script.getKey(), args.toArray(String[]::new));
                assertEquals(0, r.exit(), script.getKey() + " " + args + ": " + r.stderr());
                List<String> words = r.words();
                int jarAt = words.indexOf(script.getKey().contains("yarn") ? jar.toString() : "local:///opt/tasn/tasn-spark-job.jar");
                List<String> submit = words.subList(0, jarAt);
                for (List<String> pair : expected) {
                    assertTrue(Collections.indexOfSubList(submit, pair) >= 0, script.getKey() + ": " + pair + " missing from " + submit);
                }
                assertEquals(List.of("ingest", "--input", "in", "--output", "out"), words.subList(jarAt + 1, words.size()));
                // The user's --name replaces the script's.
                assertFalse(words.contains("tasn-ingest"), words.toString());
            }
        }
    }

    @Test
    void theScriptsOwnOptionsTakeBothFormsAndNumExecutorsIsExecutors() throws Exception {
        Path jar = Files.createFile(dir.resolve("own.jar"));
        List<String> words = run("deploy/yarn/submit.sh", "--jar=" + jar, "--num-executors", "3", "--executor-memory=5g",
                "--queue=q1", "--deploy-mode=client", "--dry-run", "train", "--data", "d", "--output", "o").words();
        assertEquals("3", after(words, "--num-executors"));
        assertEquals("5g", after(words, "--executor-memory"));
        assertEquals("q1", after(words, "--queue"));
        assertEquals("client", after(words, "--deploy-mode"));
        assertEquals("tasn-train", after(words, "--name"));
        List<String> k8s = run("deploy/k8s/submit.sh", "--master=k8s://https://api:6443", "--image=img", "--num-executors=5",
                "--namespace=ns", "--dry-run", "train", "--data", "d", "--output", "o").words();
        assertEquals("5", confValue(k8s, "spark.executor.instances"));
        assertEquals("ns", confValue(k8s, "spark.kubernetes.namespace"));
    }

    /** With SPARK_HOME, the cluster's spark-defaults.conf stays for Spark to read; ours is layered on it. */
    @Test
    void theClustersDefaultsAreKeptAndTheProjectsLayeredOnThem() throws Exception {
        Path sparkHome = Files.createDirectories(dir.resolve("spark-home/conf")).getParent();
        Files.writeString(sparkHome.resolve("conf/spark-defaults.conf"), String.join("\n",
                "spark.eventLog.enabled true",
                "spark.kryo.registrator: com.example.ClusterRegistrator",
                "spark.executor.extraJavaOptions=-Dcluster=1",
                "spark.plugins com.example.ClusterPlugin",
                "spark.locality.wait 3s",
                "spark.dynamicAllocation.enabled true", ""));
        Path jar = Files.createFile(dir.resolve("cluster.jar"));
        Path extra = Files.writeString(dir.resolve("extra.txt"), "x");
        Result r = run(Map.of("SPARK_HOME", sparkHome.toString()), "deploy/yarn/submit.sh", "--jar", jar.toString(),
                "--config", "conf/tasn-cpu.conf", "--files", extra.toString(), "--conf", "spark.dynamicAllocation.enabled=true",
                "--dry-run", "train", "--data", "d", "--output", "o");
        List<String> words = r.words();
        assertEquals(sparkHome.resolve("bin/spark-submit").toString(), words.get(0));
        assertFalse(words.contains("--properties-file"), words.toString());
        assertEquals("com.example.ClusterRegistrator,org.nd4j.kryo.Nd4jRegistrator,tasn.data.RecordKryoRegistrator",
                confValue(words, "spark.kryo.registrator"));
        assertEquals("com.example.ClusterPlugin,tasn.cli.LoggingPlugin", confValue(words, "spark.plugins"));
        String executorOptions = confValue(words, "spark.executor.extraJavaOptions");
        assertTrue(executorOptions.startsWith("-Dcluster=1 -XX:+IgnoreUnrecognizedVMOptions"), executorOptions);
        assertTrue(executorOptions.endsWith("-Dorg.bytedeco.javacpp.maxbytes=5G -Dorg.bytedeco.javacpp.maxphysicalbytes=9G"), executorOptions);
        assertTrue(words.stream().noneMatch(w -> w.startsWith("spark.locality.wait=")), "the cluster's default stays: " + words);
        assertEquals(List.of("spark.dynamicAllocation.enabled=true"),
                words.stream().filter(w -> w.startsWith("spark.dynamicAllocation.enabled=")).toList(), "the user's value wins");
        // The user's --files go with the shipped configuration.
        assertEquals(ROOT.resolve("conf/tasn-cpu.conf") + "," + extra, after(words, "--files"));
        assertEquals(1, words.stream().filter("--files"::equals).count(), words.toString());
    }

    @Test
    void theHelpOfBothScriptsNamesEverySparkSubmitOption() throws Exception {
        List<String> all = new ArrayList<>(SparkSubmitOptionNames.withValue());
        all.addAll(SparkSubmitOptionNames.switches());
        for (String script : List.of("deploy/yarn/submit.sh", "deploy/k8s/submit.sh")) {
            Result r = run(script, "--help");
            assertEquals(0, r.exit(), r.stderr());
            for (String option : all) {
                if (!option.equals("--usage-error")) {
                    assertTrue(Pattern.compile("(^|[\\s(,])" + Pattern.quote(option) + "([\\s),.]|$)", Pattern.MULTILINE)
                            .matcher(r.stdout()).find(), script + " --help does not name " + option + ": " + r.stdout());
                }
            }
        }
    }

    private void assertRefused(String script, String message, String... args) throws Exception {
        List<String> withDryRun = new ArrayList<>(List.of("--dry-run"));
        withDryRun.addAll(Arrays.asList(args));
        Result r = run(script, withDryRun.toArray(String[]::new));
        assertEquals(2, r.exit(), script + " " + String.join(" ", args) + ": " + r.stderr());
        assertTrue(r.stderr().contains(message), script + " " + String.join(" ", args) + ": " + r.stderr());
        assertFalse(r.stdout().contains("spark-submit"), "a refused command must not be printed: " + r.stdout());
    }

    private static String[] concat(String[] head, String... tail) {
        List<String> all = new ArrayList<>(Arrays.asList(head));
        all.addAll(Arrays.asList(tail));
        return all.toArray(String[]::new);
    }

    private static String after(List<String> words, String option) {
        int i = words.indexOf(option);
        assertTrue(i >= 0 && i + 1 < words.size(), option + " missing from " + words);
        return words.get(i + 1);
    }

    private static String confValue(List<String> words, String key) {
        return words.stream().filter(w -> w.startsWith(key + "=")).map(w -> w.substring(key.length() + 1))
                .findFirst().orElseThrow(() -> new AssertionError(key + " missing from " + words));
    }

    private record Result(int exit, String stdout, String stderr) {
        /** The printed command split back into its words, as the shell would (the script quotes them with %q). */
        List<String> words() throws IOException, InterruptedException {
            Process p = new ProcessBuilder("bash", "-c", "eval \"set -- $1\"; printf '%s\\0' \"$@\"", "split", stdout.trim())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.waitFor());
            return List.of(out.split("\0"));
        }
    }

    private Result run(String script, String... args) throws IOException, InterruptedException {
        return run(Map.of(), script, args);
    }

    private Result run(Map<String, String> environment, String script, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", script));
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("SPARK_HOME");
        pb.environment().remove("SPARK_CONF_DIR");
        pb.environment().putAll(environment);
        Process p = pb.start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), stdout, stderr);
    }
}
