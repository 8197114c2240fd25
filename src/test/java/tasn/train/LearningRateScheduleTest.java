package tasn.train;

import org.junit.jupiter.api.Test;
import tasn.config.ConfigLoader;
import tasn.config.TrainConfig;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    void constantKeepsTheRate() {
        assertEquals(0.3, schedule("train.schedule=constant", "train.learning-rate=0.3").rate(7), 1e-12);
    }
}
