package tasn.model;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * Align-corners bilinear resize (N, C, H, W) -> (N, C, S, S), as used for the attention net's
 * input (TASN.md, "Shapes"). Forward is {@code Wy . X_c . Wx^T} with fixed (S x H) and (S x W)
 * weight matrices; backward is its exact transpose, {@code Wy^T . eps_c . Wx}.
 */
public class BilinearResize extends ParameterFreeVertex {

    private final int size;

    /** @param size output height and width S */
    public BilinearResize(@JsonProperty("size") int size) {
        requirePositive("BilinearResize size", size);
        this.size = size;
    }

    public int getSize() {
        return size;
    }

    @Override
    public BilinearResize clone() {
        return new BilinearResize(size);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BilinearResize && ((BilinearResize) o).size == size;
    }

    @Override
    public int hashCode() {
        return 31 * BilinearResize.class.getName().hashCode() + size;
    }

    @Override
    public int maxVertexInputs() {
        return 1;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new BilinearResizeImpl(graph, name, idx, size, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        InputType.InputTypeConvolutional in = convolutional(vertexInputs[0], "input");
        return InputType.convolutional(size, size, in.getChannels(), in.getFormat());
    }

    @Override
    public String toString() {
        return "BilinearResize(size=" + size + ")";
    }
}
