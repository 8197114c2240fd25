package tasn.model;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import tasn.config.ModelConfig;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Double-precision gradient checks of the whole TASN graph at a minute size (12 px images,
 * one attention channel so the detail map's random channel is always the same one). The
 * sampler passes no gradient to the attention maps by design (TASN.md "Gradients"), so the
 * true gradient of the full score with respect to attention-net weights is NOT what the graph
 * back-propagates; the check is therefore made in two parts whose sum is the TASN loss:
 * the attention term alone checks every parameter, and the five backbone terms alone check
 * every backbone and head parameter. BatchNorm running statistics are not gradients.
 */
class TasnGradientCheckTest {
    /** Entries checked per parameter array (all of them when it has fewer). */
    private static final int PER_PARAM = 6;
    private DataType defaultType;

    @BeforeEach
    void doublePrecision() {
        defaultType = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    }

    @AfterEach
    void restore() {
        Nd4j.setDefaultDataTypes(defaultType, defaultType);
    }

    @Test
    void attentionTermGradientIsExactForEveryParameter() {
        ModelConfig m = TasnFixtures.minute("model.loss.weights.part=0", "model.loss.weights.master=0",
                "model.loss.weights.shared-part=0", "model.loss.weights.shared-master=0",
                "model.loss.weights.distillation=0");
        assertTrue(check(m, false));
    }

    @Test
    void backboneTermsGradientIsExactForBackboneAndHeads() {
        ModelConfig m = TasnFixtures.minute("model.loss.weights.attention=0", "model.loss.weights.distillation=1.5",
                "model.loss.temperature=2");
        assertTrue(check(m, true));
    }

    private static boolean check(ModelConfig m, boolean excludeAttentionNet) {
        ComputationGraph graph = TasnGraph.build(m, GraphOptions.defaults().withDataType(DataType.DOUBLE).withUpdater(new NoOp()));
        Nd4j.getRandom().setSeed(17);
        // Biases start at zero; where a dilated convolution sees only zeros (ReLU outputs),
        // its pre-activation would then sit exactly on ReLU's kink. Move them off it.
        graph.paramTable().forEach((key, value) -> {
            if (key.endsWith("_b")) {
                value.assign(Nd4j.rand(DataType.DOUBLE, value.shape()).muli(0.2).addi(0.05));
            }
        });
        INDArray images = Nd4j.rand(DataType.DOUBLE, 2, 3, 12, 12).subi(0.5);
        INDArray labels = TasnFixtures.oneHot(new int[]{2, 0}, 3, DataType.DOUBLE);
        List<FiniteDifferences.Failure> failures = FiniteDifferences.check(graph, TasnFixtures.tasnBatch(images, labels),
                key -> !isRunningStatistic(key) && !(excludeAttentionNet && isAttention(key)),
                PER_PARAM, 1e-6, 1e-3, 1e-8, 5);
        failures.forEach(f -> System.out.println("gradient check failed: " + f));
        return failures.isEmpty();
    }

    /** BatchNorm's running mean and (log) deviation: updated in training, not learned by gradient. */
    private static boolean isRunningStatistic(String key) {
        return key.endsWith("_mean") || key.endsWith("_var") || key.endsWith("_log10stdev");
    }

    private static boolean isAttention(String key) {
        return key.startsWith("att_") || key.startsWith("head_att_");
    }
}
