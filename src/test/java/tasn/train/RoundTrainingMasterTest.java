package tasn.train;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.spark.api.WorkerConfiguration;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tasn.config.ConfigLoader;
import tasn.config.TasnConfig;
import tasn.model.speed.OneDnnAssertions;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the train job's parameter-averaging master hands its workers: the configured batch,
 * averaging frequency and prefetch, and a network built on the executor with oneDNN helpers
 * even in a JVM started without our conf/spark-defaults.conf flag.
 */
class RoundTrainingMasterTest {
    private static SparkSession spark;
    private static SparkComputationGraph network;

    @BeforeAll
    static void start() {
        spark = TrainingFixtures.spark("local[1]");
        TasnConfig config = ConfigLoader.load("tiny", List.of());
        ComputationGraph model = new ComputationGraph(new ToyGraphs(16, true).build(config, 3, false).configuration());
        model.init();
        network = new SparkComputationGraph(JavaSparkContext.fromSparkContext(spark.sparkContext()), model,
                new RoundTrainingMaster(true, 1, 4, 1, 2));
    }

    @AfterAll
    static void stop() {
        TrainingFixtures.stop(spark);
    }

    @Test
    void workersGetTheConfiguredBatchAveragingFrequencyAndPrefetch() {
        for (int prefetch : new int[]{0, 5}) {
            WorkerConfiguration worker = new RoundTrainingMaster(true, 2, 4, 3, prefetch).getWorkerInstance(network)
                    .getDataConfiguration();
            assertEquals(4, worker.getBatchSizePerWorker());
            assertEquals(3, worker.getMaxBatchesPerWorker(), "train.averaging-frequency");
            assertEquals(prefetch, worker.getPrefetchNumBatches(), "train.prefetch-batches");
        }
    }

    @Test
    void aWorkerBuildsItsNetworkWithOneDnnHelpersWithoutTheJvmFlag() {
        RoundTrainingMaster master = new RoundTrainingMaster(true, 1, 4, 1, 2);
        String flag = OneDnnAssertions.forgetTheFlag();
        try {
            ComputationGraph onExecutor = master.getWorkerInstance(network).getInitialModelGraph();
            OneDnnAssertions.assertEveryConvolutionHasAOneDnnHelper(onExecutor);
        } finally {
            OneDnnAssertions.restore(flag);
        }
    }
}
