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
 * Training-step time (forward, backward, update) of TASN and of its baseline on one machine,
 * with the settings the jobs use (oneDNN helpers on, the default GraphOptions):
 * {@code bench/model_step.sh [preset] [batch] [steps]}. Prints one JSON line per model, with
 * the process's peak RSS so far (VmHWM: the baseline's line includes TASN's peak, so TASN runs first).
 */
public final class StepTimeBench {
    private StepTimeBench() {
    }

    public static void main(String[] args) {
        boolean helpers = tasn.model.speed.DeepLearningSpeed.enable();
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
        time(preset, "tasn", TasnGraph.build(m), TasnFixtures.tasnBatch(images, labels), batch, steps, helpers);
        time(preset, "baseline", TasnGraph.baseline(m), new MultiDataSet(new INDArray[]{images}, new INDArray[]{labels}), batch, steps, helpers);
    }

    private static void time(String preset, String kind, ComputationGraph graph, MultiDataSet data, int batch, int steps,
                             boolean helpers) {
        graph.fit(data); // warm-up
        graph.fit(data);
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) {
            graph.fit(data);
        }
        double ms = (System.nanoTime() - start) / 1e6 / steps;
        System.out.printf("{\"preset\":\"%s\",\"model\":\"%s\",\"batch\":%d,\"ms_per_step\":%.0f,\"images_per_s\":%.2f,"
                        + "\"parameters\":%d,\"onednn_helpers\":%s,\"peak_rss_mib\":%d}%n",
                preset, kind, batch, ms, 1000.0 * batch / ms, graph.numParams(), helpers, peakRssMib());
    }

    private static long peakRssMib() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (java.io.IOException e) {
            return -1;
        }
        return -1;
    }
}
