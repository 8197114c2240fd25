package tasn.bench;

import java.util.Locale;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tasn.model.speed.DeepLearningSpeed;
import tasn.model.speed.FusedBatchNormRelu;

/**
 * Forward + backward (training mode) of batch norm + ReLU at the activation shapes of
 * ResNet-50 (batch 8, 224 px): DL4J's BatchNormalization (oneDNN helper on) + ActivationLayer
 * against FusedBatchNormRelu. One JSON line per shape.
 * {@code bench/_java.sh tasn.bench.BatchNormReluBenchmark [repetitions]}
 */
public final class BatchNormReluBenchmark {

    private static final int[][] SHAPES = {{64, 112}, {64, 56}, {256, 56}, {128, 28}, {512, 28}, {1024, 14}, {2048, 7}};

    public static void main(String[] args) {
        int reps = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        if (!DeepLearningSpeed.enable()) {
            throw new IllegalStateException("oneDNN helpers are off: the comparison would be against DL4J's Java path");
        }
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        for (int[] s : SHAPES) {
            int c = s[0];
            int hw = s[1];
            INDArray x = Nd4j.rand(DataType.FLOAT, 8, c, hw, hw).subi(0.5);
            INDArray eps = Nd4j.rand(DataType.FLOAT, 8, c, hw, hw).subi(0.5);
            Layer bn = instantiate(new BatchNormalization.Builder().nIn(c).nOut(c).build());
            Layer relu = instantiate(new ActivationLayer.Builder().activation(Activation.RELU).build());
            Layer fused = instantiate(nOut(new FusedBatchNormRelu.Builder().build(), c));
            Runnable pair = () -> {
                bn.setInput(x, mgr);
                INDArray a = bn.activate(true, mgr);
                relu.setInput(a, mgr);
                relu.activate(true, mgr);
                INDArray e = relu.backpropGradient(eps, mgr).getSecond();
                bn.backpropGradient(e, mgr);
            };
            Runnable one = () -> {
                fused.setInput(x, mgr);
                fused.activate(true, mgr);
                fused.backpropGradient(eps, mgr);
            };
            double[] pairMs = time(pair, reps);
            double[] fusedMs = time(one, reps);
            System.out.println(String.format(Locale.ROOT,
                    "{\"shape\":[8,%d,%d,%d],\"dl4j_bn_relu_ms\":%.2f,\"fused_bn_relu_ms\":%.2f,\"speedup\":%.2f,"
                            + "\"dl4j_bn_relu_cpu_ms\":%.2f,\"fused_bn_relu_cpu_ms\":%.2f,\"cpu_speedup\":%.2f}",
                    c, hw, hw, pairMs[0], fusedMs[0], pairMs[0] / fusedMs[0],
                    pairMs[1], fusedMs[1], pairMs[1] / fusedMs[1]));
        }
    }

    private static FeedForwardLayer nOut(FeedForwardLayer layer, int c) {
        layer.setNIn(c);
        layer.setNOut(c);
        return layer;
    }

    private static Layer instantiate(org.deeplearning4j.nn.conf.layers.Layer layerConf) {
        NeuralNetConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).layer(layerConf).build();
        long n = layerConf.initializer().numParams(conf);
        INDArray params = n == 0 ? null : Nd4j.create(DataType.FLOAT, 1, n);
        Layer layer = layerConf.instantiate(conf, null, 0, params, true, DataType.FLOAT);
        if (n > 0) {
            layer.setBackpropGradientsViewArray(Nd4j.create(DataType.FLOAT, 1, n));
        }
        return layer;
    }

    /** Median wall-clock ms and median process CPU ms (all threads) of one call. */
    private static double[] time(Runnable r, int reps) {
        com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int i = 0; i < 2; i++) {
            r.run();
        }
        double[] wall = new double[reps];
        double[] cpu = new double[reps];
        for (int i = 0; i < reps; i++) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            r.run();
            wall[i] = (System.nanoTime() - t0) / 1e6;
            cpu[i] = (os.getProcessCpuTime() - c0) / 1e6;
        }
        java.util.Arrays.sort(wall);
        java.util.Arrays.sort(cpu);
        return new double[] {wall[reps / 2], cpu[reps / 2]};
    }
}
