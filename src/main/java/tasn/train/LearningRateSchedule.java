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
            case COSINE -> cosine(epochIndex, 0, train.epochs());
            case ONE_CYCLE -> {
                // Smith and Topin (2019): rise linearly to the peak over the first epochs, so
                // that a network trained from scratch is not hit by the full rate at once, then
                // anneal. The warm-up's epoch e runs at (e + 1) / (W + 1) of the peak.
                int warmup = warmupEpochs();
                yield epochIndex < warmup
                        ? base * (epochIndex + 1) / (warmup + 1)
                        : cosine(epochIndex, warmup, train.epochs() - warmup);
            }
        };
    }

    /** Epochs of the one-cycle warm-up: warmup-fraction of all epochs, rounded, at least one epoch left to anneal. */
    int warmupEpochs() {
        return (int) Math.min(Math.round(train.warmupFraction() * train.epochs()), train.epochs() - 1L);
    }

    /** Half a cosine from learning-rate to min-learning-rate over {@code length} epochs from {@code start}. */
    private double cosine(int epochIndex, int start, int length) {
        double progress = length <= 1 ? 0 : (double) (epochIndex - start) / length;
        double base = train.learningRate();
        double min = train.minLearningRate();
        return min + 0.5 * (base - min) * (1 + Math.cos(Math.PI * progress));
    }
}
