package tasn.model;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The detail map (TASN.md, "Structure and detail maps"): in training one of the C attention
 * maps, chosen uniformly at random per image; at test time the mean of the C maps. Resized
 * bilinearly (align-corners) to R x R, not squared: (N, C, h, w) -> (N, 1, R, R). No gradient
 * flows back: the backward pass returns zeros.
 *
 * <p>Reproducibility: the choice for training call k (k = 0, 1, ... counted by each instantiated
 * vertex, that is per network instance; inference calls do not count) comes from a generator
 * seeded with {@code seed} and k alone. So two networks built from the same configuration draw
 * the same channels call by call, and the counter restarts at 0 when a network is loaded or
 * cloned (on Spark every worker's copy thus draws the same sequence, over different images).
 */
public class DetailMap extends ParameterFreeVertex {

    private final int size;
    private final long seed;

    /**
     * @param size R, the map's height and width (the image's size, for the sampler)
     * @param seed seed of the training-time channel choice
     */
    public DetailMap(@JsonProperty("size") int size, @JsonProperty("seed") long seed) {
        requirePositive("DetailMap size", size);
        this.size = size;
        this.seed = seed;
    }

    public int getSize() {
        return size;
    }

    public long getSeed() {
        return seed;
    }

    @Override
    public DetailMap clone() {
        return new DetailMap(size, seed);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DetailMap && ((DetailMap) o).size == size && ((DetailMap) o).seed == seed;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(DetailMap.class.getName(), size, seed);
    }

    @Override
    public int maxVertexInputs() {
        return 1;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new DetailMapImpl(graph, name, idx, size, seed, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        InputType.InputTypeConvolutional in = convolutional(vertexInputs[0], "input");
        return InputType.convolutional(size, size, 1, in.getFormat());
    }

    @Override
    public String toString() {
        return "DetailMap(size=" + size + ", seed=" + seed + ")";
    }
}
