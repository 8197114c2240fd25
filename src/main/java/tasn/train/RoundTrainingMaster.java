package tasn.train;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.api.RepartitionStrategy;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.api.worker.NetBroadcastTuple;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingWorker;
import org.nd4j.linalg.dataset.api.MultiDataSet;

/**
 * dl4j-spark's parameter averaging, fed one averaging round at a time. Each call trains one
 * round that {@link EpochBatches} has already laid out as exactly {@code workers} partitions
 * of {@code averagingFrequency} minibatches, so the stock master's preparation (persist the
 * RDD, count it, split it at random into rounds, repartition) is skipped: the round goes
 * straight to the workers and their results are averaged, one Spark job per round. The
 * workers are {@link OneDnnTrainingWorker}s: they build their networks with oneDNN helpers.
 */
final class RoundTrainingMaster extends ParameterAveragingTrainingMaster {
    /** Levels of Spark's treeAggregate when averaging: dl4j-spark's default. */
    static final int AGGREGATION_DEPTH = 2;

    RoundTrainingMaster(boolean averageUpdaters, int workers, int batchSize, int averagingFrequency, int prefetch) {
        super(averageUpdaters, workers, batchSize, batchSize, averagingFrequency, AGGREGATION_DEPTH, prefetch,
                Repartition.Never, RepartitionStrategy.Balanced, null, false);
    }

    @Override
    public void executeTrainingMDS(SparkComputationGraph graph, JavaRDD<MultiDataSet> round) {
        doIteration(graph, round, 1, 1);
    }

    /** As the stock master's, but the worker switches on oneDNN helpers before building its network. */
    @Override
    public ParameterAveragingTrainingWorker getWorkerInstance(SparkComputationGraph graph) {
        NetBroadcastTuple tuple = new NetBroadcastTuple(graph.getNetwork().getConfiguration(),
                graph.getNetwork().params(), graph.getNetwork().getUpdater().getStateViewArray());
        Broadcast<NetBroadcastTuple> broadcast = graph.getSparkContext().broadcast(tuple);
        WorkerConfiguration configuration = new WorkerConfiguration(true, rddDataSetNumExamples, batchSizePerWorker,
                averagingFrequency, prefetchNumBatches, collectTrainingStats);
        return new OneDnnTrainingWorker(broadcast, saveUpdater, configuration, trainingHookList, listeners,
                getRouterProvider());
    }
}
