package tasn.model;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Runtime of {@link BilinearResize}. */
class BilinearResizeImpl extends ParameterFreeVertexImpl {

    private final int size;
    /** Weights for the last input shape seen, kept outside every workspace. */
    private INDArray rowWeights;
    private INDArray columnWeights;

    BilinearResizeImpl(ComputationGraph graph, String name, int vertexIndex, int size, DataType dataType) {
        super(graph, name, vertexIndex, dataType);
        this.size = size;
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray x = input4d(0);
        prepareWeights(x);
        return asActivations(workspaceMgr, SeparableSampling.sample(x, rowWeights, columnWeights));
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        if (!canDoBackward()) {
            throw new IllegalStateException("Cannot do backward pass: epsilon not set (" + this + ")");
        }
        prepareWeights(inputs[0]);
        // d out / d x is the transpose of the forward map: Wy^T . eps_c . Wx
        INDArray back = SeparableSampling.sample(epsilon.castTo(rowWeights.dataType()),
                rowWeights.transpose(), columnWeights.transpose());
        INDArray eps = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, inputs[0].dataType(),
                inputs[0].shape(), 'c');
        eps.assign(back);
        return new Pair<>(null, new INDArray[] {eps});
    }

    private void prepareWeights(INDArray x) {
        int h = (int) x.size(2), w = (int) x.size(3);
        if (rowWeights != null && rowWeights.size(1) == h && columnWeights.size(1) == w
                && rowWeights.dataType() == x.dataType()) {
            return;
        }
        try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
            rowWeights = SeparableSampling.weightMatrix(SeparableSampling.alignCornersPositions(size, h), h, x.dataType());
            columnWeights = SeparableSampling.weightMatrix(SeparableSampling.alignCornersPositions(size, w), w, x.dataType());
        }
    }

    @Override
    public String toString() {
        return "BilinearResize(name=\"" + vertexName + "\", index=" + vertexIndex + ", size=" + size + ")";
    }
}
