package tasn.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Child JVMs for the tests that must see a program start and end as a user's would: a fresh
 * class-loading state, the real {@code main}, spark-submit's own exit handling. Every process is
 * waited for with a bound and killed with its descendants when the bound is passed.
 */
final class ChildJvm {
    static final Path ROOT = Path.of(System.getProperty("user.dir"));

    private ChildJvm() {
    }

    /** The java launcher of the JVM running the tests. */
    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** The JVM flags every Spark JVM of the project gets: {@code @conf/java17.flags}. */
    static String java17Flags() {
        return "@" + ROOT.resolve("conf/java17.flags");
    }

    /** The test classpath (surefire sets java.class.path to it in the forked JVM). */
    static String testClasspath() {
        return System.getProperty("java.class.path");
    }

    /**
     * The classpath the embedded launcher of {@code jobs/*.sh} runs with, minus the thin jar:
     * target/classpath.txt (compile and provided scopes: Spark, DL4J, OpenCV, ...).
     */
    static List<String> dependencyClasspath() throws IOException {
        Path file = ROOT.resolve("target/classpath.txt");
        if (!Files.isRegularFile(file)) {
            fail("target/classpath.txt is missing: it is written by mvn's generate-resources phase (mvn test does it)");
        }
        List<String> out = new ArrayList<>();
        for (String entry : Files.readString(file).trim().split(java.io.File.pathSeparator)) {
            if (!entry.isBlank()) {
                out.add(entry);
            }
        }
        return out;
    }

    /** The entry of the test classpath whose file name starts with {@code prefix} (a test-scope jar). */
    static String testClasspathJar(String prefix) {
        for (String entry : testClasspath().split(java.io.File.pathSeparator)) {
            if (Path.of(entry).getFileName().toString().startsWith(prefix)) {
                return entry;
            }
        }
        return fail("no " + prefix + "* jar on the test classpath: " + testClasspath());
    }

    /** The project's version, from pom.xml (the one &lt;version&gt; right after its artifactId). */
    static String pomVersion() throws IOException {
        Matcher m = Pattern.compile("<artifactId>tasn-spark</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        if (!m.find()) {
            fail("pom.xml: no <version> after <artifactId>tasn-spark</artifactId>");
        }
        return m.group(1).trim();
    }

    /**
     * A jar of target/classes (the project's classes and resources, as in the thin jar) whose
     * manifest says Implementation-Title tasn-spark and Implementation-Version {@code version}.
     */
    static Path appJar(Path jar, String version) throws IOException {
        Path classes = ROOT.resolve("target/classes");
        if (!Files.isRegularFile(classes.resolve("tasn/cli/TasnMain.class"))) {
            fail("target/classes has no tasn/cli/TasnMain.class: compile first");
        }
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_TITLE, "tasn-spark");
        manifest.getMainAttributes().put(Attributes.Name.IMPLEMENTATION_VERSION, version);
        Files.createDirectories(jar.getParent());
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            Files.walkFileTree(classes, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    if (!dir.equals(classes)) {
                        out.putNextEntry(new JarEntry(classes.relativize(dir).toString().replace('\\', '/') + "/"));
                        out.closeEntry();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    out.putNextEntry(new JarEntry(classes.relativize(file).toString().replace('\\', '/')));
                    Files.copy(file, out);
                    out.closeEntry();
                    return FileVisitResult.CONTINUE;
                }
            });
        }
        return jar;
    }

    /** What a finished child printed: its exit code and its stdout and stderr, merged, from a file. */
    record Result(int exit, String output, Path log) {
        String tail(int lines) {
            List<String> all = output.lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        }
    }

    /**
     * Runs {@code command} in {@code dir} with {@code env} added, stdout and stderr to {@code log},
     * and waits at most {@code timeout}; a child still running then is killed with everything it
     * started and the test fails with the end of its log.
     */
    static Result run(List<String> command, Map<String, String> env, Path log, Duration timeout) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(env);
        builder.environment().putIfAbsent("SPARK_LOCAL_IP", "127.0.0.1");
        Process process = builder.start();
        try (OutputStream stdin = process.getOutputStream()) {
            // nothing to say: a child that reads stdin sees its end at once
        }
        boolean ended = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (!ended) {
            kill(process);
            String output = Files.readString(log, StandardCharsets.UTF_8);
            fail("still running after " + timeout + " (killed): " + String.join(" ", command) + "\n"
                    + new Result(-1, output, log).tail(60));
        }
        return new Result(process.exitValue(), Files.readString(log, StandardCharsets.UTF_8), log);
    }

    /** {@code call}'s value; an IOException or other checked exception becomes unchecked. */
    static <T> T unchecked(java.util.concurrent.Callable<T> call) {
        try {
            return call.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Kills {@code process} and every process it started, children first. */
    static void kill(Process process) throws Exception {
        List<ProcessHandle> descendants = process.descendants().toList();
        for (ProcessHandle child : descendants) {
            child.destroyForcibly();
        }
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
        for (ProcessHandle child : descendants) {
            child.onExit().get(30, TimeUnit.SECONDS);
        }
    }
}
