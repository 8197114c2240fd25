package tasn.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrilinearAttentionTest {

    /** TASN.md's four steps with plain loops over channels and positions. */
    static INDArray trilinearByLoops(INDArray input, double s) {
        int n = (int) input.size(0), c = (int) input.size(1), h = (int) input.size(2), w = (int) input.size(3);
        int hw = h * w;
        INDArray out = Nd4j.zeros(DataType.DOUBLE, n, c, h, w);
        for (int b = 0; b < n; b++) {
            double[][] x = new double[c][hw];
            for (int ch = 0; ch < c; ch++) {
                for (int p = 0; p < hw; p++) {
                    x[ch][p] = input.getDouble(b, ch, p / w, p % w);
                }
            }
            double[][] n1 = new double[c][];
            for (int ch = 0; ch < c; ch++) {
                double[] scaled = new double[hw];
                for (int p = 0; p < hw; p++) {
                    scaled[p] = s * x[ch][p];
                }
                n1[ch] = softmax(scaled);
            }
            double[][] relations = new double[c][c];
            for (int i = 0; i < c; i++) {
                for (int j = 0; j < c; j++) {
                    for (int p = 0; p < hw; p++) {
                        relations[i][j] += n1[i][p] * x[j][p];
                    }
                }
            }
            for (int i = 0; i < c; i++) {
                double[] n2 = softmax(relations[i]);
                for (int p = 0; p < hw; p++) {
                    double m = 0;
                    for (int j = 0; j < c; j++) {
                        m += n2[j] * x[j][p];
                    }
                    out.putScalar(new long[] {b, i, p / w, p % w}, m);
                }
            }
        }
        return out;
    }

    private static double[] softmax(double[] v) {
        double max = Double.NEGATIVE_INFINITY;
        for (double x : v) {
            max = Math.max(max, x);
        }
        double sum = 0;
        double[] e = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            e[i] = Math.exp(v[i] - max);
            sum += e[i];
        }
        for (int i = 0; i < v.length; i++) {
            e[i] /= sum;
        }
        return e;
    }

    @Test
    void matchesTheNaiveLoopsOnRandomInput() {
        for (double s : new double[] {7.0, 2.0}) {
            INDArray x = Nd4j.rand(DataType.DOUBLE, 3, 6, 5, 4).muli(2.0);
            ComputationGraph graph = TinyGraphs.around(new TrilinearAttention(s), InputType.convolutional(5, 4, 6));
            INDArray out = TinyGraphs.run(graph, true, x);
            double error = TinyGraphs.maxAbsDifference(trilinearByLoops(x, s), out);
            assertTrue(error < 1e-6, "s = " + s + ": max error " + error);
        }
    }

    @Test
    void largeActivationsStayFinite() {
        // ReLU feature maps can be large: s X of several hundred must not overflow the softmax
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 8, 6, 6).muli(100.0);
        ComputationGraph graph = TinyGraphs.around(new TrilinearAttention(), InputType.convolutional(6, 6, 8));
        INDArray out = TinyGraphs.run(graph, false, x);
        assertFalse(out.isNaN().any() || out.isInfinite().any());
        assertTrue(TinyGraphs.maxAbsDifference(trilinearByLoops(x, 7.0), out) < 1e-6);
    }

    @Test
    void noGradientFlowsBack() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(2)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(5, 5, 2))
                .addLayer("features", new ConvolutionLayer.Builder(1, 1).nOut(4).activation(Activation.RELU).build(), "in")
                .addVertex("trilinear", new TrilinearAttention(), "features")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .nOut(3).build(), "trilinear")
                .setOutputs("out").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        graph.setInputs(Nd4j.rand(DataType.DOUBLE, 2, 2, 5, 5));
        graph.setLabels(Nd4j.rand(DataType.DOUBLE, 2, 3));
        graph.computeGradientAndScore();
        var gradients = graph.gradient().gradientForVariable();
        assertEquals(0.0, gradients.get("features_W").amaxNumber().doubleValue());
        assertTrue(gradients.get("out_W").amaxNumber().doubleValue() > 0);
    }

    @Test
    void survivesJsonRoundTripAndModelSerializer() throws Exception {
        TrilinearAttention vertex = new TrilinearAttention(3.5);
        ComputationGraph graph = TinyGraphs.around(vertex, InputType.convolutional(4, 4, 5));
        TinyGraphs.assertJsonRoundTrip(graph, vertex);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 5, 4, 4);
        assertEquals(0.0, TinyGraphs.maxAbsDifference(TinyGraphs.run(graph, false, x),
                TinyGraphs.run(TinyGraphs.saveAndLoad(graph), false, x)));
        assertThrows(IllegalArgumentException.class, () -> new TrilinearAttention(0.0));
    }
}
