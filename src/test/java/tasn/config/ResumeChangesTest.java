package tasn.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which keys differ between a run's saved configuration and a --resume command line's, and what each may do. */
class ResumeChangesTest {
    static final List<String> SETS = List.of("train.workers=2", "train.batch-size-per-worker=3", "train.epochs=2");

    /** The configuration as the train job writes it to RUN_DIR/config.conf, and reads it back on --resume. */
    static TasnConfig saved(TasnConfig config) {
        return ConfigLoader.fromRendered(config.render());
    }

    static Map<String, ResumeChanges.Change> byKey(List<ResumeChanges.Change> changes) {
        return changes.stream().collect(Collectors.toMap(ResumeChanges.Change::key, c -> c));
    }

    @Test
    void theCommandThatStartedTheRunComparesEqualToItsSavedConfig(@TempDir Path dir) throws Exception {
        TasnConfig run = saved(ConfigLoader.load("tiny", SETS));
        assertEquals(List.of(), ResumeChanges.between(run, ConfigLoader.load("tiny", SETS)));
        // The same values spelt otherwise: a file holding the preset's keys, numbers written as doubles or
        // strings, an enumerated value in capitals.
        Path file = dir.resolve("mine.conf");
        Files.writeString(file, "name = tiny\ndata.raw-size = 64.0\ntrain { optimizer = NESTEROV, learning-rate = 5e-2, "
                + "schedule = cosine, averaging-frequency = \"2\" }\n");
        assertEquals(List.of(), ResumeChanges.between(run, ConfigLoader.load(file.toString(), SETS)));
        // --resume without --config: the saved config is the base, and --set restating a value changes nothing.
        Path savedFile = dir.resolve("config.conf");
        Files.writeString(savedFile, run.render());
        assertEquals(List.of(), ResumeChanges.between(run, ConfigLoader.load(savedFile.toString(), List.of("seed=42"))));
    }

    @Test
    void everyDifferingKeyIsNamedWithBothValuesAndItsKind() {
        TasnConfig run = saved(ConfigLoader.load("tiny", SETS));
        TasnConfig command = ConfigLoader.load("tiny", List.of("train.workers=2", "train.batch-size-per-worker=4",
                "train.epochs=5", "seed=7", "model.backbone.width=16", "data.copies=3", "train.keep-checkpoints=9",
                "score.batch-size=4", "train.step-epochs=[1]"));
        Map<String, ResumeChanges.Change> changes = byKey(ResumeChanges.between(run, command));
        assertEquals(java.util.Set.of("train.batch-size-per-worker", "train.epochs", "seed", "model.backbone.width",
                "data.copies", "train.keep-checkpoints", "score.batch-size", "train.step-epochs"), changes.keySet());
        assertEquals(new ResumeChanges.Change("train.batch-size-per-worker", "3", "4", ResumeChanges.Kind.CONFLICT),
                changes.get("train.batch-size-per-worker"));
        assertEquals(new ResumeChanges.Change("seed", "42", "7", ResumeChanges.Kind.CONFLICT), changes.get("seed"));
        assertEquals(ResumeChanges.Kind.CONFLICT, changes.get("model.backbone.width").kind());
        assertEquals(ResumeChanges.Kind.CONFLICT, changes.get("data.copies").kind());
        assertEquals(new ResumeChanges.Change("train.epochs", "2", "5", ResumeChanges.Kind.SCHEDULE), changes.get("train.epochs"));
        assertEquals(new ResumeChanges.Change("train.step-epochs", "[100, 200]", "[1]", ResumeChanges.Kind.SCHEDULE),
                changes.get("train.step-epochs"));
        assertEquals(ResumeChanges.Kind.OPERATIONAL, changes.get("train.keep-checkpoints").kind());
        assertEquals(ResumeChanges.Kind.OPERATIONAL, changes.get("score.batch-size").kind());
        assertTrue(changes.get("seed").toString().equals("seed: the run has 42, the command gives 7"),
                changes.get("seed").toString());
    }

    @Test
    void anotherPresetDiffersInItsModelAndTrainingKeys() {
        TasnConfig run = saved(ConfigLoader.load("tiny", SETS));
        Map<String, ResumeChanges.Change> changes = byKey(ResumeChanges.between(run, ConfigLoader.load("cpu", SETS)));
        assertEquals(new ResumeChanges.Change("name", "tiny", "cpu", ResumeChanges.Kind.CONFLICT), changes.get("name"));
        assertEquals(new ResumeChanges.Change("data.raw-size", "64", "224", ResumeChanges.Kind.CONFLICT),
                changes.get("data.raw-size"));
        assertEquals(ResumeChanges.Kind.CONFLICT, changes.get("model.attention.stem").kind());
        assertEquals(ResumeChanges.Kind.CONFLICT, changes.get("train.weight-decay").kind());
        // tiny and cpu share the optimiser and schedule: those are not named.
        assertTrue(!changes.containsKey("train.optimizer") && !changes.containsKey("train.schedule"), changes.keySet().toString());
    }

    @Test
    void onlyTheDocumentedKeysMayChangeEveryOtherKeyIsAConflict() {
        java.util.Set<String> operational = new java.util.TreeSet<>();
        java.util.Set<String> schedule = new java.util.TreeSet<>();
        for (java.util.Map.Entry<String, com.typesafe.config.ConfigValue> e : ConfigLoader.reference().entrySet()) {
            switch (ResumeChanges.kind(e.getKey())) {
                case OPERATIONAL -> operational.add(e.getKey());
                case SCHEDULE -> schedule.add(e.getKey());
                case CONFLICT -> { }
            }
        }
        // As docs/resume.md lists them.
        assertEquals(java.util.Set.of("train.keep-checkpoints", "train.log-every-iterations", "train.eval-batch-size",
                "train.prefetch-batches", "model.num-classes", "score.batch-size", "score.channel-mean"), operational);
        assertEquals(java.util.Set.of("train.epochs", "train.learning-rate", "train.schedule", "train.step-epochs",
                "train.step-factor", "train.min-learning-rate", "train.warmup-fraction"), schedule);
        for (String key : List.of("seed", "name", "data.raw-size", "data.augment.enabled", "model.sampler.dense",
                "train.workers", "train.averaging-frequency", "train.average-updaters", "train.optimizer", "train.momentum",
                "train.weight-decay", "a.key.added.later")) {
            assertEquals(ResumeChanges.Kind.CONFLICT, ResumeChanges.kind(key), key);
        }
    }
}
