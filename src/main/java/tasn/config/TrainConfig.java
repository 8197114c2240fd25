package tasn.config;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The {@code train} section: epochs, the parameter-averaging layout, the optimiser and its
 * learning-rate schedule, evaluation, logging and checkpoints. Keys, defaults and meanings:
 * {@code tasn/config/reference.conf}.
 */
public record TrainConfig(
        int epochs,
        int workers,
        int batchSizePerWorker,
        int averagingFrequency,
        int prefetchBatches,
        boolean averageUpdaters,
        Optimizer optimizer,
        double learningRate,
        double momentum,
        double weightDecay,
        Schedule schedule,
        int[] stepEpochs,
        double stepFactor,
        double minLearningRate,
        double warmupFraction,
        int evalBatchSize,
        int logEveryIterations,
        int keepCheckpoints) implements Serializable {

    /** The update rule: plain SGD (TASN.md reference recipe), Nesterov momentum, or Adam. */
    public enum Optimizer {
        SGD, NESTEROV, ADAM;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** How the learning rate changes between epochs. */
    public enum Schedule {
        /** Multiply by step-factor at each epoch of step-epochs (TASN.md: x0.1 at 100 and 200). */
        STEP,
        /** Half a cosine from learning-rate down to min-learning-rate over all epochs. */
        COSINE,
        /**
         * One cycle (Smith and Topin, 2019): a linear rise to learning-rate over the first
         * warmup-fraction of the epochs, then half a cosine down to min-learning-rate.
         */
        ONE_CYCLE,
        CONSTANT;

        public String key() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        /** The schedule whose {@link #key()} is {@code key} (one of them: checked by the caller). */
        static Schedule ofKey(String key) {
            return valueOf(key.toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    static TrainConfig read(ConfigReader r) {
        return new TrainConfig(
                r.intIn("train.epochs", 1, 100_000),
                r.intIn("train.workers", 0, 100_000),
                r.intIn("train.batch-size-per-worker", 1, 100_000),
                r.intIn("train.averaging-frequency", 1, 100_000),
                r.intIn("train.prefetch-batches", 0, 1000),
                r.bool("train.average-updaters"),
                Optimizer.valueOf(r.oneOf("train.optimizer", List.of("sgd", "nesterov", "adam")).toUpperCase(Locale.ROOT)),
                r.doubleIn("train.learning-rate", 0, 1e6),
                r.doubleIn("train.momentum", 0, 1),
                r.doubleIn("train.weight-decay", 0, 1),
                Schedule.ofKey(r.oneOf("train.schedule", Arrays.stream(Schedule.values()).map(Schedule::key).toList())),
                r.intList("train.step-epochs", 0, 1, 100_000),
                r.doubleIn("train.step-factor", 0, 1),
                r.doubleIn("train.min-learning-rate", 0, 1e6),
                r.doubleIn("train.warmup-fraction", 0, 0.9),
                r.intIn("train.eval-batch-size", 1, 100_000),
                r.intIn("train.log-every-iterations", 1, 1_000_000),
                r.intIn("train.keep-checkpoints", 1, 10_000));
    }
}
