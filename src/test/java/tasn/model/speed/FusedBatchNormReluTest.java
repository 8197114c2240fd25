package tasn.model.speed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Set;
import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * FusedBatchNormRelu computes what DL4J's BatchNormalization + ActivationLayer(RELU) compute:
 * gradients checked numerically in double precision, and forward, gradients, SGD steps and
 * running statistics compared with DL4J's pair in float.
 */
class FusedBatchNormReluTest {

    @BeforeAll
    static void switchOn() {
        DeepLearningSpeed.enable();
    }

    @Test
    void gradientsMatchFiniteDifferencesInDoublePrecision() {
        Nd4j.getRandom().setSeed(3);
        ComputationGraph graph = new ComputationGraph(residualGraph(true, DataType.DOUBLE, new NoOp()));
        graph.init();
        INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 2, 6, 6).subi(0.5).muli(2);
        INDArray y = labels(DataType.DOUBLE, 3);
        Set<String> runningStatistics = new HashSet<>();
        for (String p : graph.paramTable().keySet()) {
            if (p.endsWith("_mean") || p.endsWith("_var") || p.endsWith("_log10stdev")) {
                runningStatistics.add(p);
            }
        }
        assertEquals(4, runningStatistics.size(), "two fused layers, each with mean and log10stdev: " + runningStatistics);
        DataType before = Nd4j.dataType();
        DataType beforeFloat = Nd4j.defaultFloatingPointType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE); // GradientCheckUtil insists
        try {
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
                    .inputs(new INDArray[] {x}).labels(new INDArray[] {y})
                    .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-9)
                    .print(GradientCheckUtil.PrintMode.FAILURES_ONLY)
                    .excludeParams(runningStatistics));
            assertTrue(ok, "gradient check failed (see log)");
        } finally {
            Nd4j.setDefaultDataTypes(before, beforeFloat);
        }
    }

    @Test
    void computesWhatBatchNormalizationThenReluComputes() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 2, 10, 10).subi(0.5);
        compareWithDl4j(x);
    }

    @Test
    void batchStatisticsStayAccurateForChannelsFarFromZero() {
        // mean 5, spread 0.5: the single-pass variance must not lose the spread to rounding.
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 2, 10, 10).subi(0.5).addi(5);
        compareWithDl4j(x);
    }

    @Test
    void configurationSurvivesJson() {
        ComputationGraphConfiguration conf = residualGraph(true, DataType.FLOAT, new Sgd(0.1));
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(conf.toJson());
        assertEquals(conf, back);
        assertInstanceOf(FusedBatchNormRelu.class, back.getVertices().get("bnrelu1") instanceof
                org.deeplearning4j.nn.conf.graph.LayerVertex v ? v.getLayerConf().getLayer() : null);
        ComputationGraph graph = new ComputationGraph(back);
        graph.init();
        assertInstanceOf(FusedBatchNormReluLayer.class, graph.getLayer("bnrelu1"));
    }

    @Test
    void builderRejectsADecayOutsideZeroToOne() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new FusedBatchNormRelu.Builder().decay(1.5));
        assertTrue(e.getMessage().contains("decay"));
    }

    private static void compareWithDl4j(INDArray x) {
        ComputationGraph dl4j = new ComputationGraph(residualGraph(false, DataType.FLOAT, new Sgd(0.1)));
        dl4j.init();
        ComputationGraph fused = new ComputationGraph(residualGraph(true, DataType.FLOAT, new Sgd(0.1)));
        fused.init();
        assertEquals(dl4j.numParams(), fused.numParams());
        fused.setParams(dl4j.params().dup());
        INDArray y = labels(DataType.FLOAT, x.size(0));

        assertClose(dl4j.outputSingle(true, x), fused.outputSingle(true, x), "training-mode output");
        dl4j.setInputs(x);
        dl4j.setLabels(y);
        dl4j.computeGradientAndScore();
        fused.setInputs(x);
        fused.setLabels(y);
        fused.computeGradientAndScore();
        assertEquals(dl4j.score(), fused.score(), 1e-5, "score");
        assertClose(dl4j.gradient().gradient(), fused.gradient().gradient(), "gradient (running-statistics updates included)");
        for (int step = 0; step < 3; step++) {
            dl4j.fit(new INDArray[] {x}, new INDArray[] {y});
            fused.fit(new INDArray[] {x}, new INDArray[] {y});
        }
        assertClose(dl4j.params(), fused.params(), "parameters and running statistics after 3 SGD steps");
        assertClose(dl4j.outputSingle(false, x), fused.outputSingle(false, x), "inference output (running statistics)");
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= 2e-4 * scale, what + ": max |difference| " + diff + " against max |value| " + scale);
    }

    private static INDArray labels(DataType type, long n) {
        INDArray y = Nd4j.zeros(type, n, 3);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, (i * 2) % 3, 1.0);
        }
        return y;
    }

    /** conv -> BN-ReLU -> conv, plus a residual add that shares the gradient -> BN-ReLU -> pool -> softmax. */
    private static ComputationGraphConfiguration residualGraph(boolean fused, DataType type,
                                                               org.nd4j.linalg.learning.config.IUpdater updater) {
        ComputationGraphConfiguration.GraphBuilder g = new NeuralNetConfiguration.Builder()
                .dataType(type)
                .seed(11)
                .updater(updater)
                .weightInit(WeightInit.XAVIER)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(type == DataType.DOUBLE ? 6 : 10, type == DataType.DOUBLE ? 6 : 10, 2))
                .addLayer("conv1", new ConvolutionLayer.Builder(3, 3).nOut(4).hasBias(false)
                        .activation(Activation.IDENTITY).build(), "in");
        String a = bnRelu(g, "bnrelu1", "conv1", fused);
        g.addLayer("conv2", new ConvolutionLayer.Builder(3, 3).nOut(4).hasBias(false)
                .activation(Activation.IDENTITY).build(), a);
        g.addVertex("add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "conv2", "conv1");
        String b = bnRelu(g, "bnrelu2", "add", fused);
        g.addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), b)
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out");
        return g.build();
    }

    private static String bnRelu(ComputationGraphConfiguration.GraphBuilder g, String name, String in, boolean fused) {
        if (fused) {
            g.addLayer(name, new FusedBatchNormRelu.Builder().build(), in);
            return name;
        }
        g.addLayer(name, new BatchNormalization.Builder().build(), in);
        g.addLayer(name + "_relu", new ActivationLayer(Activation.RELU), name);
        return name + "_relu";
    }
}
