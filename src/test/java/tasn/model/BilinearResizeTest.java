package tasn.model;

import org.deeplearning4j.gradientcheck.GradientCheckUtil;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.NoOp;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BilinearResizeTest {

    /** Align-corners bilinear interpolation pixel by pixel, straight from its definition. */
    static INDArray resizeByLoops(INDArray x, int size) {
        long n = x.size(0), c = x.size(1), h = x.size(2), w = x.size(3);
        INDArray out = Nd4j.zeros(DataType.DOUBLE, n, c, size, size);
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < size; i++) {
                    double y = size == 1 ? 0 : i * (h - 1.0) / (size - 1);
                    int y0 = (int) Math.floor(y), y1 = (int) Math.min(y0 + 1, h - 1);
                    double fy = y - y0;
                    for (int k = 0; k < size; k++) {
                        double xx = size == 1 ? 0 : k * (w - 1.0) / (size - 1);
                        int x0 = (int) Math.floor(xx), x1 = (int) Math.min(x0 + 1, w - 1);
                        double fx = xx - x0;
                        double v = (1 - fy) * (1 - fx) * x.getDouble(b, ch, y0, x0)
                                + (1 - fy) * fx * x.getDouble(b, ch, y0, x1)
                                + fy * (1 - fx) * x.getDouble(b, ch, y1, x0)
                                + fy * fx * x.getDouble(b, ch, y1, x1);
                        out.putScalar(new long[] {b, ch, i, k}, v);
                    }
                }
            }
        }
        return out;
    }

    @Test
    void matchesAlignCornersBilinearLoopWhenShrinkingAndEnlarging() {
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 7, 5);
        for (int size : new int[] {4, 11}) {
            ComputationGraph graph = TinyGraphs.around(new BilinearResize(size), InputType.convolutional(7, 5, 3));
            INDArray out = TinyGraphs.run(graph, false, x);
            assertTrue(TinyGraphs.maxAbsDifference(resizeByLoops(x, size), out) < 1e-12, "size " + size);
        }
    }

    @Test
    void sameSizeIsIdentityAndCornersArePreserved() {
        INDArray x = Nd4j.rand(DataType.DOUBLE, 1, 2, 6, 6);
        ComputationGraph same = TinyGraphs.around(new BilinearResize(6), InputType.convolutional(6, 6, 2));
        assertTrue(TinyGraphs.maxAbsDifference(x, TinyGraphs.run(same, false, x)) < 1e-12);
        ComputationGraph bigger = TinyGraphs.around(new BilinearResize(13), InputType.convolutional(6, 6, 2));
        INDArray out = TinyGraphs.run(bigger, false, x);
        assertEquals(x.getDouble(0, 1, 5, 5), out.getDouble(0, 1, 12, 12), 1e-12);
        assertEquals(x.getDouble(0, 0, 0, 5), out.getDouble(0, 0, 0, 12), 1e-12);
    }

    @Test
    void floatInputGivesFloatOutputClose() {
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 3, 9, 9);
        INDArray expected = resizeByLoops(x, 5);
        org.deeplearning4j.nn.conf.ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                .dataType(DataType.FLOAT).graphBuilder().addInputs("in0")
                .setInputTypes(InputType.convolutional(9, 9, 3))
                .addVertex("vertex", new BilinearResize(5), "in0").setOutputs("vertex").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        INDArray out = graph.output(false, x.castTo(DataType.FLOAT))[0];
        assertEquals(DataType.FLOAT, out.dataType());
        assertTrue(TinyGraphs.maxAbsDifference(expected, out) < 1e-5);
    }

    @Test
    void gradientCheckPassesThroughTheResize() {
        Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
        try {
            ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder()
                    .dataType(DataType.DOUBLE).seed(7).updater(new NoOp()).weightInit(WeightInit.XAVIER)
                    .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(5, 4, 2))
                    .addLayer("conv", new ConvolutionLayer.Builder(2, 2).nOut(3).activation(Activation.TANH).build(), "in")
                    .addVertex("resize", new BilinearResize(6), "conv")
                    .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE)
                            .activation(Activation.IDENTITY).nOut(4).build(), "resize")
                    .setOutputs("out").build();
            ComputationGraph graph = new ComputationGraph(conf);
            graph.init();
            INDArray input = Nd4j.rand(DataType.DOUBLE, 3, 2, 5, 4);
            INDArray labels = Nd4j.rand(DataType.DOUBLE, 3, 4);
            boolean ok = GradientCheckUtil.checkGradients(new GradientCheckUtil.GraphConfig().net(graph)
                    .inputs(new INDArray[] {input}).labels(new INDArray[] {labels})
                    .epsilon(1e-6).maxRelError(1e-5).minAbsoluteError(1e-10));
            assertTrue(ok, "gradient check of conv -> BilinearResize -> dense");
        } finally {
            Nd4j.setDefaultDataTypes(DataType.FLOAT, DataType.FLOAT);
        }
    }

    @Test
    void rejectsChannelsLastInputs() {
        Exception error = org.junit.jupiter.api.Assertions.assertThrows(Exception.class,
                () -> TinyGraphs.around(new BilinearResize(4),
                        InputType.convolutional(8, 8, 2, org.deeplearning4j.nn.conf.CNN2DFormat.NHWC)));
        assertTrue(String.valueOf(error.getMessage()).contains("NCHW"), error.toString());
    }

    @Test
    void survivesJsonRoundTripAndModelSerializer() throws Exception {
        BilinearResize vertex = new BilinearResize(5);
        ComputationGraph graph = TinyGraphs.around(vertex, InputType.convolutional(8, 8, 2));
        TinyGraphs.assertJsonRoundTrip(graph, vertex);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 2, 2, 8, 8);
        ComputationGraph loaded = TinyGraphs.saveAndLoad(graph);
        assertEquals(0.0, TinyGraphs.maxAbsDifference(TinyGraphs.run(graph, false, x), TinyGraphs.run(loaded, false, x)));
    }
}
