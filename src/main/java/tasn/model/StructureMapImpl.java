package tasn.model;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Runtime of {@link StructureMap}. */
class StructureMapImpl extends ParameterFreeVertexImpl {

    private final int size;
    private final double exponent;
    private final AlignCornersResize resize;

    StructureMapImpl(ComputationGraph graph, String name, int vertexIndex, int size, double exponent, DataType dataType) {
        super(graph, name, vertexIndex, dataType);
        this.size = size;
        this.exponent = exponent;
        this.resize = new AlignCornersResize(size);
    }

    @Override
    public INDArray doForward(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray mean = input4d(0).mean(true, 1);      // (N, 1, h, w)
        INDArray resized = resize.resize(mean);        // (N, 1, R, R)
        return asActivations(workspaceMgr, MapExponent.raise(resized, exponent));
    }

    @Override
    public Pair<Gradient, INDArray[]> doBackward(boolean tbptt, LayerWorkspaceMgr workspaceMgr) {
        return zeroEpsilons(workspaceMgr);
    }

    @Override
    public String toString() {
        return "StructureMap(name=\"" + vertexName + "\", index=" + vertexIndex + ", size=" + size + ", exponent=" + exponent + ")";
    }
}
