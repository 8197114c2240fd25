package tasn.train;

import tasn.config.TrainConfig;

/**
 * The learning rate of each epoch, set on the driver before the epoch starts (so a resumed
 * run gets exactly the rate an uninterrupted run would have had).
 */
public final class LearningRateSchedule {
    private final TrainConfig train;

    public LearningRateSchedule(TrainConfig train) {
        this.train = train;
    }

    /** The rate for the epoch with 0-based index {@code epochIndex}. */
    public double rate(int epochIndex) {
        double base = train.learningRate();
        return switch (train.schedule()) {
            case CONSTANT -> base;
            case STEP -> {
                // TASN.md reference recipe: x0.1 "at epochs 100 and 200" = from 0-based epoch 100 on.
                double rate = base;
                for (int step : train.stepEpochs()) {
                    if (epochIndex >= step) {
                        rate *= train.stepFactor();
                    }
                }
                yield rate;
            }
            case COSINE -> {
                double progress = train.epochs() <= 1 ? 0 : (double) epochIndex / train.epochs();
                double min = train.minLearningRate();
                yield min + 0.5 * (base - min) * (1 + Math.cos(Math.PI * progress));
            }
        };
    }
}
