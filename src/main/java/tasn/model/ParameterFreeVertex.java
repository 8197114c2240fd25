package tasn.model;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InvalidInputTypeException;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;

/**
 * Configuration side shared by this package's vertices: they have no parameters and read
 * 4-D (N, C, H, W) inputs. Subclasses are plain Jackson beans (a {@code @JsonProperty}
 * constructor and getters), so graph configurations holding them survive toJson/fromJson.
 */
abstract class ParameterFreeVertex extends GraphVertex {

    @Override
    public long numParams(boolean backprop) {
        return 0;
    }

    @Override
    public int minVertexInputs() {
        return maxVertexInputs();
    }

    @Override
    public MemoryReport getMemoryReport(InputType... inputTypes) {
        InputType outputType = getOutputType(-1, inputTypes);
        return new LayerMemoryReport.Builder(null, getClass(), inputTypes[0], outputType)
                .standardMemory(0, 0).workingMemory(0, 0, 0, 0).cacheMemory(0, 0).build();
    }

    /** The input as a convolutional (N, C, H, W) type, or an error naming this vertex. */
    InputType.InputTypeConvolutional convolutional(InputType type, String what) {
        if (!(type instanceof InputType.InputTypeConvolutional)) {
            throw new InvalidInputTypeException(getClass().getSimpleName() + ": the " + what
                    + " must be convolutional (N, C, H, W), got " + type);
        }
        InputType.InputTypeConvolutional convolutional = (InputType.InputTypeConvolutional) type;
        if (convolutional.getFormat() != CNN2DFormat.NCHW) {
            throw new InvalidInputTypeException(getClass().getSimpleName() + ": the " + what
                    + " must be in NCHW format (channels first), got " + convolutional.getFormat());
        }
        return convolutional;
    }

    static void requirePositive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1, got " + value);
        }
    }
}
