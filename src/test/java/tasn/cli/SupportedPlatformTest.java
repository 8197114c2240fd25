package tasn.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jobs refuse, with exit code 2 and a reason, a platform the build has no natives for. */
class SupportedPlatformTest {
    @TempDir
    Path dir;

    @Test
    void onlyLinuxOnX8664IsAccepted() {
        assertTrue(SupportedPlatform.refusal("Linux", "amd64").isEmpty());
        assertTrue(SupportedPlatform.refusal("Linux", "x86_64").isEmpty());
        for (String[] other : new String[][]{{"Linux", "aarch64"}, {"Mac OS X", "aarch64"}, {"Mac OS X", "x86_64"},
                {"Windows 11", "amd64"}, {"Linux", "ppc64le"}}) {
            String why = SupportedPlatform.refusal(other[0], other[1]).orElseThrow();
            assertTrue(why.contains(other[0] + " " + other[1]) && why.contains("Linux x86-64 only"), why);
        }
    }

    /** A JVM that reports another architecture (as JavaCPP would see it) refuses a job, not help. */
    @Test
    void aJobOnAnotherArchitectureExitsWithCode2BeforeLoadingNativesWhileHelpStillAnswers() throws Exception {
        List<String> job = List.of(ChildJvm.java(), "-Dos.arch=aarch64", "-Xlog:class+load=info:stdout", "-cp",
                ChildJvm.testClasspath(), TasnMain.class.getName(), "ingest", "--input", dir.toString(),
                "--layout", "imagefolder", "--output", dir.resolve("out").toString());
        ChildJvm.Result refused = ChildJvm.run(job, Map.of(), dir.resolve("job.log"), Duration.ofMinutes(3));
        assertEquals(2, refused.exit(), refused.tail(30));
        assertTrue(refused.output().contains("runs on Linux x86-64 only, and this JVM runs on Linux aarch64"), refused.tail(30));
        assertFalse(refused.output().lines().anyMatch(l -> l.contains("[class,load") && FastHelpTest.HEAVY.stream()
                .anyMatch(l::contains)), "ND4J/OpenCV classes were loaded before the refusal");

        ChildJvm.Result help = ChildJvm.run(List.of(ChildJvm.java(), "-Dos.arch=aarch64", "-cp", ChildJvm.testClasspath(),
                TasnMain.class.getName(), "ingest", "--help"), Map.of(), dir.resolve("help.log"), Duration.ofMinutes(3));
        assertEquals(0, help.exit(), help.tail(30));
        assertTrue(help.output().contains("--layout"), help.tail(30));
    }
}
