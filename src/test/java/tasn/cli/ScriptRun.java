package tasn.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs one of the project's scripts as a user would, with the environment given, and keeps its outputs. */
record ScriptRun(int exit, String stdout, String stderr) {
    static final Path ROOT = Path.of("").toAbsolutePath();

    static ScriptRun run(Map<String, String> environment, List<String> command) throws IOException, InterruptedException {
        return run(environment, command, 10);
    }

    static ScriptRun run(Map<String, String> environment, List<String> command, int minutes) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
        pb.environment().remove("SPARK_HOME");
        pb.environment().remove("SPARK_CONF_DIR");
        pb.environment().remove("TASN_JOB_JAR");
        pb.environment().remove("TASN_DRY_RUN");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().putAll(environment);
        Process p = pb.start();
        CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        if (!p.waitFor(minutes, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            throw new AssertionError(String.join(" ", command) + " did not end in " + minutes + " minutes; stderr: " + err.join());
        }
        return new ScriptRun(p.exitValue(), out.join(), err.join());
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The command a --dry-run (or TASN_DRY_RUN=1) printed, split back into its words as the shell would. */
    List<String> words() throws IOException, InterruptedException {
        assertEquals(0, exit, "the script failed: " + stderr);
        Process p = new ProcessBuilder("bash", "-c", "eval \"set -- $1\"; printf '%s\\0' \"$@\"", "split", stdout.trim())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        return List.of(out.split("\0"));
    }

    /** The values of every `--conf KEY=VALUE` of a command, by key (the last one wins, as in Spark). */
    static Map<String, String> confs(List<String> words) {
        Map<String, String> confs = new java.util.LinkedHashMap<>();
        for (int i = 0; i + 1 < words.size(); i++) {
            if (words.get(i).equals("--conf")) {
                String pair = words.get(i + 1);
                assertTrue(pair.contains("="), pair);
                confs.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
            }
        }
        return confs;
    }

    /** target/classes as a jar in DIR: the thin job jar, without a nested Maven build while the tests run. */
    static Path classesJar(Path dir) throws IOException {
        Path classes = ROOT.resolve("target/classes");
        Path jar = dir.resolve("tasn-classes.jar");
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(java.nio.file.Files.newOutputStream(jar));
             java.util.stream.Stream<Path> files = java.nio.file.Files.walk(classes)) {
            for (Path file : (Iterable<Path>) files.filter(java.nio.file.Files::isRegularFile).sorted()::iterator) {
                out.putNextEntry(new java.util.jar.JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                java.nio.file.Files.copy(file, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    /** The Maven class path of the project's dependencies (target/classpath.txt, written by the build). */
    static String dependencyClasspath() throws IOException {
        return java.nio.file.Files.readString(ROOT.resolve("target/classpath.txt")).trim();
    }

    static List<String> command(String... words) {
        return new ArrayList<>(List.of(words));
    }
}
