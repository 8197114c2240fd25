package tasn.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import tasn.model.speed.DeepLearningSpeed;
import tasn.model.speed.OneDnnHelpers;

/**
 * One DL4J training step (forward, backward, SGD update) of a pre-activation ResNet-50
 * (tasn.model.PreActResNet, see BenchResNet50) on a
 * fixed random batch, timed; prints one JSON line. bench/train_step.sh runs it once per
 * configuration, each in its own JVM (so peak RSS is per configuration), next to PyTorch.
 *
 * <p>{@code TrainStepBenchmark MODE [--batch 8] [--size 224] [--warmup 3] [--iterations 10]
 * [--profile FILE.jfr]} with MODE one of:
 * <ul>
 *   <li>{@code default}: DL4J as shipped (oneDNN helpers off, CacheMode.NONE);</li>
 *   <li>{@code helpers}: oneDNN helpers on (DeepLearningSpeed.enable()), CacheMode.NONE;</li>
 *   <li>{@code device}: helpers on and CacheMode.DEVICE (DeepLearningSpeed.configure);</li>
 *   <li>{@code fused}: as {@code device}, with FusedBatchNormRelu for every BN + ReLU pair.</li>
 * </ul>
 */
public final class TrainStepBenchmark {

    /** Forward multiply-adds of ResNet-50 at 224x224 (the usual "4.1 GFLOPs"), scaled by area. */
    static final double FORWARD_GMAC_224 = 4.1;
    /** Training step ~ 3x forward (forward + gradient w.r.t. inputs + gradient w.r.t. weights). */
    static final double TRAIN_FACTOR = 3.0;

    private TrainStepBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            throw new IllegalArgumentException("usage: TrainStepBenchmark default|helpers|device|fused [--batch N] "
                    + "[--size PX] [--warmup N] [--iterations N] [--profile FILE.jfr]");
        }
        String mode = args[0];
        int batch = 8;
        int size = 224;
        int warmup = 3;
        int iterations = 10;
        Path profile = null;
        for (int i = 1; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (value == null) {
                throw new IllegalArgumentException("option " + args[i] + " needs a value");
            }
            switch (args[i]) {
                case "--batch" -> batch = Integer.parseInt(value);
                case "--size" -> size = Integer.parseInt(value);
                case "--warmup" -> warmup = Integer.parseInt(value);
                case "--iterations" -> iterations = Integer.parseInt(value);
                case "--profile" -> profile = Path.of(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        CacheMode cacheMode;
        switch (mode) {
            case "default" -> {
                System.setProperty(OneDnnHelpers.DISABLE_PROPERTY, "true");
                cacheMode = CacheMode.NONE;
            }
            case "helpers" -> cacheMode = CacheMode.NONE;
            case "device", "fused" -> cacheMode = DeepLearningSpeed.CACHE_MODE;
            default -> throw new IllegalArgumentException("unknown mode " + mode + ": default|helpers|device|fused");
        }
        boolean helpersOn = DeepLearningSpeed.enable();
        if (!mode.equals("default") && !helpersOn) {
            throw new IllegalStateException("oneDNN helpers did not switch on: " + OneDnnHelpers.whyInactive());
        }

        int classes = 1000;
        ComputationGraph net = new ComputationGraph(BenchResNet50.build(size, classes, cacheMode, mode.equals("fused")));
        net.init();
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DeepLearningSpeed.DATA_TYPE, batch, 3, size, size);
        INDArray y = Nd4j.zeros(DeepLearningSpeed.DATA_TYPE, batch, classes);
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, (i * 37) % classes, 1.0);
        }
        INDArray[] xs = {x};
        INDArray[] ys = {y};

        for (int i = 0; i < warmup; i++) {
            net.fit(xs, ys);
        }
        LayerTimeProfile recorder = profile == null ? null : LayerTimeProfile.start();
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        double[] ms = new double[iterations];
        double[] cpuMs = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            net.fit(xs, ys);
            ms[i] = (System.nanoTime() - t0) / 1e6;
            cpuMs[i] = (os.getProcessCpuTime() - c0) / 1e6;
        }
        String breakdown = "";
        if (recorder != null) {
            breakdown = ",\"profile\":" + recorder.stopAndSummarise(profile);
        }
        if (!Double.isFinite(net.score())) {
            throw new IllegalStateException("training diverged: score " + net.score());
        }

        double[] sorted = ms.clone();
        Arrays.sort(sorted);
        double median = sorted[iterations / 2];
        if (iterations % 2 == 0) {
            median = (sorted[iterations / 2 - 1] + sorted[iterations / 2]) / 2;
        }
        double[] cpuSorted = cpuMs.clone();
        Arrays.sort(cpuSorted);
        double mean = Arrays.stream(ms).average().orElse(Double.NaN);
        double imagesPerS = batch / (median / 1000.0);
        double gflopPerImage = TRAIN_FACTOR * FORWARD_GMAC_224 * (size * (double) size) / (224.0 * 224.0);
        System.out.println(String.format(Locale.ROOT,
                "{\"impl\":\"dl4j\",\"config\":\"%s\",\"model\":\"preact-resnet50\",\"batch\":%d,\"size\":%d,"
                        + "\"warmup\":%d,\"iterations\":%d,\"ms_per_step\":%.1f,\"ms_mean\":%.1f,\"ms_min\":%.1f,\"cpu_ms_per_step\":%.1f,"
                        + "\"images_per_s\":%.2f,\"gflop_per_image\":%.2f,\"gflop_per_s\":%.1f,"
                        + "\"onednn_helpers\":%b,\"cache_mode\":\"%s\",\"params\":%d,\"peak_rss_mib\":%d,\"load_avg_1m\":%.2f%s}",
                mode, batch, size, warmup, iterations, median, mean, sorted[0], cpuSorted[iterations / 2], imagesPerS, gflopPerImage,
                imagesPerS * gflopPerImage, helpersOn, cacheMode, net.numParams(), peakRssMib(), os.getSystemLoadAverage(), breakdown));
    }

    /** VmHWM of this process (peak resident set, native memory included), in MiB. */
    static long peakRssMib() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(Path.of("/proc/self/status")));
        for (String line : lines) {
            if (line.startsWith("VmHWM:")) {
                String kb = line.substring("VmHWM:".length()).trim().split("\\s+")[0];
                return Long.parseLong(kb) / 1024;
            }
        }
        throw new IllegalStateException("/proc/self/status has no VmHWM line");
    }
}
