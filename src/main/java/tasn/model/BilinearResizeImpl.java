package tasn.model;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime of {@link BilinearResize}. */
class BilinearResizeImpl extends ParameterFreeVertexImpl {

    private final int size;
    private final AlignCornersResize resize;

    BilinearResizeImpl(ComputationGraph graph, String name, int vertexIndex, int size, DataType dataType) {
        super(graph, name, vertexIndex, dataType);
        this.size = size;
        this.resize = new AlignCornersResize(size);
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        return asActivations(workspaceMgr, resize.resize(input4d(0)));
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward()) {
            throw new IllegalStateException("Cannot do backward pass: epsilon not set (" + this + ")");
        }
        // d out / d x is the transpose of the forward map: Wy^T . eps_c . Wx
        INDArray back = resize.transpose(epsilon, inputs[0]);
        INDArray eps = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, inputs[0].dataType(),
                inputs[0].shape(), 'c');
        eps.assign(back);
        return new Pair<>(null, new INDArray[] {eps});
    }

    @Override
    public String toString() {
        return "BilinearResize(name=\"" + vertexName + "\", index=" + vertexIndex + ", size=" + size + ")";
    }
}
