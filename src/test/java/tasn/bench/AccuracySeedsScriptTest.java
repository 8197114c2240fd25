package tasn.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** bench/accuracy_seeds.sh refuses bad settings before it ingests or trains anything. */
class AccuracySeedsScriptTest {
    @TempDir
    Path dir;

    @Test
    void refusesANonNumericSeedNamingSeedsAndWritesNothing() throws Exception {
        assertRefusedWithoutWriting("42 seven", "", "SEEDS holds 'seven'");
    }

    @Test
    void refusesASeedInSetNamingTheVariableAndWritesNothing() throws Exception {
        assertRefusedWithoutWriting("42 7", "train.epochs=3 seed=5", "SET holds seed=");
    }

    private void assertRefusedWithoutWriting(String seeds, String set, String message) throws Exception {
        Path work = dir.resolve("work");
        Result r = run(work, seeds, set);
        assertEquals(2, r.exit(), r.stderr());
        assertTrue(r.stderr().contains(message), r.stderr());
        assertFalse(Files.exists(work), "nothing may be written for a refused setting");
    }

    private record Result(int exit, String stderr) {
    }

    private static Result run(Path work, String seeds, String set) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder("bash", "bench/accuracy_seeds.sh", "cub10");
        pb.environment().put("WORK", work.toString());
        pb.environment().put("SEEDS", seeds);
        pb.environment().put("SET", set);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), stderr);
    }
}
