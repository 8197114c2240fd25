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
import org.nd4j.linalg.ops.transforms.Transforms;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** StructureMap and DetailMap. */
class AttentionMapsTest {

    private static final int C = 5, H = 4, R = 9;

    private static INDArray meanOverChannels(INDArray maps) {
        return maps.mean(true, 1);
    }

    /** Maps whose channel k is the constant k + 1, so a map's value names its channel. */
    private static INDArray labelledChannels(int n) {
        INDArray maps = Nd4j.zeros(DataType.DOUBLE, n, C, H, H);
        for (int k = 0; k < C; k++) {
            maps.get(NDArrayIndex.all(), NDArrayIndex.point(k), NDArrayIndex.all(), NDArrayIndex.all()).assign(k + 1);
        }
        return maps;
    }

    @Test
    void structureMapIsTheSquaredResizedChannelMean() {
        INDArray maps = Nd4j.rand(DataType.DOUBLE, 2, C, H, H);
        INDArray expected = BilinearResizeTest.resizeByLoops(meanOverChannels(maps), R);
        expected.muli(expected);
        ComputationGraph graph = TinyGraphs.around(new StructureMap(R), InputType.convolutional(H, H, C));
        for (boolean training : new boolean[] {true, false}) {
            INDArray out = TinyGraphs.run(graph, training, maps);
            assertArrayEquals(new long[] {2, 1, R, R}, out.shape());
            assertTrue(TinyGraphs.maxAbsDifference(expected, out) < 1e-12);
        }
    }

    @Test
    void detailMapAtTestTimeIsTheResizedChannelMeanNotSquared() {
        INDArray maps = Nd4j.rand(DataType.DOUBLE, 2, C, H, H);
        INDArray expected = BilinearResizeTest.resizeByLoops(meanOverChannels(maps), R);
        ComputationGraph graph = TinyGraphs.around(new DetailMap(R, 11), InputType.convolutional(H, H, C));
        assertTrue(TinyGraphs.maxAbsDifference(expected, TinyGraphs.run(graph, false, maps)) < 1e-12);
    }

    @Test
    void eachMapIsRaisedToItsExponentAfterTheResize() {
        INDArray maps = Nd4j.rand(DataType.DOUBLE, 2, C, H, H);
        INDArray mean = BilinearResizeTest.resizeByLoops(meanOverChannels(maps), R);
        ComputationGraph structure = TinyGraphs.around(new StructureMap(R, 3.5), InputType.convolutional(H, H, C));
        assertTrue(TinyGraphs.maxAbsDifference(Transforms.pow(mean, 3.5, true), TinyGraphs.run(structure, false, maps)) < 1e-12);
        ComputationGraph detail = TinyGraphs.around(new DetailMap(R, 11, 8.0), InputType.convolutional(H, H, C));
        assertTrue(TinyGraphs.maxAbsDifference(Transforms.pow(mean, 8.0, true), TinyGraphs.run(detail, false, maps)) < 1e-12);
        INDArray trained = TinyGraphs.run(detail, true, maps);
        int[] choices = DetailMapImpl.channelChoices(11, 0, 2, C);
        for (int i = 0; i < 2; i++) {
            INDArray channel = channelOf(maps, i, choices[i]);
            assertTrue(TinyGraphs.maxAbsDifference(Transforms.pow(BilinearResizeTest.resizeByLoops(channel, R), 8.0, true),
                    channelOf(trained, i, 0)) < 1e-12, "the drawn channel is raised too");
        }
        assertThrows(IllegalArgumentException.class, () -> new StructureMap(R, 0.0));
        assertThrows(IllegalArgumentException.class, () -> new DetailMap(R, 1, Double.NaN));
    }

    @Test
    void aModelSavedBeforeTheExponentsExistedLoadsWithTheReferencePowers() {
        ComputationGraph structure = TinyGraphs.around(new StructureMap(R, 5.0), InputType.convolutional(H, H, C));
        ComputationGraph detail = TinyGraphs.around(new DetailMap(R, 3, 5.0), InputType.convolutional(H, H, C));
        for (ComputationGraph graph : List.of(structure, detail)) {
            String json = graph.getConfiguration().toJson();
            String legacy = json.replaceAll(",?\\s*\"exponent\"\\s*:\\s*5\\.0", "");
            assertNotEquals(json, legacy, "the exponent is in the saved JSON");
            assertFalse(legacy.contains("exponent"));
            var vertex = ComputationGraphConfiguration.fromJson(legacy).getVertices().get("vertex");
            assertEquals(graph == structure ? new StructureMap(R) : new DetailMap(R, 3), vertex);
        }
        assertEquals(2.0, new StructureMap(R).getExponent());
        assertEquals(1.0, new DetailMap(R, 3).getExponent());
    }

    @Test
    void detailMapInTrainingIsOneResizedChannelPerImage() {
        INDArray maps = Nd4j.rand(DataType.DOUBLE, 4, C, H, H);
        ComputationGraph graph = TinyGraphs.around(new DetailMap(R, 11), InputType.convolutional(H, H, C));
        INDArray out = TinyGraphs.run(graph, true, maps);
        int[] choices = DetailMapImpl.channelChoices(11, 0, 4, C);
        for (int i = 0; i < 4; i++) {
            INDArray channel = channelOf(maps, i, choices[i]);
            assertTrue(TinyGraphs.maxAbsDifference(BilinearResizeTest.resizeByLoops(channel, R), channelOf(out, i, 0)) < 1e-12);
        }
    }

    /** Channel {@code c} of image {@code i}, as (1, 1, h, w). */
    private static INDArray channelOf(INDArray maps, int i, int c) {
        return maps.get(NDArrayIndex.interval(i, i + 1), NDArrayIndex.interval(c, c + 1), NDArrayIndex.all(),
                NDArrayIndex.all());
    }

    /** The channel each image's training-time detail map came from, over `calls` calls. */
    private static int[][] drawnChannels(DetailMap vertex, int images, int calls) {
        ComputationGraph graph = TinyGraphs.around(vertex, InputType.convolutional(H, H, C));
        INDArray maps = labelledChannels(images);
        int[][] drawn = new int[calls][images];
        for (int call = 0; call < calls; call++) {
            INDArray out = TinyGraphs.run(graph, true, maps);
            for (int i = 0; i < images; i++) {
                double value = out.getDouble(i, 0, 3, 5);
                assertEquals(value, out.getDouble(i, 0, 0, 0), 1e-12, "a resized constant is constant");
                drawn[call][i] = (int) Math.round(value) - 1;
            }
            if (call == 0) {
                TinyGraphs.run(graph, false, maps); // inference calls do not advance the draw
            }
        }
        return drawn;
    }

    @Test
    void trainingChoiceIsReproducibleFromTheSeedAndCoversEveryChannel() {
        int[][] first = drawnChannels(new DetailMap(R, 42), 8, 40);
        int[][] again = drawnChannels(new DetailMap(R, 42), 8, 40);
        int[][] otherSeed = drawnChannels(new DetailMap(R, 43), 8, 40);
        assertTrue(Arrays.deepEquals(first, again), "same seed, same channels call by call");
        assertFalse(Arrays.deepEquals(first, otherSeed), "another seed, other channels");
        assertFalse(Arrays.equals(first[0], first[1]), "successive calls draw afresh");
        int[] counts = new int[C];
        for (int[] call : first) {
            for (int channel : call) {
                assertTrue(channel >= 0 && channel < C, "the chosen map is one of the channels");
                counts[channel]++;
            }
        }
        for (int count : counts) {
            assertTrue(count > 320 / C / 2, "every channel drawn often enough: " + Arrays.toString(counts));
        }
        for (int call = 0; call < first.length; call++) {
            assertArrayEquals(DetailMapImpl.channelChoices(42, call, 8, C), first[call]);
        }
    }

    @Test
    void mapsPassNoGradient() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.DOUBLE).seed(4)
                .graphBuilder().addInputs("in").setInputTypes(InputType.convolutional(H, H, 2))
                .addLayer("features", new ConvolutionLayer.Builder(1, 1).nOut(C).activation(Activation.SIGMOID).build(), "in")
                .addVertex("structure", new StructureMap(R), "features")
                .addVertex("detail", new DetailMap(R, 1), "features")
                .addLayer("outS", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .nOut(2).build(), "structure")
                .addLayer("outD", new OutputLayer.Builder(LossFunctions.LossFunction.MSE).activation(Activation.IDENTITY)
                        .nOut(2).build(), "detail")
                .setOutputs("outS", "outD").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        graph.setInputs(Nd4j.rand(DataType.DOUBLE, 3, 2, H, H));
        graph.setLabels(Nd4j.rand(DataType.DOUBLE, 3, 2), Nd4j.rand(DataType.DOUBLE, 3, 2));
        graph.computeGradientAndScore();
        var gradients = graph.gradient().gradientForVariable();
        assertEquals(0.0, gradients.get("features_W").amaxNumber().doubleValue());
        assertTrue(gradients.get("outS_W").amaxNumber().doubleValue() > 0);
        assertTrue(gradients.get("outD_W").amaxNumber().doubleValue() > 0);
    }

    @Test
    void bothSurviveJsonRoundTripAndModelSerializer() throws Exception {
        INDArray maps = Nd4j.rand(DataType.DOUBLE, 2, C, H, H);
        StructureMap structure = new StructureMap(R, 3.0);
        ComputationGraph structureGraph = TinyGraphs.around(structure, InputType.convolutional(H, H, C));
        TinyGraphs.assertJsonRoundTrip(structureGraph, structure);
        assertEquals(0.0, TinyGraphs.maxAbsDifference(TinyGraphs.run(structureGraph, false, maps),
                TinyGraphs.run(TinyGraphs.saveAndLoad(structureGraph), false, maps)));
        DetailMap detail = new DetailMap(R, -7, 4.0);
        ComputationGraph detailGraph = TinyGraphs.around(detail, InputType.convolutional(H, H, C));
        TinyGraphs.assertJsonRoundTrip(detailGraph, detail);
        ComputationGraph loaded = TinyGraphs.saveAndLoad(detailGraph);
        assertEquals(0.0, TinyGraphs.maxAbsDifference(TinyGraphs.run(detailGraph, true, maps),
                TinyGraphs.run(loaded, true, maps)), "a loaded network draws the same first channels");
    }
}
