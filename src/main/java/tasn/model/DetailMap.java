package tasn.model;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * The detail map (TASN.md, "Structure and detail maps"): in training one of the C attention
 * maps, chosen uniformly at random per image; at test time the mean of the C maps. Resized
 * bilinearly (align-corners) to R x R and raised to a power p: (N, C, h, w) -> (N, 1, R, R).
 * The reference does not raise it (p = 1); a larger p magnifies the attended part more (see
 * {@link MapExponent}). No gradient flows back: the backward pass returns zeros.
 *
 * <p>Reproducibility: the choice for training call k (k = 0, 1, ... counted by each instantiated
 * vertex, that is per network instance; inference calls do not count) comes from a generator
 * seeded with {@code seed} and k alone. So two networks built from the same configuration draw
 * the same channels call by call, and the counter restarts at 0 when a network is loaded or
 * cloned (on Spark every worker's copy thus draws the same sequence, over different images).
 */
public class DetailMap extends ParameterFreeVertex {

    /** The reference's power: the detail map is used as it is. */
    public static final double REFERENCE_EXPONENT = 1.0;

    private final int size;
    private final long seed;
    private final double exponent;

    /** The reference's detail map: not raised to any power. */
    public DetailMap(int size, long seed) {
        this(size, seed, REFERENCE_EXPONENT);
    }

    /**
     * @param size     R, the map's height and width (the image's size, for the sampler)
     * @param seed     seed of the training-time channel choice
     * @param exponent p, the power the resized map is raised to; null (a model saved before the
     *                 exponent existed) means the reference's 1
     */
    public DetailMap(@JsonProperty("size") int size, @JsonProperty("seed") long seed,
                     @JsonProperty("exponent") Double exponent) {
        requirePositive("DetailMap size", size);
        this.size = size;
        this.seed = seed;
        this.exponent = MapExponent.require("DetailMap exponent", exponent == null ? REFERENCE_EXPONENT : exponent);
    }

    public int getSize() {
        return size;
    }

    public long getSeed() {
        return seed;
    }

    public double getExponent() {
        return exponent;
    }

    @Override
    public DetailMap clone() {
        return new DetailMap(size, seed, exponent);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof DetailMap m && m.size == size && m.seed == seed && Double.compare(m.exponent, exponent) == 0;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(DetailMap.class.getName(), size, seed, exponent);
    }

    @Override
    public int maxVertexInputs() {
        return 1;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new DetailMapImpl(graph, name, idx, size, seed, exponent, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        InputType.InputTypeConvolutional in = convolutional(vertexInputs[0], "input");
        return InputType.convolutional(size, size, 1, in.getFormat());
    }

    @Override
    public String toString() {
        return "DetailMap(size=" + size + ", seed=" + seed + ", exponent=" + exponent + ")";
    }
}
