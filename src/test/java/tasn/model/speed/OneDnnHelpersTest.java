package tasn.model.speed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Proves DL4J's oneDNN helpers are really on (they fail silently in M2) and that they, and
 * CacheMode.DEVICE, compute the same numbers as DL4J's own Java path.
 */
class OneDnnHelpersTest {

    private static final long SEED = 12345;

    @BeforeAll
    static void switchOn() {
        assertTrue(DeepLearningSpeed.enable(), "oneDNN helpers off: " + OneDnnHelpers.whyInactive());
    }

    @Test
    void standInAnswersUnderTheNameDl4jLooksUp() {
        assertTrue(org.nd4j.nativeblas.Nd4jCpu.Environment.getInstance().isUseMKLDNN(),
                "the native library has no oneDNN: is nd4j-native with a -onednn classifier on the classpath?");
        assertTrue(BaseMKLDNNHelper.mklDnnEnabled());
        assertNull(OneDnnHelpers.whyInactive());
    }

    @Test
    void layersOfABuiltGraphGetOneDnnHelpers() throws Exception {
        ComputationGraph graph = smallGraph(CacheMode.NONE);
        assertInstanceOf(MKLDNNConvHelper.class, helperOf(graph, "conv", "helper"));
        assertInstanceOf(MKLDNNBatchNormHelper.class, helperOf(graph, "bn", "helper"));
        assertInstanceOf(MKLDNNSubsamplingHelper.class, helperOf(graph, "pool", "helper"));
    }

    @Test
    void helpersOffLeaveTheLayersWithoutHelpers() throws Exception {
        ComputationGraph graph = withProperty("true", () -> smallGraph(CacheMode.NONE));
        assertNull(helperOf(graph, "conv", "helper"));
        assertNull(helperOf(graph, "bn", "helper"));
    }

    @Test
    void helpersGiveTheSameOutputsAndGradientsAsTheJavaPath() {
        ComputationGraph java = withProperty("true", () -> smallGraph(CacheMode.NONE));
        ComputationGraph oneDnn = smallGraph(CacheMode.NONE);
        assertSameOutputsAndGradients(java, oneDnn);
    }

    @Test
    void cacheModeDeviceGivesTheSameOutputsAndGradients() {
        assertSameOutputsAndGradients(smallGraph(CacheMode.NONE), smallGraph(CacheMode.DEVICE));
    }

    @Test
    void configureSetsDeviceCacheWorkspacesAndFloat() {
        NeuralNetConfiguration conf = DeepLearningSpeed.configure(new NeuralNetConfiguration.Builder()).build();
        assertEquals(CacheMode.DEVICE, conf.getCacheMode());
        ComputationGraphConfiguration graphConf = DeepLearningSpeed.configure(new NeuralNetConfiguration.Builder())
                .graphBuilder().addInputs("in")
                .addLayer("out", new OutputLayer.Builder().nIn(2).nOut(2).activation(Activation.SOFTMAX).build(), "in")
                .setOutputs("out").build();
        assertEquals(DeepLearningSpeed.WORKSPACE_MODE, graphConf.getTrainingWorkspaceMode());
        assertEquals(DeepLearningSpeed.WORKSPACE_MODE, graphConf.getInferenceWorkspaceMode());
        assertEquals(DeepLearningSpeed.DATA_TYPE, graphConf.getDataType());
    }

    private static void assertSameOutputsAndGradients(ComputationGraph a, ComputationGraph b) {
        assertEquals(a.params(), b.params(), "both graphs must start from the same weights");
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DeepLearningSpeed.DATA_TYPE, 4, 3, 16, 16).subi(0.5);
        INDArray y = Nd4j.zeros(DeepLearningSpeed.DATA_TYPE, 4, 3);
        for (int i = 0; i < 4; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        assertClose(a.outputSingle(false, x), b.outputSingle(false, x), "inference output");
        a.setInputs(x);
        a.setLabels(y);
        a.computeGradientAndScore();
        b.setInputs(x);
        b.setLabels(y);
        b.computeGradientAndScore();
        assertEquals(a.score(), b.score(), 1e-5 * Math.max(1, Math.abs(a.score())), "training score");
        assertClose(a.gradient().gradient(), b.gradient().gradient(), "gradient");
        // One SGD step with each, then the same forward pass: updates and BN running stats agree.
        a.fit(new INDArray[] {x}, new INDArray[] {y});
        b.fit(new INDArray[] {x}, new INDArray[] {y});
        assertClose(a.params(), b.params(), "parameters after one step");
        assertClose(a.outputSingle(false, x), b.outputSingle(false, x), "output after one step");
    }

    private static void assertClose(INDArray expected, INDArray actual, String what) {
        double scale = Math.max(1e-3, expected.amaxNumber().doubleValue());
        double diff = expected.sub(actual).amaxNumber().doubleValue();
        assertTrue(diff <= 1e-4 * scale, what + ": max |difference| " + diff + " against max |value| " + scale);
    }

    /** conv 3x3 -> BN -> ReLU -> max-pool -> conv 1x1 -> BN -> ReLU -> global average -> softmax. */
    private static ComputationGraph smallGraph(CacheMode cacheMode) {
        ComputationGraphConfiguration conf = DeepLearningSpeed.configure(new NeuralNetConfiguration.Builder())
                .cacheMode(cacheMode)
                .seed(SEED)
                .updater(new Sgd(0.1))
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("in")
                .setInputTypes(InputType.convolutional(16, 16, 3))
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(8).hasBias(false)
                        .activation(Activation.IDENTITY).build(), "in")
                .addLayer("bn", new BatchNormalization.Builder().build(), "conv")
                .addLayer("relu", new ActivationLayer(Activation.RELU), "bn")
                .addLayer("pool", new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(), "relu")
                .addLayer("conv2", new ConvolutionLayer.Builder(1, 1).nOut(6).hasBias(false)
                        .activation(Activation.IDENTITY).build(), "pool")
                .addLayer("bn2", new BatchNormalization.Builder().build(), "conv2")
                .addLayer("relu2", new ActivationLayer(Activation.RELU), "bn2")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "relu2")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build(), "gap")
                .setOutputs("out")
                .build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    private static Object helperOf(ComputationGraph graph, String layer, String field) throws Exception {
        Object impl = graph.getLayer(layer);
        for (Class<?> c = impl.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(field);
                f.setAccessible(true);
                return f.get(impl);
            } catch (NoSuchFieldException e) {
                // look in the superclass
            }
        }
        throw new AssertionError("layer " + layer + " (" + impl.getClass() + ") has no field " + field);
    }

    private static <T> T withProperty(String disable, Supplier<T> body) {
        String before = System.getProperty(OneDnnHelpers.DISABLE_PROPERTY);
        System.setProperty(OneDnnHelpers.DISABLE_PROPERTY, disable);
        try {
            return body.get();
        } finally {
            if (before == null) {
                System.clearProperty(OneDnnHelpers.DISABLE_PROPERTY);
            } else {
                System.setProperty(OneDnnHelpers.DISABLE_PROPERTY, before);
            }
        }
    }
}
