package tasn.train;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;
import java.util.Map;

/**
 * {@code --init MODEL}: starts training from a saved DL4J model by copying every parameter
 * whose key (vertex name + "_" + parameter name, e.g. {@code backbone_stem_conv_W}) and shape
 * match the new graph; everything else keeps its fresh initialisation.
 *
 * <p>To start from a pretrained network of another framework: build it in DL4J with the same
 * vertex names (or import it with DL4J's KerasModelImport and rename its vertices to ours),
 * save it with {@code ModelSerializer.writeModel(graph, file, false)}, and pass that file.
 * The job prints how many parameters were copied, so a naming mismatch cannot pass unnoticed.
 */
public final class ParameterTransfer {
    /** How many parameter arrays were copied, and how many of the target's were left as initialised. */
    public record Result(int copied, int kept, long copiedValues) {
    }

    private ParameterTransfer() {
    }

    public static Result copyMatching(ComputationGraph source, ComputationGraph target) {
        Map<String, INDArray> from = source.paramTable();
        int copied = 0;
        int kept = 0;
        long values = 0;
        for (Map.Entry<String, INDArray> entry : target.paramTable().entrySet()) {
            INDArray candidate = from.get(entry.getKey());
            if (candidate != null && Arrays.equals(candidate.shape(), entry.getValue().shape())) {
                target.setParam(entry.getKey(), candidate.dup().castTo(entry.getValue().dataType()));
                copied++;
                values += candidate.length();
            } else {
                kept++;
            }
        }
        return new Result(copied, kept, values);
    }
}
