package tasn.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --help} and {@code --version} of every job, and command lines refused with exit 2,
 * answer without loading ND4J, DL4J or OpenCV (JavaCPP): checked in a fresh JVM whose class
 * loading is logged ({@link HelpProbe}), through the real {@code TasnMain.main}. This covers
 * building the picocli model of every command class (field types, static initialisers,
 * default values): each main call builds it.
 */
class FastHelpTest {
    /** Packages whose loading means ND4J, DL4J or OpenCV's natives are on their way in. */
    static final List<String> HEAVY = List.of("org.nd4j.", "org.deeplearning4j.", "org.bytedeco.", "org.opencv.",
            "org.datavec.");
    private static final Pattern LOADED = Pattern.compile("\\[class,load\\s*\\]\\s+(\\S+)");

    @TempDir
    Path dir;

    @Test
    void helpVersionAndUsageErrorsLoadNoNd4jNorOpenCv() throws Exception {
        ChildJvm.Result r = ChildJvm.run(List.of(ChildJvm.java(), "-Xlog:class+load=info:stdout", "-cp",
                ChildJvm.testClasspath(), HelpProbe.class.getName()), Map.of(), dir.resolve("probe.log"), Duration.ofMinutes(3));
        assertEquals(0, r.exit(), "the probe failed:\n" + r.tail(40));

        Map<String, List<String>> heavyByInvocation = new LinkedHashMap<>();
        String current = "(JVM start)";
        for (String line : r.output().lines().toList()) {
            if (line.startsWith(HelpProbe.MARK)) {
                current = line.substring(HelpProbe.MARK.length());
                heavyByInvocation.put(current, new ArrayList<>());
                continue;
            }
            Matcher m = LOADED.matcher(line);
            if (m.find() && HEAVY.stream().anyMatch(m.group(1)::startsWith)) {
                heavyByInvocation.computeIfAbsent(current, k -> new ArrayList<>()).add(m.group(1));
            }
        }
        List<String> expected = new ArrayList<>();
        HelpProbe.helpAndVersion().forEach(l -> expected.add(String.join(" ", l)));
        HelpProbe.usageErrors().forEach(l -> expected.add(String.join(" ", l)));
        assertTrue(heavyByInvocation.keySet().containsAll(expected), "not every invocation ran: " + heavyByInvocation.keySet());
        assertTrue(heavyByInvocation.containsKey("end"), "the probe did not reach its end:\n" + r.tail(40));

        List<String> control = heavyByInvocation.remove(HelpProbe.CONTROL);
        heavyByInvocation.remove("end");
        heavyByInvocation.values().removeIf(List::isEmpty);
        assertEquals(Map.of(), heavyByInvocation, "ND4J/DL4J/OpenCV classes loaded by help, version or a usage error");
        // The control proves the log shows such classes when they are loaded.
        assertTrue(control.contains("org.nd4j.linalg.factory.Nd4j") && control.contains("org.bytedeco.opencv.global.opencv_core"),
                "the class-load log did not show the control's classes: " + control);
    }
}
