package tasn.train;

import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import tasn.config.ConfigLoader;
import tasn.config.TasnConfig;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rule of docs/resume.md for train.epochs and the schedule keys on --resume: accepted only
 * if every epoch already trained keeps its learning rate and no fewer epochs are asked for than
 * are done.
 */
class ResumeScheduleTest {
    static final Path CHECKPOINT = new Path("file:/runs/r/checkpoints/epoch-000003");

    static TasnConfig config(String... overrides) {
        return ConfigLoader.load(null, List.of(overrides));
    }

    static String problem(int done, List<String> run, List<String> command) {
        return ResumeCheck.scheduleProblem(config(run.toArray(String[]::new)), config(command.toArray(String[]::new)),
                done, CHECKPOINT);
    }

    static List<String> with(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }

    @Test
    void stepAndConstantRunsMayGrowOrShrinkButNotBelowTheEpochsDone() {
        for (String schedule : List.of("train.schedule=constant", "train.schedule=step")) {
            List<String> run = List.of(schedule, "train.epochs=30");
            assertNull(problem(30, run, with(run, "train.epochs=40")), schedule);
            assertNull(problem(12, run, with(run, "train.epochs=12")), schedule);
            String fewer = problem(12, run, with(run, "train.epochs=11"));
            assertTrue(fewer.contains("already trained 12 epochs (checkpoint epoch-000003)")
                    && fewer.contains("train.epochs (--epochs) of 12 or more"), fewer);
        }
    }

    @Test
    void aStepMayMoveWhileNoTrainedEpochIsAffected() {
        List<String> run = List.of("train.schedule=step", "train.epochs=300", "train.learning-rate=0.1",
                "train.step-epochs=[100, 200]", "train.step-factor=0.1");
        assertNull(problem(80, run, with(run, "train.step-epochs=[150]")));
        String late = problem(120, run, with(run, "train.step-epochs=[150]"));
        assertTrue(late.contains("learning rate of epoch 101, already trained at 0.0100000 (the command's schedule gives "
                + "0.100000)"), late);
        assertTrue(!late.contains("--init"), "a step schedule need not start again: " + late);
    }

    @Test
    void aCosineRunTakesANewTotalOnlyWhileOneEpochIsDone() {
        List<String> run = List.of("train.schedule=cosine", "train.epochs=10", "train.learning-rate=0.1");
        assertNull(problem(1, run, with(run, "train.epochs=20")));
        String two = problem(2, run, with(run, "train.epochs=20"));
        assertTrue(two.contains("learning rate of epoch 2") && two.contains("with train.schedule = cosine every epoch's "
                + "rate depends on train.epochs") && two.contains("--init file:/runs/r/checkpoints/epoch-000003/model.zip"),
                two);
    }

    @Test
    void aOneCycleRunTakesANewTotalOnlyWhileItsWarmUpKeepsItsLengthAndTheAnnealingHasNotGoneOn() {
        // 10 epochs: a warm-up of round(0.3 x 10) = 3 epochs; 11 epochs: round(3.3) = 3 as well; 20: 6.
        List<String> run = List.of("train.schedule=one-cycle", "train.epochs=10", "train.learning-rate=0.1",
                "train.warmup-fraction=0.3");
        assertNull(problem(4, run, with(run, "train.epochs=11")));
        String annealing = problem(5, run, with(run, "train.epochs=11"));
        assertTrue(annealing.contains("learning rate of epoch 5") && annealing.contains("one-cycle"), annealing);
        String warmUp = problem(1, run, with(run, "train.epochs=20"));
        assertTrue(warmUp.contains("learning rate of epoch 1, already trained at 0.0250000 (the command's schedule "
                + "gives 0.0142857)"), warmUp);
    }

    @Test
    void anotherLearningRateOrScheduleChangesTheFirstEpoch() {
        List<String> run = List.of("train.schedule=cosine", "train.epochs=10", "train.learning-rate=0.1");
        assertTrue(problem(1, run, with(run, "train.learning-rate=0.2")).contains("epoch 1"));
        assertTrue(problem(3, run, with(run, "train.schedule=constant")).contains("epoch 2"));
    }
}
