package tasn.model;

import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * TASN's non-uniform attention sampler (TASN.md, "The attention sampler"): inputs the image
 * (N, 3, R, R) and an attention map (N, 1, Rm, Rm); output the image re-sampled to (N, 3, S, S)
 * so that attended rows and columns get more output pixels. See {@link AttentionGrid} for the
 * grid and our two deliberate differences from the reference (S - 1 divisor, search from
 * j = 1: a uniform map gives exactly an align-corners bilinear resize). The map is usually the
 * image's size (as in the reference); if it is smaller, map positions are scaled to image
 * positions by (R - 1) / (Rm - 1).
 *
 * <p>No gradient flows back: both epsilons are zero (TASN.md, "Gradients"; the image is a
 * network input and the map must not train the attention net).
 */
public class AttentionSampler extends ParameterFreeVertex {

    /** The reference's values: 5 flattening iterations, magnification at most 4. */
    public static final int DEFAULT_ITERATIONS = 5;
    public static final double DEFAULT_DENSE = 4.0;

    private final int size;
    private final int iterations;
    private final double dense;

    public AttentionSampler(int size) {
        this(size, DEFAULT_ITERATIONS, DEFAULT_DENSE);
    }

    /**
     * @param size       output height and width S (at least 2)
     * @param iterations peak-flattening iterations (at least 0)
     * @param dense      largest magnification, relative to uniform, allowed by the first
     *                   flattening iteration (positive)
     */
    public AttentionSampler(@JsonProperty("size") int size, @JsonProperty("iterations") int iterations,
                            @JsonProperty("dense") double dense) {
        requireSettings("AttentionSampler", size, iterations, dense);
        this.size = size;
        this.iterations = iterations;
        this.dense = dense;
    }

    /** Refuses sampler settings the grid cannot use, each message starting with {@code owner}. */
    static void requireSettings(String owner, int size, int iterations, double dense) {
        if (size < 2) {
            throw new IllegalArgumentException(owner + " size must be at least 2, got " + size);
        }
        if (iterations < 0) {
            throw new IllegalArgumentException(owner + " iterations must be at least 0, got " + iterations);
        }
        if (!(dense > 0) || !Double.isFinite(dense)) {
            throw new IllegalArgumentException(owner + " dense must be a positive number, got " + dense);
        }
    }

    public int getSize() {
        return size;
    }

    public int getIterations() {
        return iterations;
    }

    public double getDense() {
        return dense;
    }

    @Override
    public AttentionSampler clone() {
        return new AttentionSampler(size, iterations, dense);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AttentionSampler)) {
            return false;
        }
        AttentionSampler other = (AttentionSampler) o;
        return other.size == size && other.iterations == iterations && Double.compare(other.dense, dense) == 0;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(AttentionSampler.class.getName(), size, iterations, dense);
    }

    @Override
    public int maxVertexInputs() {
        return 2;
    }

    @Override
    public org.deeplearning4j.nn.graph.vertex.GraphVertex instantiate(ComputationGraph graph, String name, int idx,
            INDArray paramsView, boolean initializeParams, DataType networkDatatype) {
        return new AttentionSamplerImpl(graph, name, idx, size, iterations, dense, networkDatatype);
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType... vertexInputs) {
        if (vertexInputs.length != 2) {
            throw new InvalidInputTypeException("AttentionSampler takes two inputs (image, map), got "
                    + vertexInputs.length);
        }
        InputType.InputTypeConvolutional image = convolutional(vertexInputs[0], "image (first input)");
        InputType.InputTypeConvolutional map = convolutional(vertexInputs[1], "map (second input)");
        if (map.getChannels() != 1 || map.getHeight() != map.getWidth() || map.getHeight() < 2) {
            throw new InvalidInputTypeException("AttentionSampler: the map (second input) must be (N, 1, Rm, Rm)"
                    + " with Rm >= 2, got " + map);
        }
        return InputType.convolutional(size, size, image.getChannels(), image.getFormat());
    }

    @Override
    public String toString() {
        return "AttentionSampler(size=" + size + ", iterations=" + iterations + ", dense=" + dense + ")";
    }
}
