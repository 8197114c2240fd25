package tasn.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.learning.config.Adam;
import tasn.config.ModelConfig;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tiny TASN learns on one machine: on generated images whose class is the colour of a
 * small mark inside a larger square, the TASN loss (all six terms) falls to at most half its
 * starting value within a few hundred steps. About 2 minutes on a busy 2-core machine
 * (600 ms a step), hence slow: {@code mvn -o test -Dtest=TasnTrainingTest -Dtest.groups.excluded=none}.
 */
@Tag("slow")
class TasnTrainingTest {
    private static final int CLASSES = 4;
    private static final int BATCH = 8;
    private static final int STEPS = 200;
    private static final int SIZE = 32;

    @Test
    void tinyTasnHalvesItsLossOnMarkedSquares() {
        // The tiny preset's networks on 32 px images (attention and sampled views at 16 px).
        ModelConfig m = TasnFixtures.tiny("model.num-classes=" + CLASSES, "data.raw-size=" + SIZE,
                "model.attention-size=16", "model.sampled-size=16");
        ComputationGraph graph = TasnGraph.build(m, GraphOptions.defaults().withUpdater(new Adam(2e-3)));
        MultiDataSet[] batches = new MultiDataSet[8];
        for (int b = 0; b < batches.length; b++) {
            TasnFixtures.Batch data = TasnFixtures.markedSquares(BATCH, SIZE, 100 + b);
            INDArray labels = TasnFixtures.oneHot(data.classes(), CLASSES, DataType.FLOAT);
            batches[b] = TasnFixtures.tasnBatch(data.images(), labels);
        }
        double first = meanScore(graph, batches);
        long start = System.nanoTime();
        double last = first;
        for (int step = 0; step < STEPS; step++) {
            graph.fit(batches[step % batches.length]);
            if (step % 25 == 0) {
                System.out.printf("step %d: loss %.4f, %.1f s%n", step, graph.score(), (System.nanoTime() - start) / 1e9);
            }
            if (step >= STEPS - batches.length) {
                last = step == STEPS - batches.length ? graph.score() : last + graph.score();
            }
        }
        last /= batches.length;
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("tiny TASN: loss %.4f -> %.4f (mean of the last %d steps) in %d steps, %.1f s, %.1f ms/step%n",
                first, last, batches.length, STEPS, seconds, 1000 * seconds / STEPS);
        assertTrue(last <= 0.5 * first, "loss " + first + " -> " + last);
    }

    private static double meanScore(ComputationGraph graph, MultiDataSet[] batches) {
        double sum = 0;
        for (MultiDataSet b : batches) {
            sum += graph.score(b, true);
        }
        return sum / batches.length;
    }
}
