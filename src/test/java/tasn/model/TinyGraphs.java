package tasn.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Small double-precision graphs around one vertex, for the vertex tests. */
final class TinyGraphs {

    private TinyGraphs() {
    }

    /** A graph whose only vertex is {@code vertex}, fed by inputs of the given (C, H, W) types. */
    static ComputationGraph around(GraphVertex vertex, InputType... inputTypes) {
        ComputationGraphConfiguration.GraphBuilder builder = new NeuralNetConfiguration.Builder()
                .dataType(DataType.DOUBLE).seed(1).graphBuilder();
        String[] names = new String[inputTypes.length];
        for (int i = 0; i < names.length; i++) {
            names[i] = "in" + i;
        }
        ComputationGraphConfiguration conf = builder.addInputs(names).setInputTypes(inputTypes)
                .addVertex("vertex", vertex, names).setOutputs("vertex").build();
        ComputationGraph graph = new ComputationGraph(conf);
        graph.init();
        return graph;
    }

    /** Output of a one-vertex graph, in training or inference mode. */
    static INDArray run(ComputationGraph graph, boolean training, INDArray... inputs) {
        return graph.output(training, inputs)[0].dup();
    }

    /** The configuration survives toJson/fromJson with the vertex equal to the original. */
    static void assertJsonRoundTrip(ComputationGraph graph, GraphVertex vertex) {
        ComputationGraphConfiguration back = ComputationGraphConfiguration.fromJson(graph.getConfiguration().toJson());
        assertEquals(vertex, back.getVertices().get("vertex"));
        assertEquals(graph.getConfiguration(), back);
    }

    /** Save and load through ModelSerializer. */
    static ComputationGraph saveAndLoad(ComputationGraph graph) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ModelSerializer.writeModel(graph, bytes, true);
        return ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes.toByteArray()), true);
    }

    static double maxAbsDifference(INDArray a, INDArray b) {
        assertEquals(java.util.Arrays.toString(a.shape()), java.util.Arrays.toString(b.shape()));
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }
}
