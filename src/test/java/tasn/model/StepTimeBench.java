package tasn.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import tasn.config.ConfigLoader;
import tasn.config.ModelConfig;

import java.util.List;

/**
 * Training-step time of TASN and of its baseline on one machine, default DL4J settings:
 * {@code bench/_java.sh tasn.model.StepTimeBench [preset] [batch] [steps]}. Prints one JSON
 * line per model.
 */
public final class StepTimeBench {
    private StepTimeBench() {
    }

    public static void main(String[] args) {
        String preset = args.length > 0 ? args[0] : "tiny";
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int steps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        ModelConfig m = ConfigLoader.load(preset, List.of()).model();
        int r = m.inputSize();
        INDArray images = Nd4j.rand(DataType.FLOAT, batch, 3, r, r).subi(0.5).muli(100);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, batch, m.numClasses());
        for (int i = 0; i < batch; i++) {
            labels.putScalar(i, i % m.numClasses(), 1.0);
        }
        time(preset, "tasn", TasnGraph.build(m), TasnFixtures.tasnBatch(images, labels), batch, steps);
        time(preset, "baseline", TasnGraph.baseline(m), new MultiDataSet(new INDArray[]{images}, new INDArray[]{labels}), batch, steps);
    }

    private static void time(String preset, String kind, ComputationGraph graph, MultiDataSet data, int batch, int steps) {
        graph.fit(data); // warm-up
        graph.fit(data);
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            graph.fit(data);
        }
        double ms = (System.nanoTime() - start) / 1e6 / steps;
        System.out.printf("{\"preset\":\"%s\",\"model\":\"%s\",\"batch\":%d,\"ms_per_step\":%.0f,\"images_per_s\":%.2f}%n",
                preset, kind, batch, ms, 1000.0 * batch / ms);
    }
}
