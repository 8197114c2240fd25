package tasn.train;

import org.apache.spark.api.java.JavaRDD;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.RepartitionStrategy;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * dl4j-spark's parameter averaging, fed one averaging round at a time. Each call trains one
 * round that {@link EpochBatches} has already laid out as exactly {@code workers} partitions
 * of {@code averagingFrequency} minibatches, so the stock master's preparation (persist the
 * RDD, count it, split it at random into rounds, repartition) is skipped: the round goes
 * straight to the workers and their results are averaged, one Spark job per round.
 */
final class RoundTrainingMaster extends ParameterAveragingTrainingMaster {

    RoundTrainingMaster(boolean averageUpdaters, int workers, int batchSize, int averagingFrequency, int prefetch) {
        super(averageUpdaters, workers, batchSize, batchSize, averagingFrequency, prefetch, 2, Repartition.Never,
                RepartitionStrategy.Balanced, null, false);
    }

    @Override
    public void executeTrainingMDS(SparkComputationGraph graph, JavaRDD<MultiDataSet> round) {
        doIteration(graph, round, 1, 1);
    }
}
