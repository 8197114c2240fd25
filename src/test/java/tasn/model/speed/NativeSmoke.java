package tasn.model.speed;

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

/**
 * A child-JVM program for {@link NativesOnOtherCpusTest}: loads ND4J, builds the {@code tiny}
 * TASN with the jobs' settings (oneDNN helpers on), takes two training steps and one scoring
 * pass on fixed pseudo-random images, and prints one JSON line with the native build, whether
 * the helpers were on, the loss before and after the steps and the master head's mean
 * probability of the true class, so that two CPUs' runs can be compared number for number.
 */
public final class NativeSmoke {

    private NativeSmoke() {
    }

    public static void main(String[] args) {
        boolean helpers = DeepLearningSpeed.enable();
        ModelConfig model = ConfigLoader.load("tiny", List.of()).model();
        int n = 4;
        int r = model.inputSize();
        Nd4j.getRandom().setSeed(7);
        INDArray images = Nd4j.rand(DataType.FLOAT, n, 3, r, r).subi(0.5).muli(100);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, n, model.numClasses());
        for (int i = 0; i < n; i++) {
            labels.putScalar(i, i % model.numClasses(), 1.0);
        }
        INDArray[] ys = new INDArray[TasnGraph.OUTPUTS.size()];
        Arrays.fill(ys, labels);
        MultiDataSet batch = new MultiDataSet(new INDArray[]{images}, ys);

        ComputationGraph graph = TasnGraph.build(model);
        double before = graph.score(batch);
        graph.fit(batch);
        graph.fit(batch);
        double after = graph.score(batch);
        INDArray master = new TasnPredictor(graph).predict(images).master();
        double trueClass = master.mul(labels).sum(1).meanNumber().doubleValue();
        System.out.println(String.format(Locale.ROOT,
                "{\"native_build\":\"%s\",\"onednn_helpers\":%b,\"loss_before\":%.6f,\"loss_after\":%.6f,\"master_true_class\":%.6f}",
                NativeBuild.loaded().orElse("unknown"), helpers, before, after, trueClass));
    }
}
