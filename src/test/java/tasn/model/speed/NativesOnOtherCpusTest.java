package tasn.model.speed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The shipped natives run on an x86-64 CPU older than the one the tests run on. The model is
 * trained for two steps in a JVM run by QEMU's user-mode emulator as an Intel Westmere (SSE4.2,
 * no AVX, AVX2 or AVX-512: a CPU that executes no instruction newer than that), and must load
 * the same native build, switch the oneDNN helpers on and compute the same numbers as on this
 * machine's own CPU. (On that emulated CPU the -onednn-avx2 build dies with SIGILL at load:
 * docs/natives.md.) Needs {@code qemu-x86_64} (Debian: {@code apt-get install qemu-user});
 * .ci/run installs it. Slow: the emulated JVM takes about two minutes.
 */
@Tag("slow")
class NativesOnOtherCpusTest {

    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final String QEMU = "qemu-x86_64";
    private static final String OLD_CPU = "Westmere";

    @Test
    void theShippedNativesTrainTheModelOnACpuWithoutAvxAsOnThisOne() throws Exception {
        assertTrue(onPath(QEMU), QEMU + " is not on PATH: install QEMU's user-mode emulator "
                + "(Debian: apt-get install qemu-user); .ci/run does");
        String emulatedAvx = run(List.of(QEMU, "-cpu", OLD_CPU, java(), "-XX:+PrintFlagsFinal", "-version"), 300);
        assertTrue(emulatedAvx.matches("(?s).*\\bUseAVX\\s+= 0\\b.*"),
                "the JVM under " + QEMU + " -cpu " + OLD_CPU + " should see a CPU without AVX:\n" + emulatedAvx);

        JsonNode here = smoke(List.of());
        JsonNode old = smoke(List.of(QEMU, "-cpu", OLD_CPU));

        for (JsonNode result : List.of(here, old)) {
            assertEquals(NativeBuild.SHIPPED, result.get("native_build").asText(), result.toString());
            assertTrue(result.get("onednn_helpers").asBoolean(), result.toString());
        }
        // SSE and AVX kernels sum in different orders: equal to float rounding before training,
        // and within a small drift after two steps.
        assertEquals(here.get("loss_before").asDouble(), old.get("loss_before").asDouble(),
                1e-4 * Math.abs(here.get("loss_before").asDouble()), "loss before training, " + here + " vs " + old);
        assertEquals(here.get("loss_after").asDouble(), old.get("loss_after").asDouble(),
                2e-2 * Math.abs(here.get("loss_after").asDouble()), "loss after two steps, " + here + " vs " + old);
        assertEquals(here.get("master_true_class").asDouble(), old.get("master_true_class").asDouble(), 1e-2,
                "master head's probability of the true class, " + here + " vs " + old);
    }

    /** Runs {@link NativeSmoke} in a child JVM, behind {@code prefix} (an emulator or nothing). */
    private static JsonNode smoke(List<String> prefix) throws Exception {
        List<String> command = new ArrayList<>(prefix);
        command.add(java());
        command.add("@" + ROOT.resolve("conf/java17.flags"));
        if (!prefix.isEmpty()) {
            command.add("-XX:TieredStopAtLevel=1"); // the C1 compiler only: emulated JIT time halves
        }
        command.add("-Xmx2g");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(NativeSmoke.class.getName());
        String out = run(command, 1500);
        String json = out.lines().filter(l -> l.startsWith("{\"native_build\"")).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no result line from " + String.join(" ", prefix) + " java:\n" + out));
        return new ObjectMapper().readTree(json);
    }

    private static String run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        Path log = Files.createTempFile("tasn-natives", ".log");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new AssertionError("timed out after " + timeoutSeconds + " s: " + String.join(" ", command.subList(0, 3)));
            }
            String out = Files.readString(log, StandardCharsets.UTF_8);
            assertEquals(0, process.exitValue(), "exit code of " + String.join(" ", command.subList(0, Math.min(3, command.size())))
                    + ":\n" + tail(out));
            return out;
        } finally {
            Files.deleteIfExists(log);
        }
    }

    private static String tail(String text) {
        return text.length() <= 4000 ? text : text.substring(text.length() - 4000);
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static boolean onPath(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
