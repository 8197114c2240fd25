package tasn.bench;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tasn.config.ConfigLoader;
import tasn.config.ModelConfig;
import tasn.model.TasnGraph;
import tasn.model.speed.DeepLearningSpeed;

import java.util.List;

/**
 * DL4J's side of the PyTorch inference reference point (bench/torch_infer.py): the baseline
 * of a configuration (its backbone on the image resized to the sampled size, one head), test
 * mode, in one JVM: {@code bench/_java.sh tasn.bench.BackboneInferenceBench [cpu] [batch 16] [iterations 10]}.
 */
public final class BackboneInferenceBench {
    private BackboneInferenceBench() {
    }

    public static void main(String[] args) {
        boolean helpers = DeepLearningSpeed.enable();
        String preset = args.length > 0 ? args[0] : "cpu";
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int iterations = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        ModelConfig model = ConfigLoader.load(preset, List.of()).model();
        ComputationGraph graph = TasnGraph.baseline(model);
        int size = model.sampledSize();
        // The baseline resizes its raw input to the sampled size itself; feed it at that size.
        INDArray images = Nd4j.rand(DataType.FLOAT, batch, 3, model.inputSize(), model.inputSize()).subi(0.5).muli(100);
        for (int i = 0; i < 3; i++) {
            graph.output(false, images);
        }
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            graph.output(false, images);
        }
        double seconds = (System.nanoTime() - start) / 1e9 / iterations;
        System.out.printf(java.util.Locale.ROOT,
                "{\"line\":\"dl4j_baseline_inference\",\"preset\":\"%s\",\"batch\":%d,\"size\":%d,\"ms_per_batch\":%.1f,"
                        + "\"images_per_s\":%.2f,\"onednn_helpers\":%s}%n",
                preset, batch, size, seconds * 1000, batch / seconds, helpers);
    }
}
