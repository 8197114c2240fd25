package tasn.train;

import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import tasn.config.ConfigLoader;
import tasn.config.TasnConfig;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * After DL4J's own Spark tests: one Spark worker (local[1]) averaging after every minibatch,
 * with plain SGD, ends with the same parameters as fitting the same minibatches, in the same
 * order, on one machine.
 */
class SparkEquivalenceTest {
    static final int SIZE = 12;

    @Test
    void oneWorkerAveragingEveryStepEqualsTrainingOnOneMachine(@TempDir java.nio.file.Path dir) throws Exception {
        SparkSession spark = TrainingFixtures.spark("local[1]");
        try {
            java.nio.file.Path data = TrainingFixtures.writeDataset(spark, dir.resolve("data"),
                    new TrainingFixtures.Shape(3, 6, 0, 0, 2, SIZE), 11);
            TasnConfig config = ConfigLoader.load("tiny", List.of("train.workers=1", "train.batch-size-per-worker=4",
                    "train.averaging-frequency=1", "train.optimizer=sgd", "train.learning-rate=0.05",
                    "train.schedule=constant", "train.epochs=2", "train.weight-decay=0"));
            ToyGraphs graphs = new ToyGraphs(SIZE, true);
            new TrainJob(spark, graphs, new PrintStream(OutputStream.nullOutputStream())).run(new TrainJob.Request(
                    data.toString(), dir.resolve("run").toString(), config, false, false, null, false));
            ComputationGraph onSpark = ModelSerializer.restoreComputationGraph(dir.resolve("run/model.zip").toFile(), false);

            // The same minibatches, assembled by the same code, fitted in order in this JVM.
            TrainableGraph graph = graphs.build(config, 3, false);
            OptimizerSetup.apply(graph.configuration(), config.train(), 0.05);
            ComputationGraph local = new ComputationGraph(graph.configuration());
            local.init();
            BatchAssembler assembler = new BatchAssembler(new float[]{60, 60, 60}, 3, graph.labels());
            JavaRDD<ShardExample> rows = new ShardReader(spark, new Path(data.toString())).read("train");
            RoundLayout layout = RoundLayout.of(18, 1, 4, 1);
            int steps = 0;
            for (int epoch = 0; epoch < 2; epoch++) {
                EpochBatches batches = EpochBatches.of(rows, 2, config.seed(), epoch, layout, assembler);
                for (long round = 0; round < layout.rounds(); round++) {
                    for (MultiDataSet batch : batches.round(round).collect()) {
                        local.fit(batch);
                        steps++;
                    }
                }
            }
            assertEquals(10, steps, "18 images in minibatches of 4, wrapped to 20, for 2 epochs");
            double difference = onSpark.params().sub(local.params()).amaxNumber().doubleValue();
            assertTrue(difference < 1e-5, "largest parameter difference " + difference);
            assertTrue(local.params().sub(graphsInitial(graphs, config)).amaxNumber().doubleValue() > 1e-3,
                    "training moved the parameters");
        } finally {
            TrainingFixtures.stop(spark);
        }
    }

    private static org.nd4j.linalg.api.ndarray.INDArray graphsInitial(ToyGraphs graphs, TasnConfig config) {
        TrainableGraph graph = graphs.build(config, 3, false);
        ComputationGraph fresh = new ComputationGraph(graph.configuration());
        fresh.init();
        return fresh.params();
    }
}
