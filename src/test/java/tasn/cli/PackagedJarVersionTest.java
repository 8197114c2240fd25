package tasn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The jars the build packages carry the pom's version in their manifest (maven-jar-plugin's
 * Implementation-Version; the shade plugin's for the job jar), and {@code --version} run from
 * them prints it. The jars exist only after {@code mvn package} (thin) and
 * {@code mvn -Pjob-jar package} (shaded): a plain {@code mvn test} on a clean tree skips these
 * checks (reported as skipped, not passed), and so does a jar older than pom.xml or any file of
 * src/main, whose manifest and classes may predate the sources (the rule by which
 * jobs/_launch.sh rebuilds). .ci/run builds both jars before it runs the tests.
 */
class PackagedJarVersionTest {
    @TempDir
    Path dir;

    private static Path freshJar(String suffix) throws IOException {
        String version = ChildJvm.pomVersion();
        Path jar = ChildJvm.ROOT.resolve("target/tasn-spark-" + version + suffix + ".jar");
        assumeTrue(Files.isRegularFile(jar), jar + " is not built (mvn" + (suffix.isEmpty() ? "" : " -Pjob-jar")
                + " -DskipTests package builds it)");
        FileTime built = Files.getLastModifiedTime(jar);
        try (Stream<Path> sources = Stream.concat(Stream.of(ChildJvm.ROOT.resolve("pom.xml")),
                Files.walk(ChildJvm.ROOT.resolve("src/main")))) {
            List<Path> newer = sources.filter(Files::isRegularFile)
                    .filter(p -> ChildJvm.unchecked(() -> Files.getLastModifiedTime(p)).compareTo(built) > 0).limit(3).toList();
            assumeTrue(newer.isEmpty(), jar + " is older than " + newer + ": package again");
        }
        return jar;
    }

    private void check(Path jar) throws Exception {
        String version = ChildJvm.pomVersion();
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            assertEquals(version, manifest.getMainAttributes().getValue("Implementation-Version"), jar + " manifest");
        }
        ChildJvm.Result r = ChildJvm.run(List.of(ChildJvm.java(), "-cp",
                jar + java.io.File.pathSeparator + String.join(java.io.File.pathSeparator, ChildJvm.dependencyClasspath()),
                "tasn.cli.TasnMain", "train", "--version"), Map.of(), dir.resolve("version.log"), Duration.ofMinutes(2));
        assertEquals(0, r.exit(), r.tail(20));
        assertTrue(r.output().lines().anyMatch(("tasn-spark " + version)::equals), r.tail(20));
    }

    @Test
    void theThinJarCarriesTheVersion() throws Exception {
        check(freshJar(""));
    }

    @Test
    void theJobJarCarriesTheVersion() throws Exception {
        check(freshJar("-job"));
    }
}
