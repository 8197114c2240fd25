package tasn.model;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.MaskState;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.BaseGraphVertex;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Arrays;

/**
 * Runtime side shared by this package's vertices: no layer, no parameters, no masks, and
 * checks that inputs are present and 4-D. Forward outputs go to the ACTIVATIONS workspace,
 * epsilons to ACTIVATION_GRAD (DL4J's workspace rules); intermediates live in whatever
 * working-memory workspace DL4J has open around doForward / doBackward.
 */
abstract class ParameterFreeVertexImpl extends BaseGraphVertex {

    ParameterFreeVertexImpl(ComputationGraph graph, String name, int vertexIndex, DataType dataType) {
        super(graph, name, vertexIndex, null, null, dataType);
    }

    @Override
    public boolean hasLayer() {
        return false;
    }

    @Override
    public Layer getLayer() {
        return null;
    }

    @Override
    public void setBackpropGradientsViewArray(INDArray backpropGradientsViewArray) {
        if (backpropGradientsViewArray != null) {
            throw new IllegalStateException(this + " has no parameters, so no gradient view");
        }
    }

    @Override
    public Pair<INDArray, MaskState> feedForwardMaskArrays(INDArray[] maskArrays, MaskState currentMaskState,
                                                            int minibatchSize) {
        return null; // image maps carry no masks
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "(name=\"" + vertexName + "\", index=" + vertexIndex + ")";
    }

    /** Input i, checked to be present and 4-D. */
    INDArray input4d(int i) {
        if (!canDoForward()) {
            throw new IllegalStateException("Cannot do forward pass: inputs not set (" + this + ")");
        }
        INDArray input = inputs[i];
        if (input.rank() != 4) {
            throw new IllegalArgumentException(this + ": input " + i + " must be (N, C, H, W), got shape "
                    + Arrays.toString(input.shape()));
        }
        return input;
    }

    /** A copy of {@code result} in the ACTIVATIONS workspace (the vertex output). */
    static INDArray asActivations(LayerWorkspaceMgr workspaceMgr, INDArray result) {
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, result.dataType(), result.shape(), 'c');
        return out.assign(result);
    }

    /** Zero epsilons for every input: no gradient flows back through this vertex (TASN.md "Gradients"). */
    Pair<org.deeplearning4j.nn.gradient.Gradient, INDArray[]> zeroEpsilons(LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward()) {
            throw new IllegalStateException("Cannot do backward pass: epsilon not set (" + this + ")");
        }
        INDArray[] epsilons = new INDArray[inputs.length];
        for (int i = 0; i < inputs.length; i++) {
            epsilons[i] = workspaceMgr.create(ArrayType.ACTIVATION_GRAD, inputs[i].dataType(), inputs[i].shape(), 'c');
        }
        return new Pair<>(null, epsilons);
    }
}
