package tasn.train;

import org.junit.jupiter.api.Test;
import tasn.config.ConfigException;
import tasn.config.ConfigLoader;
import tasn.config.TrainConfig;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LearningRateScheduleTest {
    static LearningRateSchedule schedule(String... overrides) {
        TrainConfig train = ConfigLoader.load(null, List.of(overrides)).train();
        return new LearningRateSchedule(train);
    }

    @Test
    void stepDecayMultipliesAtTheGivenEpochsAsTheReferenceRecipe() {
        LearningRateSchedule s = schedule("train.epochs=300", "train.schedule=step", "train.learning-rate=0.1",
                "train.step-epochs=[100, 200]", "train.step-factor=0.1");
        assertEquals(0.1, s.rate(0), 1e-12);
        assertEquals(0.1, s.rate(99), 1e-12);
        assertEquals(0.01, s.rate(100), 1e-12);
        assertEquals(0.001, s.rate(299), 1e-12);
    }

    @Test
    void cosineDecayStartsAtTheRateAndFallsHalfACosineToTheFloor() {
        LearningRateSchedule s = schedule("train.epochs=10", "train.schedule=cosine", "train.learning-rate=0.05",
                "train.min-learning-rate=0.001");
        assertEquals(0.05, s.rate(0), 1e-12);
        assertEquals(0.001 + 0.5 * 0.049, s.rate(5), 1e-12);
        assertEquals(0.001 + 0.5 * 0.049 * (1 + Math.cos(Math.PI * 0.9)), s.rate(9), 1e-12);
    }

    @Test
    void oneCycleRisesLinearlyOverTheWarmUpThenFallsHalfACosineToTheFloor() {
        // 15 epochs, warm-up 0.3 -> round(4.5) = 5 warm-up epochs at 1/6 .. 5/6 of the peak,
        // the peak at epoch 5, then the cosine over the 10 epochs 5..14.
        LearningRateSchedule s = schedule("train.epochs=15", "train.schedule=one-cycle", "train.learning-rate=0.06",
                "train.min-learning-rate=0", "train.warmup-fraction=0.3");
        assertEquals(5, s.warmupEpochs());
        for (int e = 0; e < 5; e++) {
            assertEquals(0.06 * (e + 1) / 6, s.rate(e), 1e-12, "warm-up epoch " + e);
        }
        assertEquals(0.06, s.rate(5), 1e-12);
        assertEquals(0.03, s.rate(10), 1e-12);
        assertEquals(0.03 * (1 + Math.cos(Math.PI * 0.9)), s.rate(14), 1e-12);
        for (int e = 1; e < 5; e++) {
            assertTrue(s.rate(e) > s.rate(e - 1), "rising at epoch " + e);
        }
        for (int e = 6; e < 15; e++) {
            assertTrue(s.rate(e) < s.rate(e - 1), "falling at epoch " + e);
        }
    }

    @Test
    void oneCycleWithoutWarmUpIsTheCosineAndAlwaysLeavesAnEpochToAnneal() {
        LearningRateSchedule oneCycle = schedule("train.epochs=10", "train.schedule=one-cycle",
                "train.learning-rate=0.05", "train.warmup-fraction=0");
        LearningRateSchedule cosine = schedule("train.epochs=10", "train.schedule=cosine", "train.learning-rate=0.05");
        for (int e = 0; e < 10; e++) {
            assertEquals(cosine.rate(e), oneCycle.rate(e), 1e-12, "epoch " + e);
        }
        LearningRateSchedule twoEpochs = schedule("train.epochs=2", "train.schedule=one-cycle",
                "train.learning-rate=0.05", "train.warmup-fraction=0.9");
        assertEquals(1, twoEpochs.warmupEpochs());
        assertEquals(0.025, twoEpochs.rate(0), 1e-12);
        assertEquals(0.05, twoEpochs.rate(1), 1e-12);
    }

    @Test
    void aWarmUpFractionOutsideItsRangeIsRefusedNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> schedule("train.schedule=one-cycle", "train.warmup-fraction=1.5"));
        assertTrue(e.getMessage().contains("train.warmup-fraction"), e.getMessage());
    }

    @Test
    void constantKeepsTheRate() {
        assertEquals(0.3, schedule("train.schedule=constant", "train.learning-rate=0.3").rate(7), 1e-12);
    }
}
