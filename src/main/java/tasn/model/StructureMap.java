package tasn.model;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The structure map (TASN.md, "Structure and detail maps"): the mean of the C attention maps,
 * resized bilinearly (align-corners) to R x R, then squared: (N, C, h, w) -> (N, 1, R, R).
 * The plain mean over all channels (the reference drops tied channels and has a masking bug).
 * No gradient flows back: the backward pass returns zeros.
 */
public class StructureMap extends ParameterFreeVertex {

    private final int size;

    /** @param size R, the map's height and width (the image's size, for the sampler) */
    public StructureMap(@JsonProperty("size") int size) {
        requirePositive("StructureMap size", size);
        this.size = size;
    }

    public int getSize() {
        return size;
    }

    @Override
    public StructureMap clone() {
        return new StructureMap(size);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StructureMap && ((StructureMap) o).size == size;
    }

    @Override
    public int hashCode() {
        return 31 * StructureMap.class.getName().hashCode() + size;
    }

    @Override
    public int maxVertexInputs() {
        return 1;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new StructureMapImpl(graph, name, idx, size, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        InputType.InputTypeConvolutional in = convolutional(vertexInputs[0], "input");
        return InputType.convolutional(size, size, 1, in.getFormat());
    }

    @Override
    public String toString() {
        return "StructureMap(size=" + size + ")";
    }
}
