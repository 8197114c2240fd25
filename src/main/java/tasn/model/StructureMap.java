package tasn.model;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The structure map (TASN.md, "Structure and detail maps"): the mean of the C attention maps,
 * resized bilinearly (align-corners) to R x R, then raised to a power p: (N, C, h, w) ->
 * (N, 1, R, R). The reference squares it (p = 2); a larger p magnifies the attended region
 * more (see {@link MapExponent}). The plain mean over all channels (the reference drops tied
 * channels and has a masking bug). No gradient flows back: the backward pass returns zeros.
 */
public class StructureMap extends ParameterFreeVertex {

    /** The reference's power: the structure map is squared. */
    public static final double REFERENCE_EXPONENT = 2.0;

    private final int size;
    private final double exponent;

    /** The reference's structure map: squared. */
    public StructureMap(int size) {
        this(size, REFERENCE_EXPONENT);
    }

    /**
     * @param size     R, the map's height and width (the image's size, for the sampler)
     * @param exponent p, the power the resized mean is raised to; null (a model saved before the
     *                 exponent existed) means the reference's 2
     */
    public StructureMap(@JsonProperty("size") int size, @JsonProperty("exponent") Double exponent) {
        requirePositive("StructureMap size", size);
        this.size = size;
        this.exponent = MapExponent.require("StructureMap exponent", exponent == null ? REFERENCE_EXPONENT : exponent);
    }

    public int getSize() {
        return size;
    }

    public double getExponent() {
        return exponent;
    }

    @Override
    public StructureMap clone() {
        return new StructureMap(size, exponent);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StructureMap m && m.size == size && Double.compare(m.exponent, exponent) == 0;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(StructureMap.class.getName(), size, exponent);
    }

    @Override
    public int maxVertexInputs() {
        return 1;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new StructureMapImpl(graph, name, idx, size, exponent, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        InputType.InputTypeConvolutional in = convolutional(vertexInputs[0], "input");
        return InputType.convolutional(size, size, 1, in.getFormat());
    }

    @Override
    public String toString() {
        return "StructureMap(size=" + size + ", exponent=" + exponent + ")";
    }
}
