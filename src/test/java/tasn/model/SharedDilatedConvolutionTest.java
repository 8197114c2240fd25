package tasn.model;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedDilatedConvolutionTest {

    private static ComputationGraph headGraph(DataType type) {
        return headGraph(type, WorkspaceMode.ENABLED);
    }

    private static ComputationGraph headGraph(DataType type, WorkspaceMode workspaces) {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(3).dataType(type).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                .trainingWorkspaceMode(workspaces).inferenceWorkspaceMode(workspaces)
                .graphBuilder()
                .addInputs("x")
                .addLayer("att1", SharedDilatedConvolution.of(4, 1, 2), "x")
                .addLayer("att2", SharedDilatedConvolution.of(4, 1, 2, 3), "att1")
                .addLayer("pool", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "att2")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(3).activation(Activation.SOFTMAX).build(), "pool")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(7, 6, 3))
                .build();
        ComputationGraph net = new ComputationGraph(conf);
        net.init();
        return net;
    }

    @Test
    void gradientsMatchFiniteDifferencesInDoublePrecision() {
        DataType defaultType = Nd4j.dataType();
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);  // GradientCheckUtil requires it
        try {
            checkGradients();
        } finally {
            Nd4j.setDefaultDataTypes(defaultType, defaultType);
        }
    }

    private void checkGradients() {
        ComputationGraph net = headGraph(DataType.DOUBLE);
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 7, 6).subi(0.3);
        INDArray labels = Nd4j.zeros(DataType.DOUBLE, 2, 3);
        labels.putScalar(0, 1, 1.0);
        labels.putScalar(1, 2, 1.0);
        boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig()
                .net(net).inputs(new INDArray[]{x}).labels(new INDArray[]{labels})
                .epsilon(1e-6).maxRelError(1e-3).minAbsoluteError(1e-8)
                .print(GradientCheckUtil.PrintMode.FAILURES_ONLY).exitOnFirstError(false));
        assertTrue(ok, "gradient check failed; see the log for the parameters");
    }

    @Test
    void forwardSumsReluOfOneWeightAtEveryDilation() {
        ComputationGraph net = headGraph(DataType.DOUBLE);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 3, 7, 6).subi(0.5);
        INDArray w = net.getLayer("att1").getParam("W");
        INDArray b = net.getLayer("att1").getParam("b");
        INDArray got = net.feedForward(new INDArray[]{x}, false).get("att1");
        assertArrayEquals(new long[]{1, 4, 7, 6}, got.shape());
        for (int o = 0; o < 4; o++) {
            for (int i = 0; i < 7; i++) {
                for (int j = 0; j < 6; j++) {
                    double expected = 0;
                    for (int d : new int[]{1, 2}) {
                        expected += Math.max(0, naiveConv(x, w, b.getDouble(o), o, i, j, d));
                    }
                    assertEquals(expected, got.getDouble(0, o, i, j), 1e-10);
                }
            }
        }
    }

    @Test
    void everyDilationInFloatMatchesANaiveConvolutionOnMapsNotAMultipleOfTheDilation() {
        // att2 runs d = 2 and 3 through the space-to-batch rewrite (and, in float, oneDNN); a
        // 7 x 6 map makes the rewrite pad unevenly, rows and columns differently.
        ComputationGraph net = headGraph(DataType.FLOAT);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 7, 6).subi(0.5);
        INDArray att1 = net.feedForward(new INDArray[]{x}, false).get("att1");
        INDArray att2 = net.feedForward(new INDArray[]{x}, false).get("att2");
        INDArray w = net.getLayer("att2").getParam("W");
        INDArray b = net.getLayer("att2").getParam("b");
        for (int n = 0; n < 2; n++) {
            INDArray one = att1.get(NDArrayIndex.interval(n, n + 1));
            for (int o = 0; o < 4; o++) {
                for (int i = 0; i < 7; i++) {
                    for (int j = 0; j < 6; j++) {
                        double expected = 0;
                        for (int d : new int[]{1, 2, 3}) {
                            expected += Math.max(0, naiveConv(one, w, b.getDouble(o), o, i, j, d));
                        }
                        assertEquals(expected, att2.getDouble(n, o, i, j), 1e-4,
                                "att2 at image " + n + ", filter " + o + ", (" + i + ", " + j + ")");
                    }
                }
            }
        }
    }

    @Test
    void gradientsAreTheSameWithAndWithoutWorkspacesAndOnRepeatedCalls() {
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 3, 7, 6).subi(0.4);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, 3, 3);
        labels.putScalar(0, 0, 1.0);
        labels.putScalar(1, 2, 1.0);
        labels.putScalar(2, 1, 1.0);
        ComputationGraph with = headGraph(DataType.FLOAT, WorkspaceMode.ENABLED);
        ComputationGraph without = headGraph(DataType.FLOAT, WorkspaceMode.NONE);
        without.setParams(with.params().dup());
        INDArray first = gradient(with, x, labels);
        assertEquals(first, gradient(with, x, labels));
        assertEquals(first, gradient(without, x, labels));
    }

    private static INDArray gradient(ComputationGraph net, INDArray x, INDArray labels) {
        net.setInputs(x);
        net.setLabels(labels);
        net.computeGradientAndScore();
        return net.gradient().gradient().dup();
    }

    @Test
    void configurationSurvivesJson() {
        ComputationGraph net = headGraph(DataType.FLOAT);
        String json = net.getConfiguration().toJson();
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(json);
        assertEquals(json, back.toJson());
        assertEquals(net.getConfiguration(), back);
        ComputationGraph again = new ComputationGraph(back);
        again.init(net.params(), true);
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 3, 7, 6);
        assertEquals(net.outputSingle(x), again.outputSingle(x));
    }

    /** One output pixel of a 3x3 convolution with dilation d and zero padding d. */
    private static double naiveConv(INDArray x, INDArray w, double bias, int o, int i, int j, int d) {
        double sum = bias;
        for (int c = 0; c < x.size(1); c++) {
            for (int ki = 0; ki < 3; ki++) {
                for (int kj = 0; kj < 3; kj++) {
                    int si = i + (ki - 1) * d;
                    int sj = j + (kj - 1) * d;
                    if (si >= 0 && si < x.size(2) && sj >= 0 && sj < x.size(3)) {
                        sum += w.getDouble(o, c, ki, kj) * x.getDouble(0, c, si, sj);
                    }
                }
            }
        }
        return sum;
    }
}
