package tasn.train;

import tasn.config.UsageException;

import java.io.Serializable;

/**
 * How one epoch's examples are cut into parameter-averaging rounds so that every worker gets
 * the same number of examples in every round (dl4j-spark's parameter averaging needs it).
 *
 * <p>A round is {@code workers x averagingFrequency} minibatches of {@code batchSize}: worker w
 * fits minibatches {@code w*F .. w*F+F-1} of the round, then the parameters are averaged.
 * Remainders: the epoch's shuffled order is wrapped around, i.e. the last round is filled
 * with the first examples of the same epoch again, so every image is seen at least once per
 * epoch and at most {@code round - 1} examples are seen twice. When the data set is smaller
 * than one full round, the averaging frequency of the run is lowered (to at least 1) so that
 * no example has to be seen twice merely to fill a round.
 */
public record RoundLayout(long images, int workers, int batchSize, int averagingFrequency) implements Serializable {

    /** The layout for {@code images} training images, or a usage error when a worker would have no full batch. */
    public static RoundLayout of(long images, int workers, int batchSize, int averagingFrequency) {
        long perWorker = images / workers;
        if (perWorker < batchSize) {
            throw new UsageException("train.batch-size-per-worker = " + batchSize + ": larger than the " + perWorker
                    + " training images per worker (" + images + " images over " + workers + " workers); lower "
                    + "train.batch-size-per-worker or train.workers");
        }
        int frequency = (int) Math.max(1, Math.min(averagingFrequency, perWorker / batchSize));
        return new RoundLayout(images, workers, batchSize, frequency);
    }

    public long roundExamples() {
        return (long) workers * batchSize * averagingFrequency;
    }

    public long rounds() {
        return (images + roundExamples() - 1) / roundExamples();
    }

    /** Examples trained per epoch, the remainder filled by wrapping around. */
    public long paddedExamples() {
        return rounds() * roundExamples();
    }

    public long batches() {
        return paddedExamples() / batchSize;
    }

    public int partitions() {
        return Math.toIntExact(rounds() * workers);
    }

    /** The Spark partition holding minibatch {@code batch}: round r's worker w is partition r*W + w. */
    public int partitionOf(long batch) {
        long perRound = (long) workers * averagingFrequency;
        long round = batch / perRound;
        long worker = (batch % perRound) / averagingFrequency;
        return Math.toIntExact(round * workers + worker);
    }

    /** Minibatch steps each worker takes per epoch: DL4J's iterations. */
    public long iterationsPerEpoch() {
        return rounds() * averagingFrequency;
    }
}
