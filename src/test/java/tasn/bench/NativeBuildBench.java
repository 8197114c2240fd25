package tasn.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import tasn.config.ConfigLoader;
import tasn.config.ModelConfig;
import tasn.model.TasnGraph;
import tasn.model.TasnPredictor;
import tasn.model.speed.DeepLearningSpeed;
import tasn.model.speed.NativeBuild;
import tasn.model.speed.OneDnnHelpers;

/**
 * The three workloads behind the choice of ND4J's native build (bench/natives.sh runs this
 * class once per build, on a classpath that holds only that build's natives), one JSON line
 * each, tagged with the build the JVM really mapped:
 * <ul>
 *   <li>{@code resnet50_step}: a training step of the pre-activation ResNet-50 of
 *       {@link BenchResNet50} (batch 8, 224 px; the peer is bench/torch_train_step.py);</li>
 *   <li>{@code tasn_step}: a training step of the whole TASN graph of the {@code cpu} preset
 *       (batch 16; the peer is bench/torch_tasn.py --mode train);</li>
 *   <li>{@code tasn_infer}: the scoring forward pass of that graph through
 *       {@link TasnPredictor#predict} (batch 16; the peer is bench/torch_tasn.py --mode infer).</li>
 * </ul>
 * Arguments: {@code [iterations, default 5] [warm-up, default 2]}. The median wall and process
 * CPU time per step are printed; random inputs, since speed does not depend on them.
 */
public final class NativeBuildBench {

    private NativeBuildBench() {
    }

    public static void main(String[] args) throws Exception {
        int iterations = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int warmup = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        if (!DeepLearningSpeed.enable()) {
            throw new IllegalStateException("oneDNN helpers did not switch on: " + OneDnnHelpers.whyInactive());
        }
        Nd4j.getRandom().setSeed(1);

        ComputationGraph resnet = new ComputationGraph(BenchResNet50.build(224, 1000, DeepLearningSpeed.CACHE_MODE, false));
        resnet.init();
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 3, 224, 224);
        INDArray y = oneHot(8, 1000);
        report("resnet50_step", 8, time(iterations, warmup, () -> resnet.fit(new INDArray[]{x}, new INDArray[]{y})));

        ModelConfig cpu = ConfigLoader.load("cpu", List.of()).model();
        int r = cpu.inputSize();
        INDArray images = Nd4j.rand(DataType.FLOAT, 16, 3, r, r).subi(0.5).muli(100);
        INDArray labels = oneHot(16, cpu.numClasses());
        ComputationGraph tasn = TasnGraph.build(cpu);
        INDArray[] ys = new INDArray[TasnGraph.OUTPUTS.size()];
        Arrays.fill(ys, labels);
        MultiDataSet batch = new MultiDataSet(new INDArray[]{images}, ys);
        report("tasn_step", 16, time(iterations, warmup, () -> tasn.fit(batch)));

        TasnPredictor predictor = new TasnPredictor(tasn);
        report("tasn_infer", 16, time(iterations, warmup, () -> predictor.predict(images)));
    }

    private static INDArray oneHot(int n, int classes) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, classes);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, (i * 37) % classes, 1.0);
        }
        return y;
    }

    /** Median wall and CPU milliseconds of one call of {@code step}, after {@code warmup} calls. */
    private static double[] time(int iterations, int warmup, Runnable step) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int i = 0; i < warmup; i++) {
            step.run();
        }
        double[] ms = new double[iterations];
        double[] cpuMs = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            step.run();
            ms[i] = (System.nanoTime() - t0) / 1e6;
            cpuMs[i] = (os.getProcessCpuTime() - c0) / 1e6;
        }
        return new double[]{median(ms), median(cpuMs), os.getSystemLoadAverage()};
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static void report(String workload, int batch, double[] timing) throws Exception {
        System.out.println(String.format(Locale.ROOT,
                "{\"impl\":\"dl4j\",\"workload\":\"%s\",\"native_build\":\"%s\",\"batch\":%d,\"ms_per_step\":%.1f,"
                        + "\"cpu_ms_per_step\":%.1f,\"images_per_s\":%.2f,\"peak_rss_mib\":%d,\"load_avg_1m\":%.2f}",
                workload, NativeBuild.loaded().orElse("unknown"), batch, timing[0], timing[1], 1000.0 * batch / timing[0],
                TrainStepBenchmark.peakRssMib(), timing[2]));
    }
}
