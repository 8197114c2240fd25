package tasn.cli;

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
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * deploy/yarn/submit.sh and deploy/k8s/submit.sh, through their --dry-run (there is no YARN or
 * Kubernetes cluster here): the containers are sized as docs/sizing.md says, the Spark settings
 * are the tested conf/spark-defaults.conf, the job command they hand to spark-submit is one the
 * jobs accept, and every bad option is refused with its name.
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
        assertEquals(ROOT.resolve("conf/spark-defaults.conf").toString(), after(words, "--properties-file"));
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
        assertEquals(ROOT.resolve("conf/spark-defaults.conf").toString(), after(words, "--properties-file"));
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
        assertRefused(yarn, "unknown option --num-executors", "--num-executors", "2", "train");
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
        List<String> command = new ArrayList<>(List.of("bash", script));
        command.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("SPARK_HOME");
        Process p = pb.start();
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), stdout, stderr);
    }
}
