import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import tasn.config.ConfigLoader;
import tasn.config.ModelConfig;
import tasn.model.PreActResNet;
import java.nio.file.*;
import java.util.List;

/** docs/sizing.md: peak RSS of training steps of one trunk of a preset (attention or backbone) + pool + softmax: args PRESET TRUNK SIZE BATCH STEPS. */
public class TrunkStepMemory {
    public static void main(String[] a) throws Exception {
        ModelConfig m = ConfigLoader.load(a[0], List.of()).model();
        ModelConfig.Trunk trunk = a[1].equals("attention") ? m.attention() : m.backbone();
        int size = Integer.parseInt(a[2]), batch = Integer.parseInt(a[3]), steps = Integer.parseInt(a[4]);
        GraphBuilder g = new NeuralNetConfiguration.Builder().seed(1).updater(new Nesterovs(0.05, 0.9))
                .graphBuilder().addInputs("image").setInputTypes(InputType.convolutional(size, size, 3));
        PreActResNet.Features f = PreActResNet.build(g, "t_", "image", trunk);
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), f.vertex());
        g.addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(f.channels()).nOut(10)
                .activation(Activation.SOFTMAX).build(), "pool");
        g.setOutputs("out");
        ComputationGraph net = new ComputationGraph(g.build());
        net.init();
        MultiDataSet ds = new MultiDataSet(Nd4j.rand(new int[]{batch, 3, size, size}),
                Nd4j.eye(10).getRows(java.util.stream.IntStream.range(0, batch).map(i -> i % 10).toArray()));
        long start = System.nanoTime();
        for (int i = 0; i < steps; i++) net.fit(ds);
        double ms = (System.nanoTime() - start) / 1e6 / steps;
        String hwm = Files.readAllLines(Paths.get("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM")).findFirst().orElse("?");
        Runtime rt = Runtime.getRuntime();
        System.out.printf("{\"preset\":\"%s\",\"trunk\":\"%s\",\"size\":%d,\"batch\":%d,\"params\":%d,\"ms_per_step\":%.0f,\"peak_rss_mib\":%d,\"heap_used_mib\":%d}%n",
                a[0], a[1], size, batch, net.numParams(), ms,
                Long.parseLong(hwm.replaceAll("[^0-9]", "")) / 1024, (rt.totalMemory() - rt.freeMemory()) >> 20);
    }
}
