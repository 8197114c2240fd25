package tasn.bench;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tasn.model.AttentionSampler;
import tasn.model.StructureMap;
import tasn.model.TrilinearAttention;

import java.util.Locale;

/**
 * Throughput of the attention pipeline's vertices (float, forward in training mode) at the cpu
 * and paper shapes: one JSON line per measurement on stdout. Run with bench/sampler.sh.
 * Arguments: [seconds per measurement, default 10].
 */
public final class SamplerBench {

    public static void main(String[] args) {
        double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10.0;
        int batch = 8;
        // the sampler: image (N, 3, R, R) and a peaked map (N, 1, R, R) -> (N, 3, S, S)
        for (int[] shape : new int[][] {{224, 112}, {512, 224}}) {
            int r = shape[0], s = shape[1];
            INDArray image = Nd4j.rand(DataType.FLOAT, batch, 3, r, r);
            INDArray map = Nd4j.rand(DataType.FLOAT, batch, 1, r, r);
            map.muli(map).muli(map);
            ComputationGraph graph = around(new AttentionSampler(s), InputType.convolutional(r, r, 3),
                    InputType.convolutional(r, r, 1));
            report("sampler", r == 224 ? "cpu" : "paper", "\"R\":" + r + ",\"S\":" + s, batch,
                    measure(graph, seconds, batch, image, map));
        }
        // trilinear attention + structure map on the attention features: cpu (C 512, 14x14 -> R 224), paper (28x28 -> 512)
        for (int[] shape : new int[][] {{14, 224}, {28, 512}}) {
            int h = shape[0], r = shape[1];
            INDArray features = Nd4j.rand(DataType.FLOAT, batch, 512, h, h);
            ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                    .graphBuilder().addInputs("features").setInputTypes(InputType.convolutional(h, h, 512))
                    .addVertex("trilinear", new TrilinearAttention(), "features")
                    .addVertex("structure", new StructureMap(r), "trilinear").setOutputs("structure").build();
            ComputationGraph graph = new ComputationGraph(conf);
            graph.init();
            report("trilinear+structure_map", r == 224 ? "cpu" : "paper", "\"C\":512,\"h\":" + h + ",\"R\":" + r,
                    batch, measure(graph, seconds, batch, features));
        }
    }

    private static ComputationGraph around(GraphVertex vertex, InputType... types) {
        String[] names = new String[types.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = "in" + i;
        }
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .graphBuilder().addInputs(names).setInputTypes(types).addVertex("v", vertex, names).setOutputs("v")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** Images per second of forward passes, after three warm-up passes. */
    private static double measure(ComputationGraph graph, double seconds, int batch, INDArray... inputs) {
        for (int i = 0; i < 3; i++) {
            graph.output(true, inputs);
        }
        long start = System.nanoTime();
        int passes = 0;
        while (System.nanoTime() - start < seconds * 1e9 || passes < 3) {
            graph.output(true, inputs);
            passes++;
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        return passes * batch / elapsed;
    }

    private static void report(String what, String preset, String shape, int batch, double imagesPerSecond) {
        System.out.println(String.format(Locale.ROOT,
                "{\"bench\":\"%s\",\"shapes\":\"%s\",%s,\"batch\":%d,\"dtype\":\"float\",\"images_per_s\":%.1f}",
                what, preset, shape, batch, imagesPerSecond));
    }
}
