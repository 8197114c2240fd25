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
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttentionSamplerTest {

    private static ComputationGraph samplerGraph(AttentionSampler sampler, int channels, int imageSize, int mapSize) {
        return TinyGraphs.around(sampler, InputType.convolutional(imageSize, imageSize, channels),
                InputType.convolutional(mapSize, mapSize, 1));
    }

    /**
     * The sampler straight from TASN.md's text, pixel by pixel: marginals by max, normalise to
     * sum S, flatten peaks, inverse CDF with a linear search, bilinear sampling with zeros
     * outside the image. Map and image of one size.
     */
    static INDArray samplerByLoops(INDArray image, INDArray map, int s, int iterations, double dense) {
        int n = (int) image.size(0), c = (int) image.size(1), r = (int) image.size(2);
        INDArray out = Nd4j.zeros(DataType.DOUBLE, n, c, s, s);
        for (int b = 0; b < n; b++) {
            double[] a = new double[r];
            double[] bx = new double[r];
            java.util.Arrays.fill(a, Double.NEGATIVE_INFINITY);
            java.util.Arrays.fill(bx, Double.NEGATIVE_INFINITY);
            for (int y = 0; y < r; y++) {
                for (int x = 0; x < r; x++) {
                    double v = map.getDouble(b, 0, y, x);
                    a[y] = Math.max(a[y], v);
                    bx[x] = Math.max(bx[x], v);
                }
            }
            double sumA = 0, sumB = 0;
            for (int j = 0; j < r; j++) {
                sumA += a[j];
                sumB += bx[j];
            }
            for (int j = 0; j < r; j++) {
                a[j] = a[j] / sumA * s;
                bx[j] = bx[j] / sumB * s;
            }
            for (int it = 0; it < iterations; it++) {
                double maxA = 0, maxB = 0;
                for (int j = 0; j < r; j++) {
                    maxA = Math.max(maxA, a[j]);
                    maxB = Math.max(maxB, bx[j]);
                }
                double t = Math.min(maxA, maxB);
                if (it == 0) {
                    double scale = (double) s / r;
                    t = Math.min(t, scale * dense * r / r);
                }
                double newSumA = 0, newSumB = 0;
                for (int j = 0; j < r; j++) {
                    a[j] = Math.min(a[j], t);
                    bx[j] = Math.min(bx[j], t);
                    newSumA += a[j];
                    newSumB += bx[j];
                }
                for (int j = 0; j < r; j++) {
                    a[j] += (s - newSumA) / r;
                    bx[j] += (s - newSumB) / r;
                }
            }
            double[] rows = inverseCdfByLinearSearch(a, s);
            double[] cols = inverseCdfByLinearSearch(bx, s);
            for (int ch = 0; ch < c; ch++) {
                for (int i = 0; i < s; i++) {
                    for (int k = 0; k < s; k++) {
                        out.putScalar(new long[] {b, ch, i, k}, bilinearAt(image, b, ch, rows[i], cols[k]));
                    }
                }
            }
        }
        return out;
    }

    private static double[] inverseCdfByLinearSearch(double[] a, int s) {
        int r = a.length;
        double[] f = new double[r];
        for (int j = 1; j < r; j++) {
            f[j] = f[j - 1] + a[j];
        }
        double[] p = new double[s];
        for (int i = 0; i < s; i++) {
            double t = i * f[r - 1] / (s - 1);
            int j = 1;
            while (j < r - 1 && f[j] < t - 1e-12) {
                j++;
            }
            p[i] = j - (f[j] - t) / (f[j] - f[j - 1]);
        }
        return p;
    }

    private static double bilinearAt(INDArray image, int b, int ch, double y, double x) {
        int r = (int) image.size(2);
        int y0 = (int) Math.floor(y), x0 = (int) Math.floor(x);
        double fy = y - y0, fx = x - x0, v = 0;
        for (int dy = 0; dy <= 1; dy++) {
            for (int dx = 0; dx <= 1; dx++) {
                int yy = y0 + dy, xx = x0 + dx;
                if (yy >= 0 && yy < r && xx >= 0 && xx < r) {
                    v += (dy == 0 ? 1 - fy : fy) * (dx == 0 ? 1 - fx : fx) * image.getDouble(b, ch, yy, xx);
                }
            }
        }
        return v;
    }

    @Test
    void uniformMapGivesExactlyAnAlignCornersBilinearResize() {
        int r = 23, s = 11;
        INDArray image = Nd4j.rand(DataType.DOUBLE, 2, 3, r, r);
        INDArray uniform = Nd4j.valueArrayOf(new long[] {2, 1, r, r}, 0.37, DataType.DOUBLE);
        INDArray sampled = TinyGraphs.run(samplerGraph(new AttentionSampler(s), 3, r, r), false, image, uniform);
        INDArray resized = TinyGraphs.run(TinyGraphs.around(new BilinearResize(s), InputType.convolutional(r, r, 3)),
                false, image);
        assertTrue(TinyGraphs.maxAbsDifference(resized, sampled) < 1e-5);
        assertTrue(TinyGraphs.maxAbsDifference(BilinearResizeTest.resizeByLoops(image, s), sampled) < 1e-5);
    }

    @Test
    void uniformMapAtTheCpuShapesIsAResizeToo() {
        int r = 224, s = 112;
        INDArray image = Nd4j.rand(DataType.DOUBLE, 2, 3, r, r);
        INDArray uniform = Nd4j.ones(DataType.DOUBLE, 2, 1, r, r);
        INDArray sampled = TinyGraphs.run(samplerGraph(new AttentionSampler(s), 3, r, r), false, image, uniform);
        assertTrue(TinyGraphs.maxAbsDifference(BilinearResizeTest.resizeByLoops(image, s), sampled) < 1e-5);
    }

    /** An image whose channel 0 holds each pixel's row and channel 1 its column: sampling it reads off the grid. */
    private static INDArray coordinateImage(int n, int r) {
        INDArray image = Nd4j.zeros(DataType.DOUBLE, n, 2, r, r);
        for (int b = 0; b < n; b++) {
            for (int y = 0; y < r; y++) {
                for (int x = 0; x < r; x++) {
                    image.putScalar(new long[] {b, 0, y, x}, y);
                    image.putScalar(new long[] {b, 1, y, x}, x);
                }
            }
        }
        return image;
    }

    private static int outputPixelsInTopLeftQuadrant(INDArray where, int r) {
        int count = 0;
        for (int i = 0; i < where.size(2); i++) {
            for (int k = 0; k < where.size(3); k++) {
                if (where.getDouble(0, 0, i, k) < r / 2.0 && where.getDouble(0, 1, i, k) < r / 2.0) {
                    count++;
                }
            }
        }
        return count;
    }

    @Test
    void attendedQuadrantCoversMoreThanHalfTheOutput() {
        int r = 64, s = 32;
        INDArray map = Nd4j.valueArrayOf(new long[] {1, 1, r, r}, 0.05, DataType.DOUBLE);
        map.get(NDArrayIndex.all(), NDArrayIndex.all(), NDArrayIndex.interval(0, r / 2), NDArrayIndex.interval(0, r / 2))
                .assign(1.0);
        ComputationGraph graph = samplerGraph(new AttentionSampler(s), 2, r, r);
        INDArray where = TinyGraphs.run(graph, false, coordinateImage(1, r), map);
        int attended = outputPixelsInTopLeftQuadrant(where, r);
        assertTrue(attended > s * s / 2, "quadrant got " + attended + " of " + s * s + " output pixels");
        // under a uniform map the quadrant gets its area's share, a quarter
        INDArray uniformWhere = TinyGraphs.run(graph, false, coordinateImage(1, r), Nd4j.ones(DataType.DOUBLE, 1, 1, r, r));
        assertEquals(s * s / 4, outputPixelsInTopLeftQuadrant(uniformWhere, r));
        // our S - 1 divisor: the first and last rows and columns still sample the image border
        assertEquals(0.0, where.getDouble(0, 0, 0, 0), 1e-9);
        assertEquals(0.0, where.getDouble(0, 1, 0, 0), 1e-9);
        assertEquals(r - 1.0, where.getDouble(0, 0, s - 1, s - 1), 1e-9);
        assertEquals(r - 1.0, where.getDouble(0, 1, s - 1, s - 1), 1e-9);
    }

    @Test
    void floatNetworkAgreesWithDouble() {
        int r = 48, s = 20;
        INDArray image = Nd4j.rand(DataType.DOUBLE, 2, 3, r, r);
        INDArray map = Nd4j.rand(DataType.DOUBLE, 2, 1, r, r).muli(3.0);
        INDArray expected = samplerByLoops(image, map, s, 5, 4.0);
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT)
                .graphBuilder().addInputs("image", "map")
                .setInputTypes(InputType.convolutional(r, r, 3), InputType.convolutional(r, r, 1))
                .addVertex("sampler", new AttentionSampler(s), "image", "map").setOutputs("sampler").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        INDArray out = graph.output(true, image.castTo(DataType.FLOAT), map.castTo(DataType.FLOAT))[0];
        assertEquals(DataType.FLOAT, out.dataType());
        assertTrue(TinyGraphs.maxAbsDifference(expected, out) < 1e-4);
    }

    @Test
    void randomMapsAgreeWithThePerPixelReference() {
        Random random = new Random(3);
        int r = 40, s = 17;
        for (double dense : new double[] {4.0, 1.5}) {
            INDArray image = Nd4j.rand(DataType.DOUBLE, 3, 3, r, r);
            // peaked random maps: squares of uniform noise plus a bright random blob
            INDArray map = Nd4j.rand(DataType.DOUBLE, 3, 1, r, r);
            map.muli(map);
            for (int b = 0; b < 3; b++) {
                int y = random.nextInt(r - 8), x = random.nextInt(r - 8);
                map.get(NDArrayIndex.point(b), NDArrayIndex.all(),
                        NDArrayIndex.interval(y, y + 8),
                        NDArrayIndex.interval(x, x + 8)).addi(5.0);
            }
            AttentionSampler sampler = new AttentionSampler(s, 5, dense);
            INDArray out = TinyGraphs.run(samplerGraph(sampler, 3, r, r), true, image, map);
            INDArray expected = samplerByLoops(image, map, s, 5, dense);
            double error = TinyGraphs.maxAbsDifference(expected, out);
            assertTrue(error < 1e-4, "dense " + dense + ": max error " + error);
        }
    }

    @Test
    void allZeroMapIsTreatedAsUniformAndNanMapsNeverGiveNan() {
        int r = 16, s = 9;
        INDArray image = Nd4j.rand(DataType.DOUBLE, 2, 3, r, r);
        ComputationGraph graph = samplerGraph(new AttentionSampler(s), 3, r, r);
        INDArray resized = BilinearResizeTest.resizeByLoops(image, s);
        INDArray zeros = Nd4j.zeros(DataType.DOUBLE, 2, 1, r, r);
        assertTrue(TinyGraphs.maxAbsDifference(resized, TinyGraphs.run(graph, false, image, zeros)) < 1e-9);
        INDArray broken = Nd4j.rand(DataType.DOUBLE, 2, 1, r, r);
        broken.putScalar(new long[] {0, 0, 3, 4}, Double.NaN);
        broken.putScalar(new long[] {1, 0, 5, 5}, Double.POSITIVE_INFINITY);
        INDArray out = TinyGraphs.run(graph, false, image, broken);
        assertFalse(out.isNaN().any() || out.isInfinite().any(), "no NaN or infinity in the output");
        assertTrue(TinyGraphs.maxAbsDifference(resized, out) < 1e-9, "a non-finite map falls back to a resize");
        // a map that is zero but for one pixel: still a finite, in-range grid
        INDArray spike = Nd4j.zeros(DataType.DOUBLE, 2, 1, r, r);
        spike.putScalar(new long[] {0, 0, 0, 0}, 1.0);
        spike.putScalar(new long[] {1, 0, r - 1, 7}, 1.0);
        INDArray where = TinyGraphs.run(samplerGraph(new AttentionSampler(s), 2, r, r), false, coordinateImage(2, r), spike);
        assertFalse(where.isNaN().any());
        assertTrue(where.minNumber().doubleValue() >= 0 && where.maxNumber().doubleValue() <= r - 1);
    }

    @Test
    void smallerMapIsScaledToTheImage() {
        int r = 31, m = 16, s = 12;
        INDArray where = TinyGraphs.run(samplerGraph(new AttentionSampler(s), 2, r, m), false, coordinateImage(1, r),
                Nd4j.ones(DataType.DOUBLE, 1, 1, m, m));
        for (int i = 0; i < s; i++) {
            assertEquals(i * (r - 1.0) / (s - 1), where.getDouble(0, 0, i, 0), 1e-9);
        }
    }

    @Test
    void mapAndImageReceiveZeroGradient() {
        // map = conv(mapInput); out = conv(sampler(image, map)) -> dense: the map's conv gets zero gradient
        int r = 8, s = 6;
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(5)
                .graphBuilder().addInputs("image", "mapInput")
                .setInputTypes(InputType.convolutional(r, r, 3), InputType.convolutional(r, r, 2))
                .addLayer("mapConv", new ConvolutionLayer.Builder(1, 1).nOut(1).activation(Activation.SIGMOID).build(),
                        "mapInput")
                .addVertex("sampler", new AttentionSampler(s), "image", "mapConv")
                .addLayer("conv", new ConvolutionLayer.Builder(3, 3).nOut(2).activation(Activation.TANH).build(), "sampler")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .nOut(2).build(), "conv")
                .setOutputs("out").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        graph.setInputs(Nd4j.rand(DataType.DOUBLE, 2, 3, r, r), Nd4j.rand(DataType.DOUBLE, 2, 2, r, r));
        graph.setLabels(Nd4j.rand(DataType.DOUBLE, 2, 2));
        graph.computeGradientAndScore();
        var gradients = graph.gradient().gradientForVariable();
        assertEquals(0.0, gradients.get("mapConv_W").amaxNumber().doubleValue());
        assertEquals(0.0, gradients.get("mapConv_b").amaxNumber().doubleValue());
        assertTrue(gradients.get("conv_W").amaxNumber().doubleValue() > 0, "the layers after the sampler do learn");
    }

    @Test
    void rejectsMapsThatAreNotOneSquareChannel() {
        ComputationGraph graph = samplerGraph(new AttentionSampler(5), 3, 8, 8);
        INDArray image = Nd4j.rand(DataType.DOUBLE, 1, 3, 8, 8);
        assertThrows(IllegalArgumentException.class,
                () -> graph.output(false, image, Nd4j.rand(DataType.DOUBLE, 1, 2, 8, 8)));
        assertThrows(IllegalArgumentException.class, () -> new AttentionSampler(1));
        assertThrows(IllegalArgumentException.class, () -> new AttentionSampler(8, 5, 0.0));
    }

    @Test
    void survivesJsonRoundTripAndModelSerializer() throws Exception {
        AttentionSampler vertex = new AttentionSampler(9, 3, 2.5);
        ComputationGraph graph = samplerGraph(vertex, 3, 12, 12);
        TinyGraphs.assertJsonRoundTrip(graph, vertex);
        INDArray image = Nd4j.rand(DataType.DOUBLE, 2, 3, 12, 12);
        INDArray map = Nd4j.rand(DataType.DOUBLE, 2, 1, 12, 12);
        ComputationGraph loaded = TinyGraphs.saveAndLoad(graph);
        assertEquals(0.0, TinyGraphs.maxAbsDifference(TinyGraphs.run(graph, false, image, map),
                TinyGraphs.run(loaded, false, image, map)));
    }
}
