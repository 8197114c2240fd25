package tasn.model;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * TASN's trilinear attention (TASN.md, "Trilinear attention"): with X the input as C x HW per
 * image, N1 = softmax over HW of (s X), B = N1 . X^T (C x C), N2 = softmax over B's rows,
 * M = N2 . X, returned as (N, C, H, W): C attention maps. No gradient flows back (the
 * reference's BlockGrad): the backward pass returns zeros.
 */
public class TrilinearAttention extends ParameterFreeVertex {

    /** The reference's softmax scale (the PyTorch port uses 2). */
    public static final double DEFAULT_SCALE = 7.0;

    private final double scale;

    public TrilinearAttention() {
        this(DEFAULT_SCALE);
    }

    /** @param scale s, the factor on X inside the first softmax */
    public TrilinearAttention(@JsonProperty("scale") double scale) {
        if (!(scale > 0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException("TrilinearAttention scale must be a positive number, got " + scale);
        }
        this.scale = scale;
    }

    public double getScale() {
        return scale;
    }

    @Override
    public TrilinearAttention clone() {
        return new TrilinearAttention(scale);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrilinearAttention && Double.compare(((TrilinearAttention) o).scale, scale) == 0;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(TrilinearAttention.class.getName(), scale);
    }

    @Override
    public int maxVertexInputs() {
        return 1;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new TrilinearAttentionImpl(graph, name, idx, scale, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        return convolutional(vertexInputs[0], "input");
    }

    @Override
    public String toString() {
        return "TrilinearAttention(scale=" + scale + ")";
    }
}
