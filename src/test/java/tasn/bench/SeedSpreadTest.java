package tasn.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeedSpreadTest {
    @TempDir
    Path dir;

    @Test
    void welchIntervalMatchesStudentsTableForEqualVariances() {
        // Means 2 and 5, variances 1 and 1, n 3 and 3: se = sqrt(2/3), df = 4, t(0.975, 4) = 2.776445.
        SeedSpread.Welch w = SeedSpread.Welch.of(new double[]{1, 2, 3}, new double[]{4, 5, 6});
        assertEquals(-3.0, w.meanDifference(), 1e-12);
        assertEquals(Math.sqrt(2.0 / 3), w.standardError(), 1e-12);
        assertEquals(4.0, w.degreesOfFreedom(), 1e-12);
        assertEquals(-3 - 2.776445 * Math.sqrt(2.0 / 3), w.low(), 1e-5);
        assertEquals(-3 + 2.776445 * Math.sqrt(2.0 / 3), w.high(), 1e-5);
    }

    @Test
    void welchDegreesOfFreedomFollowSatterthwaiteForUnequalVariances() {
        // Variances 1 and 4, n 3 and 3: (1/3 + 4/3)^2 / ((1/3)^2/2 + (4/3)^2/2) = 50/17.
        SeedSpread.Welch w = SeedSpread.Welch.of(new double[]{1, 2, 3}, new double[]{4, 6, 8});
        assertEquals(50.0 / 17, w.degreesOfFreedom(), 1e-12);
        assertEquals(Math.sqrt(5.0 / 3), w.standardError(), 1e-12);
        assertTrue(w.low() < -4 && w.high() > -4 && w.high() - w.low() > 2 * 2.776445 * Math.sqrt(5.0 / 3),
                "fewer degrees of freedom than 4 must widen the interval beyond t(0.975, 4)");
        assertThrows(IllegalArgumentException.class, () -> SeedSpread.Welch.of(new double[]{1}, new double[]{2, 3}));
    }

    @Test
    void summarisesEachSeedsFinalEpochAndTheMeanGainAcrossSeeds() throws IOException {
        // Final test top-1, TASN / baseline: seed 42 0.80 / 0.70, seed 7 0.70 / 0.72, seed 3 0.78 / 0.68.
        Path s42 = seedDir("s42", 42, new double[]{0.5, 0.80}, new double[]{0.6, 0.70});
        Path s7 = seedDir("s7", 7, new double[]{0.4, 0.70}, new double[]{0.5, 0.72});
        Path s3 = seedDir("s3", 3, new double[]{0.3, 0.78}, new double[]{0.2, 0.68});
        JsonNode line = SeedSpread.summary("cub10", List.of(SeedSpread.read(s42), SeedSpread.read(s7), SeedSpread.read(s3)));

        assertEquals(3, line.path("seeds").asInt());
        assertEquals(7, line.path("per_seed").get(1).path("seed").asLong());
        assertEquals(-2.0, line.path("per_seed").get(1).path("gain_points").asDouble(), 1e-9);
        assertEquals(76.0, line.path("tasn_master_top1_mean").asDouble(), 1e-9);
        assertEquals(70.0, line.path("baseline_top1_mean").asDouble(), 1e-9);
        assertEquals(6.0, line.path("gain_points_mean").asDouble(), 1e-9);
        // TASN: 80, 70, 78 -> sd sqrt(28); baseline: 70, 72, 68 -> sd 2.
        assertEquals(Math.round(Math.sqrt(28) * 100) / 100.0, line.path("tasn_master_top1_sd").asDouble(), 1e-9);
        assertEquals(2.0, line.path("baseline_top1_sd").asDouble(), 1e-9);
        assertEquals(Math.round(Math.sqrt(28.0 / 3 + 4.0 / 3) * 100) / 100.0, line.path("gain_points_se").asDouble(), 1e-9);
        assertTrue(line.path("gain_points_ci95_low").asDouble() < 0, "three seeds this spread cannot exclude no gain");
        assertFalse(line.path("per_seed").get(0).has("mcnemar_exact_p"), "no predictions were scored");
    }

    @Test
    void refusesAPairTrainedWithDifferentSeedsNamingTheDirectory() throws IOException {
        Path mixed = seedDir("mixed", 42, new double[]{0.8}, new double[]{0.7});
        Files.writeString(mixed.resolve("baseline/config.conf"), "seed=7\n");
        IOException e = assertThrows(IOException.class, () -> SeedSpread.read(mixed));
        assertTrue(e.getMessage().contains(mixed.toString()) && e.getMessage().contains("seed 7"), e.getMessage());
    }

    @Test
    void refusesASeedDirectoryWithoutAFinishedRunNamingTheMissingConfig() throws IOException {
        Path half = seedDir("half", 42, new double[]{0.8}, new double[]{0.7});
        Files.delete(half.resolve("baseline/config.conf"));
        IOException e = assertThrows(IOException.class, () -> SeedSpread.read(half));
        assertTrue(e.getMessage().contains(half.resolve("baseline/config.conf").toString())
                && e.getMessage().contains("not a finished train-job run directory"), e.getMessage());
    }

    /** DIR/tasn and DIR/baseline run directories: config.conf with the seed, and metrics.jsonl epoch lines. */
    private Path seedDir(String name, long seed, double[] tasnTop1, double[] baselineTop1) throws IOException {
        Path d = dir.resolve(name);
        run(d.resolve("tasn"), seed, tasnTop1);
        run(d.resolve("baseline"), seed, baselineTop1);
        return d;
    }

    private static void run(Path run, long seed, double[] top1) throws IOException {
        Files.createDirectories(run);
        Files.writeString(run.resolve("config.conf"), "data { copies = 8 }\nseed=" + seed + "\n");
        StringBuilder metrics = new StringBuilder("{\"event\":\"iteration\",\"iteration\":1,\"loss\":2.0}\n");
        for (int e = 0; e < top1.length; e++) {
            metrics.append("{\"event\":\"epoch\",\"epoch\":").append(e + 1)
                    .append(",\"eval\":{\"test\":{\"head_master\":{\"top1\":").append(top1[e])
                    .append(",\"images\":50}}}}\n");
        }
        Files.writeString(run.resolve("metrics.jsonl"), metrics);
    }
}
