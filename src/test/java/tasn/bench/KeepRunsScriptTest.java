package tasn.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bench/keep_runs.sh keeps what tasn.bench.SeedSpread needs of a finished accuracy pair, so that
 * the summary over seeds made from the kept copy equals the one made from the run directories.
 */
class KeepRunsScriptTest {
    @TempDir
    Path dir;

    @Test
    void keptPairsGiveTheSameSeedSummaryAsTheRunDirectories() throws Exception {
        Path s42 = finishedPair("work/seed-42/cub10", 42, 0.80, 0.70, new int[]{0, 0, 1, 1}, new int[]{0, 1, 1, 1});
        Path s7 = finishedPair("work/seed-7/cub10", 7, 0.74, 0.72, new int[]{0, 1, 0, 1}, new int[]{1, 1, 1, 0});
        Path dest = dir.resolve("kept");

        Result r = run(dest, s42, s7);

        assertEquals(0, r.exit(), r.stderr());
        String fromRuns = SeedSpread.summary("cub10", List.of(SeedSpread.read(s42), SeedSpread.read(s7))).toString();
        String fromKept = SeedSpread.summary("cub10",
                List.of(SeedSpread.read(dest.resolve("seed-42")), SeedSpread.read(dest.resolve("seed-7")))).toString();
        assertEquals(fromRuns, fromKept);
        assertTrue(fromKept.contains("mcnemar_exact_p"), "the test-split predictions must be kept: " + fromKept);
        assertTrue(Files.exists(dest.resolve("seed-7/ingest/dataset.json")));
        assertTrue(Files.exists(dest.resolve("seed-7/tasn.time")));
        assertFalse(Files.exists(dest.resolve("seed-7/tasn/model.zip")), "models are not kept: they are too large to commit");
        try (Stream<Path> left = Files.list(dest)) {
            assertEquals(List.of("seed-42", "seed-7"), left.map(p -> p.getFileName().toString()).sorted().toList(),
                    "no temporary directory may be left behind");
        }
    }

    @Test
    void refusesAPairWithoutScoredPredictionsNamingTheFileAndKeepsNothing() throws Exception {
        Path good = finishedPair("work/seed-42/cub10", 42, 0.80, 0.70, new int[]{0}, new int[]{0});
        Path unscored = finishedPair("work/seed-7/cub10", 7, 0.74, 0.72, new int[]{0}, new int[]{0});
        Files.delete(unscored.resolve("baseline-test-predictions/predictions.csv"));
        Path dest = dir.resolve("kept");

        Result r = run(dest, good, unscored);

        assertEquals(2, r.exit(), r.stderr());
        assertTrue(r.stderr().contains(unscored.resolve("baseline-test-predictions/predictions.csv").toString()), r.stderr());
        assertFalse(Files.exists(dest), "a refused call must not keep the other, good pair either");
    }

    @Test
    void refusesToReplaceAKeptSeed() throws Exception {
        Path s42 = finishedPair("work/seed-42/cub10", 42, 0.80, 0.70, new int[]{0}, new int[]{0});
        Path dest = dir.resolve("kept");
        assertEquals(0, run(dest, s42).exit());
        String before = Files.readString(dest.resolve("seed-42/tasn/metrics.jsonl"));

        Path again = finishedPair("other/seed-42/cub10", 42, 0.60, 0.70, new int[]{0}, new int[]{0});
        Result r = run(dest, again);

        assertEquals(2, r.exit(), r.stderr());
        assertTrue(r.stderr().contains(dest.resolve("seed-42") + " exists"), r.stderr());
        assertEquals(before, Files.readString(dest.resolve("seed-42/tasn/metrics.jsonl")));
    }

    @Test
    void refusesAnUnfinishedRunAMissingOrMismatchedSeedAndARepeatedSeedKeepingNothing() throws Exception {
        Path dest = dir.resolve("kept");

        Path unfinished = finishedPair("a/seed-42/cub10", 42, 0.80, 0.70, new int[]{0}, new int[]{0});
        Files.delete(unfinished.resolve("tasn/model.zip"));
        Result r = run(dest, unfinished);
        assertEquals(2, r.exit(), r.stderr());
        assertTrue(r.stderr().contains(unfinished + " has a run without model.zip"), r.stderr());

        Path mixed = finishedPair("b/seed-42/cub10", 42, 0.80, 0.70, new int[]{0}, new int[]{0});
        Files.writeString(mixed.resolve("baseline/config.conf"), "seed=7\n");
        r = run(dest, mixed);
        assertEquals(2, r.exit(), r.stderr());
        assertTrue(r.stderr().contains(mixed + ": the TASN and baseline runs were trained with different seeds"), r.stderr());

        Path seedless = finishedPair("e/seed-42/cub10", 42, 0.80, 0.70, new int[]{0}, new int[]{0});
        Files.writeString(seedless.resolve("tasn/config.conf"), "data {\n    copies=8\n}\n");
        r = run(dest, seedless);
        assertEquals(2, r.exit(), r.stderr());
        assertTrue(r.stderr().contains(seedless.resolve("tasn/config.conf") + " has no top-level seed"), r.stderr());

        Path first = finishedPair("c/seed-42/cub10", 42, 0.80, 0.70, new int[]{0}, new int[]{0});
        Path second = finishedPair("d/seed-42/cub10", 42, 0.60, 0.70, new int[]{0}, new int[]{0});
        r = run(dest, first, second);
        assertEquals(2, r.exit(), r.stderr());
        assertTrue(r.stderr().contains("two SEED_DIRs have seed 42"), r.stderr());

        r = run(dest);
        assertEquals(2, r.exit(), r.stderr());
        assertTrue(r.stderr().startsWith("usage: bench/keep_runs.sh DEST SEED_DIR..."), r.stderr());

        assertFalse(Files.exists(dest), "no refused call may keep anything");
    }

    /** WORK/seed-N/SET as bench/accuracy.sh leaves it: both runs finished, the test split scored. */
    private Path finishedPair(String name, long seed, double tasnTop1, double baselineTop1,
                              int[] tasnPredicted, int[] baselinePredicted) throws IOException {
        Path d = dir.resolve(name);
        finishedRun(d, "tasn", seed, tasnTop1, tasnPredicted);
        finishedRun(d, "baseline", seed, baselineTop1, baselinePredicted);
        Files.createDirectories(d.resolve("shards"));
        Files.writeString(d.resolve("shards/config.conf"), "data { copies = 8 }\nseed=42\n");
        Files.writeString(d.resolve("shards/dataset.json"), "{\"schema_version\":1}\n");
        return d;
    }

    private static void finishedRun(Path d, String name, long seed, double top1, int[] predicted) throws IOException {
        Path run = Files.createDirectories(d.resolve(name));
        Files.writeString(run.resolve("config.conf"), "data {\n    copies=8\n}\nseed=" + seed + "\n");
        Files.writeString(run.resolve("metrics.jsonl"),
                "{\"event\":\"epoch\",\"epoch\":1,\"eval\":{\"test\":{\"head_master\":{\"top1\":" + top1 + ",\"images\":4}}}}\n");
        Files.write(run.resolve("model.zip"), new byte[]{1, 2, 3});
        Files.writeString(d.resolve(name + ".time"), "\tMaximum resident set size (kbytes): 1000\n");
        Path predictions = Files.createDirectories(d.resolve(name + "-test-predictions")).resolve("predictions.csv");
        PredictionsCsvFixture.write(predictions, 1, predicted, -1);
    }

    private record Result(int exit, String stderr) {
    }

    private static Result run(Path dest, Path... seedDirs) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("bash", "bench/keep_runs.sh", dest.toString()));
        for (Path s : seedDirs) {
            command.add(s.toString());
        }
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String stderr = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), stderr);
    }
}
